// The tar header of one entry, deterministic by construction: owner 0:0 with no names,
// a fixed mtime unless asked otherwise, permission bits as on disk.
import type { Header, Pack } from 'tar-stream';
import type { FsPath } from './names.ts';
import type { WalkEntry } from './walk.ts';

type TarHeader = Partial<Header> & { name: string };

// tar-stream writes this type (typeflag 'x', see its headers.js) though its typings leave it out.
const PAX_HEADER = 'pax-header' as Header['type'];

/** The mtime of every entry unless keepTimestamps: the Unix epoch, so equal trees give equal archives. */
export const NORMALISED_MTIME = new Date(0);

/**
 * Permission bits as on disk, exec bits included. Windows has no exec bit: like Docker's
 * CLI there, send 0755 for everything so scripts stay runnable.
 */
function archiveMode(entry: WalkEntry, platform: NodeJS.Platform): number {
  return platform === 'win32' ? (entry.mode & 0o755) | 0o111 : entry.mode;
}

/** Whether the name or link target is not valid UTF-8, so that a rawNameHeader must precede the entry. */
const hasRawName = (entry: WalkEntry): boolean => entry.rawRel !== undefined || Buffer.isBuffer(entry.linkTarget);

const archiveName = (entry: WalkEntry): string => (entry.kind === 'directory' ? `${entry.rel}/` : entry.rel);

/**
 * What a reader that ignores PAX headers sees for a raw name: ASCII, at most 100 bytes, so that
 * tar-stream writes it into the ustar header as is and adds no PAX header of its own after ours.
 */
const ustarFallback = (name: string): string => name.replace(/[^\x20-\x7e]/g, '_').slice(-100);

export function tarHeader(entry: WalkEntry, keepTimestamps: boolean, platform: NodeJS.Platform = process.platform): TarHeader {
  const raw = hasRawName(entry);
  const linkTarget = entry.linkTarget === undefined ? undefined : typeof entry.linkTarget === 'string' ? entry.linkTarget : entry.linkTarget.toString('latin1');
  return {
    // GNU tar marks directories with a trailing slash; tar-stream switches to a PAX
    // header by itself for names over 100/155 bytes or with non-ASCII characters.
    name: raw ? ustarFallback(archiveName(entry)) : archiveName(entry),
    type: entry.kind,
    mode: archiveMode(entry, platform),
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    size: entry.size,
    mtime: keepTimestamps ? entry.mtime : NORMALISED_MTIME,
    ...(linkTarget === undefined ? {} : { linkname: raw ? ustarFallback(linkTarget) : linkTarget }),
  };
}

/** One PAX record, `<length> <key>=<value>\n`, where the length counts its own digits. */
function paxRecord(key: string, value: FsPath): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), typeof value === 'string' ? Buffer.from(value) : value, Buffer.from('\n')]);
  let length = body.length + String(body.length).length;
  if (String(length).length > String(body.length).length) length += 1;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

/**
 * For an entry whose name or link target is not valid UTF-8: queues a PAX header carrying the
 * exact bytes (`path`, `linkpath`) just before the entry, as GNU tar writes such names and as
 * GNU tar, busybox tar and Go's archive/tar read them. tar-stream writes names only as UTF-8
 * text and refuses a body for any entry but a file, so the header is queued as a file and
 * retyped before tar-stream encodes it (entries are encoded when opened, on a later tick;
 * pinned by test/unit/context/raw-names.test.ts).
 */
export function queueRawNameHeader(pack: Pack, entry: WalkEntry, keepTimestamps: boolean): void {
  if (!hasRawName(entry)) return;
  const path = entry.rawRel === undefined ? archiveName(entry) : entry.kind === 'directory' ? Buffer.concat([entry.rawRel, Buffer.from('/')]) : entry.rawRel;
  const records = Buffer.concat([paxRecord('path', path), ...(entry.linkTarget === undefined ? [] : [paxRecord('linkpath', entry.linkTarget)])]);
  const header: TarHeader = { name: 'PaxHeader', type: 'file', mode: 0o644, uid: 0, gid: 0, size: records.length, mtime: keepTimestamps ? entry.mtime : NORMALISED_MTIME };
  pack.entry(header, records);
  header.type = PAX_HEADER;
}
