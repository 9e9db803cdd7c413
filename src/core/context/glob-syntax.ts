// The syntax check moby/patternmatcher's New makes on every pattern: it calls Go's filepath.Match(pattern, ".")
// and fails on its error. This is that function (Go 1.26, Unix) over code points, keeping only the error; it
// stops checking at the first chunk that cannot match ".", exactly as Go does, so `a*[` passes here as it does
// there (Docker then fails when it compiles the pattern's regular expression, see go-regexp.ts).
const STAR = 0x2a;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const BACKSLASH = 0x5c;
const CARET = 0x5e;
const DASH = 0x2d;
const QUESTION = 0x3f;
const SLASH = 0x2f;

class BadPattern extends Error {}

/** filepath.scanChunk: leading stars, then everything up to the next `*` outside brackets. */
function scanChunk(pattern: number[]): [star: boolean, chunk: number[], rest: number[]] {
  let start = 0;
  while (start < pattern.length && pattern[start] === STAR) start += 1;
  const body = pattern.slice(start);
  let inRange = false;
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i];
    if (c === BACKSLASH && i + 1 < body.length) i += 1;
    else if (c === OPEN) inRange = true;
    else if (c === CLOSE) inRange = false;
    else if (c === STAR && !inRange) return [start > 0, body.slice(0, i), body.slice(i)];
  }
  return [start > 0, body, []];
}

/** filepath.getEsc: one possibly escaped character of a class; `atClose` names the error of a `]` here. */
function getEsc(chunk: number[], atClose: string): [number, number[]] {
  if (chunk.length === 0) throw new BadPattern('an unclosed "["');
  if (chunk[0] === DASH) throw new BadPattern('a "-" with no character before it in a character class');
  if (chunk[0] === CLOSE) throw new BadPattern(atClose);
  const rest = chunk[0] === BACKSLASH ? chunk.slice(1) : chunk;
  // Go also fails when nothing follows the character: the class is not closed.
  if (rest.length < 2) throw new BadPattern('an unclosed "["');
  return [rest[0], rest.slice(1)];
}

/** filepath.matchChunk: after a mismatch it goes on reading the chunk, only to find syntax errors. */
function matchChunk(pattern: number[], name: number[]): [rest: number[], ok: boolean] {
  let chunk = pattern;
  let s = name;
  let failed = false;
  while (chunk.length > 0) {
    failed ||= s.length === 0;
    const c = chunk[0];
    if (c === OPEN) {
      const r: number = failed ? 0 : s[0];
      if (!failed) s = s.slice(1);
      chunk = chunk.slice(1);
      const negated = chunk[0] === CARET;
      if (negated) chunk = chunk.slice(1);
      let match = false;
      for (let ranges = 0; ; ranges += 1) {
        if (chunk[0] === CLOSE && ranges > 0) {
          chunk = chunk.slice(1);
          break;
        }
        let lo: number;
        [lo, chunk] = getEsc(chunk, 'an empty character class "[]"');
        let hi = lo;
        if (chunk[0] === DASH) [hi, chunk] = getEsc(chunk.slice(1), 'a range with no end, like "[a-]"');
        match ||= lo <= r && r <= hi;
      }
      failed ||= match === negated;
      continue;
    }
    if (c === QUESTION) {
      if (!failed) {
        failed = s[0] === SLASH;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      continue;
    }
    if (c === BACKSLASH) {
      chunk = chunk.slice(1);
      if (chunk.length === 0) throw new BadPattern('a trailing backslash');
    }
    if (!failed) {
      failed = chunk[0] !== s[0];
      s = s.slice(1);
    }
    chunk = chunk.slice(1);
  }
  return failed ? [[], false] : [s, true];
}

/** filepath.Match. */
function match(pattern: number[], name: number[]): boolean {
  let rest = pattern;
  let left = name;
  next: while (rest.length > 0) {
    const [star, chunk, after] = scanChunk(rest);
    rest = after;
    if (star && chunk.length === 0) return !left.includes(SLASH);
    const [t, ok] = matchChunk(chunk, left);
    if (ok && (t.length === 0 || rest.length > 0)) {
      left = t;
      continue;
    }
    if (star) {
      for (let i = 0; i < left.length && left[i] !== SLASH; i += 1) {
        const [t2, ok2] = matchChunk(chunk, left.slice(i + 1));
        if (!ok2 || (rest.length === 0 && t2.length > 0)) continue;
        left = t2;
        continue next;
      }
    }
    return false;
  }
  return left.length === 0;
}

const codePoints = (text: string): number[] => Array.from(text, (ch) => ch.codePointAt(0) ?? 0);

/** What filepath.Match(pattern, ".") rejects in `pattern`, in words, or undefined when it passes. */
export function globSyntaxError(pattern: string): string | undefined {
  try {
    match(codePoints(pattern), codePoints('.'));
    return undefined;
  } catch (error) {
    if (error instanceof BadPattern) return error.message;
    throw error;
  }
}
