// Ports of the BuildKit line parsers the reader needs (frontend/dockerfile/parser/split_command.go and
// line_parsers.go): keyword/flags/arguments, word splitting for ARG, whitespace-split lists.
import { isGoSpace, trimGoSpace } from './goText.ts';

/** parser.reWhitespace (no newline: lines are already joined). */
const WHITESPACE = /[\t\v\f\r ]+/;

export interface SplitCommand {
  /** The keyword as written. */
  readonly keyword: string;
  /** What follows the keyword and its `--flag` words. */
  readonly args: string;
}

/** parser.splitCommand */
export function splitCommand(line: string, escape: string): SplitCommand {
  const trimmed = trimGoSpace(line);
  const match = WHITESPACE.exec(trimmed);
  if (!match) return { keyword: trimmed, args: '' };
  return { keyword: trimmed.slice(0, match.index), args: trimGoSpace(skipBuilderFlags(trimmed.slice(match.index + match[0].length), escape)) };
}

/**
 * parser.extractBuilderFlags, for where the arguments start (the flags themselves are not used): leading words
 * starting with `--`, quotes and escapes included, up to the first other word or a lone `--`. Go walks bytes
 * here, not runes, so we do too (UTF-8 bytes 0x85 and 0xA0 count as spaces).
 */
function skipBuilderFlags(line: string, escape: string): string {
  const bytes = Buffer.from(line, 'utf8');
  const escapeByte = escape.charCodeAt(0);
  const isSpaceByte = (b: number): boolean => isGoSpace(String.fromCharCode(b));
  const rest = (pos: number): string => bytes.subarray(pos).toString('utf8');
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  /** The current word's content so far, only to recognise a lone `--`. */
  let word = '';
  let quote = 0;
  for (let pos = 0; pos < bytes.length; pos++) {
    const ch = bytes[pos];
    if (phase === 'spaces') {
      if (isSpaceByte(ch)) continue;
      if (ch !== 0x2d || pos + 1 === bytes.length || bytes[pos + 1] !== 0x2d) return rest(pos);
      phase = 'word';
    }
    if (phase === 'word') {
      if (isSpaceByte(ch)) {
        if (word === '--') return rest(pos);
        phase = 'spaces';
        word = '';
        continue;
      }
      if (ch === 0x22 || ch === 0x27) {
        quote = ch;
        phase = 'quote';
        continue;
      }
      if (ch === escapeByte) {
        if (pos + 1 === bytes.length) continue;
        pos++;
      }
      word += String.fromCharCode(bytes[pos]);
      continue;
    }
    if (ch === quote) {
      phase = 'word';
      continue;
    }
    if (ch === escapeByte) {
      if (pos + 1 === bytes.length) {
        phase = 'word';
        continue;
      }
      pos++;
    }
    word += String.fromCharCode(bytes[pos]);
  }
  return '';
}

/**
 * parser.parseWords: words split on blanks outside quotes; quotes and escapes are kept (ARG expands them
 * later), an escape token at the very end is dropped.
 */
export function parseWords(rest: string, escape: string): string[] {
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let quote = '';
  let blankOK = false;
  let word = '';
  for (let pos = 0; pos <= chars.length; pos++) {
    const atEnd = pos === chars.length;
    let ch = chars[pos];
    if (phase === 'spaces') {
      if (atEnd) break;
      if (isGoSpace(ch)) continue;
      phase = 'word';
    }
    if (atEnd) {
      if (blankOK || word.length > 0) words.push(word);
      break;
    }
    if (phase === 'word') {
      if (isGoSpace(ch)) {
        phase = 'spaces';
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = 'quote';
      }
      if (ch === escape) {
        if (pos + 1 === chars.length) continue;
        word += ch;
        ch = chars[++pos];
      }
      word += ch;
      continue;
    }
    if (ch === quote) phase = 'word';
    // The escape token escapes in double quotes only.
    if (ch === escape && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = 'word';
        continue;
      }
      word += ch;
      ch = chars[++pos];
    }
    word += ch;
  }
  return words;
}

/** parser.parseStringsWhitespaceDelimited (FROM's arguments). */
export function splitWhitespace(args: string): string[] {
  return args === '' ? [] : args.split(WHITESPACE);
}
