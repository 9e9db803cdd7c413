// File names are bytes on Linux, and kaniko (Go) keeps them as bytes. Names that are not valid
// UTF-8 are carried as raw bytes into the archive; for ignore matching and messages they are
// decoded the way Go ranges over a string: each byte outside a valid sequence is one U+FFFD,
// so a `?` in a .dockerignore pattern stands for one such byte, as in Docker and kaniko.
import { isUtf8 } from 'node:buffer';

/** Bytes of the UTF-8 sequence a lead byte starts, 0 when it cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function decode(bytes: Buffer, stray: (byte: number) => string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let run = 0;
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes[i]);
    if (n > 0 && i + n <= bytes.length && isUtf8(bytes.subarray(i, i + n))) {
      i += n;
      continue;
    }
    text += bytes.toString('utf8', run, i) + stray(bytes[i]);
    i += 1;
    run = i;
  }
  return text + bytes.toString('utf8', run);
}

/** The text as Docker's pattern matcher sees it (a name, or the .dockerignore itself): each stray byte is U+FFFD. */
export function matchingName(bytes: Buffer): string {
  return decode(bytes, () => '\uFFFD');
}

/** The name for messages: each stray byte as `\xE9`, so the user can tell which file it is. */
export function displayName(bytes: Buffer): string {
  return decode(bytes, (byte) => `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A path as the walk holds it: a string, or the raw bytes when it is not valid UTF-8. */
export type FsPath = string | Buffer;

export function displayPath(path: FsPath): string {
  return typeof path === 'string' ? path : displayName(path);
}

/** The path as one shell word for a command in a fix: `$'…\xE9…'` when it is not valid UTF-8. */
export function shellWord(path: FsPath): string {
  if (typeof path === 'string') return `"${path}"`;
  let word = '';
  for (const byte of path) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x27 && byte !== 0x5c;
    word += printable ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `$'${word}'`;
}
