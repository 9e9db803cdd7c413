// A port of BuildKit's shell lexer (frontend/dockerfile/shell/lex.go) limited to what the reader needs:
// word splitting and quote/escape removal with no variables set and SkipUnsetEnv on, so `$x` and `${x…}`
// stay as written. Errors are the lexer's syntax errors (unbalanced quotes, bad substitutions).
import { isGoSpace } from './goText.ts';

export interface LexOptions {
  readonly escape: string;
  /** Lex.RawQuotes: keep the quote characters in the result. */
  readonly rawQuotes?: boolean;
  /** Lex.RawEscapes: keep the escape characters in the result. */
  readonly rawEscapes?: boolean;
}

export class ShellSyntaxError extends Error {}

const EOF = '';

/** Go's unicode.IsLetter / IsDigit as processName uses them. */
const NAME_CHAR = /^[\p{L}\p{Nd}_]$/u;
const DIGIT = /^\p{Nd}$/u;
/** shell.isSpecialParam */
const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);
/** shell.isWhitespace (spaces allowed between `<<` and a heredoc word) */
const HEREDOC_SPACE = new Set(['\t', '\r', ' ']);

/** shell.wordsStruct; its buffer is shared by nested calls exactly as Go shares shellWord.wordsBuffer. */
class Words {
  readonly words: string[] = [];
  inWord = false;
  readonly buffer: { text: string };

  constructor(buffer: { text: string }) {
    this.buffer = buffer;
  }

  addChar(ch: string): void {
    if (isGoSpace(ch) && this.inWord) {
      if (this.buffer.text.length !== 0) {
        this.words.push(this.buffer.text);
        this.buffer.text = '';
        this.inWord = false;
      }
    } else if (!isGoSpace(ch)) {
      this.addRawChar(ch);
    }
  }

  addRawChar(ch: string): void {
    this.buffer.text += ch;
    this.inWord = true;
  }

  addString(text: string): void {
    for (const ch of text) this.addChar(ch);
  }

  addRawString(text: string): void {
    this.buffer.text += text;
    this.inWord = true;
  }

  getWords(): string[] {
    if (this.buffer.text.length > 0) {
      this.words.push(this.buffer.text);
      this.buffer.text = '';
      this.inWord = false;
    }
    return this.words;
  }
}

/** shell.shellWord over one input, read rune by rune like text/scanner. */
class ShellWord {
  readonly #chars: string[];
  #pos = 0;
  #rawEscapes: boolean;
  readonly #wordsBuffer = { text: '' };
  readonly options: LexOptions;

  constructor(input: string, options: LexOptions) {
    this.options = options;
    this.#chars = Array.from(input);
    this.#rawEscapes = options.rawEscapes ?? false;
  }

  #peek(): string {
    return this.#chars[this.#pos] ?? EOF;
  }

  #next(): string {
    const ch = this.#peek();
    if (ch !== EOF) this.#pos++;
    return ch;
  }

  /** shellWord.processStopOn */
  processStopOn(stopChar: string, rawEscapes: boolean): { result: string; words: string[] } {
    let result = '';
    this.#wordsBuffer.text = '';
    const words = new Words(this.#wordsBuffer);
    const saved = this.#rawEscapes;
    this.#rawEscapes = rawEscapes;
    try {
      while (this.#peek() !== EOF) {
        const ch = this.#peek();
        if (stopChar !== EOF && ch === stopChar) {
          this.#next();
          return { result, words: words.getWords() };
        }
        const special = this.#special(ch);
        if (special) {
          const text = special();
          result += text;
          if (ch === '$') words.addString(text);
          else words.addRawString(text);
          continue;
        }
        let plain = this.#next();
        if (plain === this.options.escape) {
          if (this.#rawEscapes) {
            words.addRawChar(plain);
            result += plain;
          }
          plain = this.#next();
          if (plain === EOF) break;
          words.addRawChar(plain);
        } else {
          words.addChar(plain);
        }
        result += plain;
      }
      if (stopChar !== EOF) throw new ShellSyntaxError(`unexpected end of statement while looking for matching ${stopChar}`);
      return { result, words: words.getWords() };
    } finally {
      this.#rawEscapes = saved;
    }
  }

  #special(ch: string): (() => string) | undefined {
    switch (ch) {
      case '$': return () => this.#processDollar();
      case '<': return () => this.#processPossibleHeredoc();
      case "'": return () => this.#processSingleQuote();
      case '"': return () => this.#processDoubleQuote();
      default: return undefined;
    }
  }

  /** shellWord.processSingleQuote: everything literal up to the next `'`. */
  #processSingleQuote(): string {
    const raw = this.options.rawQuotes ?? false;
    let result = raw ? this.#next() : (this.#next(), '');
    for (;;) {
      const ch = this.#next();
      if (ch === EOF) throw new ShellSyntaxError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return raw ? result + ch : result;
      result += ch;
    }
  }

  /** shellWord.processDoubleQuote: `$` expands; the escape token escapes only `"`, `$` and itself. */
  #processDoubleQuote(): string {
    const raw = this.options.rawQuotes ?? false;
    let result = raw ? this.#next() : (this.#next(), '');
    for (;;) {
      const peeked = this.#peek();
      if (peeked === EOF) throw new ShellSyntaxError('unexpected end of statement while looking for matching double-quote');
      if (peeked === '"') {
        const quote = this.#next();
        return raw ? result + quote : result;
      }
      if (peeked === '$') {
        result += this.#processDollar();
        continue;
      }
      let ch = this.#next();
      if (ch === this.options.escape) {
        if (this.#rawEscapes) result += ch;
        const after = this.#peek();
        if (after === EOF) continue;
        if (after === '"' || after === '$' || after === this.options.escape) ch = this.#next();
      }
      result += ch;
    }
  }

  /** shellWord.processDollar with no variable set and SkipUnsetEnv: references come back as written. */
  #processDollar(): string {
    this.#next();
    if (this.#peek() !== '{') {
      const name = this.#processName();
      return name === '' ? '$' : `$${name}`;
    }
    this.#next();
    const first = this.#peek();
    if (first === EOF) throw new ShellSyntaxError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new ShellSyntaxError('syntax error: bad substitution');
    const name = this.#processName();
    let ch = this.#next();
    // Go's string(rune(-1)) at the end of input is U+FFFD.
    let modifier = ch === EOF ? '\uFFFD' : ch;
    if (ch === '}') return `\${${name}}`;
    if (ch === ':' || ch === '+' || ch === '-' || ch === '?' || ch === '#' || ch === '%') {
      const nullIsUnset = ch === ':';
      if (nullIsUnset) {
        ch = this.#next();
        modifier += ch === EOF ? '\uFFFD' : ch;
      }
      const rawEscapes = ch === '#' || ch === '%';
      if (nullIsUnset && rawEscapes) throw new ShellSyntaxError(`unsupported modifier (${modifier}) in substitution`);
      const word = this.#stopOnOrMissing('}', rawEscapes, "syntax error: missing '}'");
      return `\${${name}${modifier}${word}}`;
    }
    if (ch === '/') {
      if (this.#peek() === '/') this.#next();
      const pattern = this.#stopOnOrMissing('/', true, "syntax error: missing '/' in ${}");
      const replacement = this.#stopOnOrMissing('}', true, "syntax error: missing '}'");
      return `\${${name}/${pattern}/${replacement}}`;
    }
    throw new ShellSyntaxError(`unsupported modifier (${modifier}) in substitution`);
  }

  #stopOnOrMissing(stopChar: string, rawEscapes: boolean, missing: string): string {
    try {
      return this.processStopOn(stopChar, rawEscapes).result;
    } catch (error) {
      if (this.#peek() === EOF) throw new ShellSyntaxError(missing);
      throw error;
    }
  }

  /** shellWord.processName */
  #processName(): string {
    let name = '';
    while (this.#peek() !== EOF) {
      const ch = this.#peek();
      if (name === '' && DIGIT.test(ch)) {
        while (this.#peek() !== EOF && DIGIT.test(this.#peek())) name += this.#next();
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(ch)) return this.#next();
      if (!NAME_CHAR.test(ch)) break;
      name += this.#next();
    }
    return name;
  }

  /** shellWord.processPossibleHeredoc: `<<` keeps the blanks after it, so `<< EOF` stays one word. */
  #processPossibleHeredoc(): string {
    this.#next();
    if (this.#peek() !== '<') return '<';
    this.#next();
    let spaces = '';
    while (HEREDOC_SPACE.has(this.#peek())) spaces += this.#next();
    return `<<${spaces}`;
  }
}

/** Lex.ProcessWords: the input split into words after quote and escape processing. */
export function processWords(input: string, options: LexOptions): string[] {
  return new ShellWord(input, options).processStopOn(EOF, options.rawEscapes ?? false).words;
}

/** Lex.ProcessWord: the input as one string after quote and escape processing. */
export function processWord(input: string, options: LexOptions): string {
  return new ShellWord(input, options).processStopOn(EOF, options.rawEscapes ?? false).result;
}
