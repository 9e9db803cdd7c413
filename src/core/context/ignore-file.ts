// The lines of a .dockerignore as moby/patternmatcher's ignorefile.ReadAll reads them, each with its line
// number so that an error can point at it.
import { goClean, goTrimSpace } from './go-text.ts';

export interface IgnoreLine {
  /** 1-based line number in the ignore file. */
  readonly number: number;
  /** The pattern as ReadAll returns it: trimmed, cleaned, no leading `/`, `!` kept in front. */
  readonly text: string;
}

/** bufio.ScanLines: split at `\n`, one `\r` before it dropped, no empty last line after a final `\n`. */
function scanLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** ignorefile.ReadAll's rules for one line that is not a comment. */
function normalise(line: string): string | undefined {
  let pattern = goTrimSpace(line);
  if (pattern === '') return undefined;
  const invert = pattern.startsWith('!');
  if (invert) pattern = goTrimSpace(pattern.slice(1));
  if (pattern !== '') {
    pattern = goClean(pattern);
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
  }
  return invert ? `!${pattern}` : pattern;
}

/**
 * ignorefile.ReadAll: a UTF-8 BOM is dropped from the first line; a line whose very first character is `#` is a
 * comment (checked before trimming, so `  # x` is the pattern `# x`); blank lines are skipped.
 */
export function readIgnoreFile(text: string): IgnoreLine[] {
  const out: IgnoreLine[] = [];
  scanLines(text).forEach((raw, index) => {
    const line = index === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.startsWith('#')) return;
    const pattern = normalise(line);
    if (pattern !== undefined) out.push({ number: index + 1, text: pattern });
  });
  return out;
}
