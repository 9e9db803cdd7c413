// Go's string helpers that Docker's .dockerignore handling relies on, with Go's exact rules (Node's own
// path.normalize and String.prototype.trim differ: a kept trailing slash, U+FEFF trimmed, U+0085 not).

// Go's unicode.IsSpace: the Latin-1 spaces plus the other White_Space code points.
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const EDGE_SPACES = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

/** strings.TrimSpace. */
export function goTrimSpace(text: string): string {
  return text.replace(EDGE_SPACES, '');
}

/** path/filepath.Clean on Unix: no empty or `.` elements, `..` resolved lexically, no trailing slash. */
export function goClean(path: string): string {
  const rooted = path.startsWith('/');
  const kept: string[] = [];
  for (const element of path.split('/')) {
    if (element === '' || element === '.') continue;
    if (element !== '..') kept.push(element);
    else if (kept.length > 0 && kept.at(-1) !== '..') kept.pop();
    else if (!rooted) kept.push('..');
  }
  const joined = kept.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
