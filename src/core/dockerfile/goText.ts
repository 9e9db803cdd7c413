// Go's text primitives as BuildKit's parser uses them, so our port splits and trims exactly where Go does.

/** Go's unicode.IsSpace: ASCII blanks, NEL, NBSP and the Unicode Z categories (JS `\s` differs: it has U+FEFF). */
export function isGoSpace(ch: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/u.test(ch);
}

/** bytes.TrimLeftFunc(s, unicode.IsSpace) */
export function trimLeftGoSpace(text: string): string {
  let start = 0;
  for (const ch of text) {
    if (!isGoSpace(ch)) break;
    start += ch.length;
  }
  return text.slice(start);
}

/** strings.TrimSpace */
export function trimGoSpace(text: string): string {
  const chars = Array.from(trimLeftGoSpace(text));
  while (chars.length > 0 && isGoSpace(chars[chars.length - 1])) chars.pop();
  return chars.join('');
}

/** parser.scanLines: lines split after each `\n`, endings kept; no empty line after a final newline. */
export function scanLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** parser.trimNewline: bytes.TrimRight(line, "\r\n") */
export function trimNewline(line: string): string {
  return line.replace(/[\r\n]+$/, '');
}
