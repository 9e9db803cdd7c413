// Go's regexp (RE2 syntax, regexp.Compile's Perl flags) read into an equivalent JavaScript RegExp, for the
// expressions moby/patternmatcher builds from .dockerignore patterns. Those hand Go's parser whatever follows a
// `\`, `[` or `]` in the pattern, so `\d`, `[[:alpha:]]`, `\Q…\E` or `\pL` mean what they mean to Go, and what
// Go's parser rejects (`\é`, `[z-a]`, `[[:foo:]]`) is rejected here too. Every rule below mirrors one of
// regexp/syntax's parse.go functions (named in its comment). Not reachable from those expressions, and so not
// read: flag groups `(?…)` (patternmatcher escapes `(`, so every group is its own `(.*/)?`).

export class GoRegexpError extends Error {}

type Range = readonly [number, number];

const MAX_RUNE = 0x10ffff;
const ranges = (...pairs: Array<[number | string, number | string]>): Range[] =>
  pairs.map(([lo, hi]) => [typeof lo === 'string' ? lo.codePointAt(0) ?? 0 : lo, typeof hi === 'string' ? hi.codePointAt(0) ?? 0 : hi]);

// perl_groups.go: the ASCII classes.
const DIGIT = ranges(['0', '9']);
const SPACE = ranges(['\t', '\n'], ['\f', '\r'], [' ', ' ']);
const WORD = ranges(['0', '9'], ['A', 'Z'], ['_', '_'], ['a', 'z']);
const PERL: Record<string, Range[]> = { d: DIGIT, s: SPACE, w: WORD };
const POSIX: Record<string, Range[]> = {
  alnum: ranges(['0', '9'], ['A', 'Z'], ['a', 'z']),
  alpha: ranges(['A', 'Z'], ['a', 'z']),
  ascii: ranges([0, 0x7f]),
  blank: ranges(['\t', '\t'], [' ', ' ']),
  cntrl: ranges([0, 0x1f], [0x7f, 0x7f]),
  digit: DIGIT,
  graph: ranges(['!', '~']),
  lower: ranges(['a', 'z']),
  print: ranges([' ', '~']),
  punct: ranges(['!', '/'], [':', '@'], ['[', '`'], ['{', '~']),
  space: ranges(['\t', '\r'], [' ', ' ']),
  upper: ranges(['A', 'Z']),
  word: WORD,
  xdigit: ranges(['0', '9'], ['A', 'F'], ['a', 'f']),
};

/** Code points outside `set` (sorted, not overlapping). */
function complement(set: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of [...set].sort((a, b) => a[0] - b[0])) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

const hex = (c: number): string => `\\u{${c.toString(16)}}`;
const rangeText = ([lo, hi]: Range): string => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`);
/** One set as a nested class of the `v` flag. */
const setText = (set: readonly Range[]): string => `[${set.map(rangeText).join('')}]`;

// The general categories by their long names (Go's unicode.CategoryAliases), for `\p{Uppercase_Letter}`.
const CATEGORY_ALIASES: Record<string, string> = {
  Other: 'C', Control: 'Cc', Cntrl: 'Cc', Format: 'Cf', Unassigned: 'Cn', Privateuse: 'Co', Surrogate: 'Cs',
  Letter: 'L', Casedletter: 'LC', Lowercaseletter: 'Ll', Modifierletter: 'Lm', Otherletter: 'Lo', Titlecaseletter: 'Lt',
  Uppercaseletter: 'Lu', Mark: 'M', Combiningmark: 'M', Spacingmark: 'Mc', Enclosingmark: 'Me', Nonspacingmark: 'Mn',
  Number: 'N', Decimalnumber: 'Nd', Digit: 'Nd', Letternumber: 'Nl', Othernumber: 'No', Punctuation: 'P', Punct: 'P',
  Connectorpunctuation: 'Pc', Dashpunctuation: 'Pd', Closepunctuation: 'Pe', Finalpunctuation: 'Pf',
  Initialpunctuation: 'Pi', Otherpunctuation: 'Po', Openpunctuation: 'Ps', Symbol: 'S', Currencysymbol: 'Sc',
  Modifiersymbol: 'Sk', Mathsymbol: 'Sm', Othersymbol: 'So', Separator: 'Z', Lineseparator: 'Zl',
  Paragraphseparator: 'Zp', Spaceseparator: 'Zs',
};
const CATEGORIES = new Set('C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '));

/** canonicalName: `_`, `-` and spaces dropped, the first letter upper case, the others lower case. */
function canonicalName(name: string): string {
  const bare = name.replace(/[-_ ]/g, '');
  return bare.slice(0, 1).replace(/[a-z]/, (c) => c.toUpperCase()) + bare.slice(1).replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** A script name JavaScript knows too (Go's unicode.Scripts), as a property escape; undefined otherwise. */
function scriptSet(name: string): string | undefined {
  const escape = `\\p{Script=${name}}`;
  try {
    RegExp(escape, 'v');
    return escape;
  } catch {
    return undefined;
  }
}

/** unicodeTable: the class a `\p` name stands for, as a `v`-flag class item; Go's C is Cc|Cf|Co|Cs, without Cn. */
function unicodeSet(rawName: string, positive: boolean): string | undefined {
  const name = canonicalName(rawName);
  const category = CATEGORIES.has(name) ? name : name === 'Lc' ? 'LC' : CATEGORY_ALIASES[name];
  let set: string | undefined;
  if (name === 'Any') set = setText([[0, MAX_RUNE]]);
  else if (name === 'Assigned') set = '\\P{Cn}';
  else if (name === 'Ascii') set = setText([[0, 0x7f]]);
  else if (category === 'C') set = '[\\p{C}--\\p{Cn}]';
  else if (category !== undefined) set = `\\p{${category}}`;
  else if (/^[A-Z][a-z]*$/.test(name)) set = scriptSet(name);
  if (set === undefined) return undefined;
  return positive ? set : `[^${set}]`;
}

const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isAlnum = (c: string): boolean => /^[0-9A-Za-z]$/.test(c);
const unhex = (c: string | undefined): number => (c !== undefined && /^[0-9A-Fa-f]$/.test(c) ? parseInt(c, 16) : -1);
const CONTROL: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };

class Parser {
  readonly #cs: string[];
  #i = 0;

  constructor(source: string) {
    this.#cs = Array.from(source);
  }

  #fail(what: string): never {
    throw new GoRegexpError(what);
  }

  #peek(offset = 0): string | undefined {
    return this.#cs[this.#i + offset];
  }

  /** parseEscape: one escaped character (octal, hex, C escape, or a non-word ASCII character as itself). */
  #escape(): number {
    this.#i += 1;
    const c = this.#peek();
    if (c === undefined) this.#fail('trailing backslash at end of expression');
    this.#i += 1;
    if (c.charCodeAt(0) < 0x80 && !isAlnum(c)) return c.charCodeAt(0);
    if ((c >= '1' && c <= '7' && isOctal(this.#peek())) || c === '0') {
      // Up to two more octal digits; a single non-zero digit would be a back-reference, which Go refuses.
      let value = Number(c);
      for (let more = 0; more < 2 && isOctal(this.#peek()); more += 1) {
        value = value * 8 + Number(this.#peek());
        this.#i += 1;
      }
      return value;
    }
    if (c === 'x' && this.#peek() === '{') {
      // `\x{…}`: one or more hex digits up to U+10FFFF.
      const digits = /^\{([0-9A-Fa-f]+)\}/.exec(this.#cs.slice(this.#i).join(''));
      const value = digits === null ? NaN : parseInt(digits[1], 16);
      if (digits !== null && value <= MAX_RUNE) {
        this.#i += digits[0].length;
        return value;
      }
    } else if (c === 'x') {
      const x = unhex(this.#peek());
      const y = unhex(this.#peek(1));
      if (x >= 0 && y >= 0) {
        this.#i += 2;
        return x * 16 + y;
      }
    }
    if (Object.hasOwn(CONTROL, c)) return CONTROL[c];
    this.#fail(`invalid escape sequence: \\${c}`);
  }

  /** parsePerlClassEscape: `\d \s \w` and their negations, as a set; undefined when not one. */
  #perlClass(): Range[] | undefined {
    const letter = this.#peek(1);
    if (this.#peek() !== '\\' || letter === undefined) return undefined;
    if (!'dDsSwW'.includes(letter)) return undefined;
    const set = PERL[letter.toLowerCase()];
    this.#i += 2;
    return letter === letter.toLowerCase() ? set : complement(set);
  }

  /** parseUnicodeClass: `\pX`, `\p{Name}` or `\p{^Name}` (and `\P…`, their negation); undefined when not one. */
  #unicodeClass(): string | undefined {
    const p = this.#peek(1);
    if (this.#peek() !== '\\' || (p !== 'p' && p !== 'P')) return undefined;
    let name = this.#peek(2) ?? '';
    let length = 2 + (name === '' ? 0 : 1);
    if (name === '{') {
      const rest = this.#cs.slice(this.#i + 3).join('');
      const end = rest.indexOf('}');
      if (end < 0) this.#fail(`invalid character class range: \\${p}{${rest}`);
      name = rest.slice(0, end);
      length = 4 + Array.from(name).length;
    }
    this.#i += length;
    const negated = name.startsWith('^');
    return unicodeSet(negated ? name.slice(1) : name, (p === 'p') !== negated) ?? this.#fail(`invalid character class range: \\${p}${name}`);
  }

  /** parseNamedClass: `[:alpha:]` / `[:^alpha:]`; Go looks for the closing `:]` anywhere after the `[:`. */
  #namedClass(): Range[] | undefined {
    if (this.#peek() !== '[' || this.#peek(1) !== ':' || this.#peek(2) === undefined) return undefined;
    const rest = this.#cs.slice(this.#i + 2).join('');
    const end = rest.indexOf(':]');
    if (end < 0) return undefined;
    const name = rest.slice(0, end);
    const bare = name.replace(/^\^/, '');
    const set = Object.hasOwn(POSIX, bare) ? POSIX[bare] : undefined;
    if (set === undefined) this.#fail(`invalid character class range: [:${name}:]`);
    this.#i += 2 + Array.from(rest.slice(0, end + 2)).length;
    return name.startsWith('^') ? complement(set) : set;
  }

  /** parseClassChar. */
  #classChar(): number {
    const c = this.#peek();
    if (c === undefined) this.#fail('missing closing ]');
    if (c === '\\') return this.#escape();
    this.#i += 1;
    return c.codePointAt(0) ?? 0;
  }

  /** parseClass: `[…]` from the `[` on. */
  #charClass(): string {
    this.#i += 1;
    const negated = this.#peek() === '^';
    if (negated) this.#i += 1;
    const items: string[] = [];
    for (let first = true; first || this.#peek() !== ']'; first = false) {
      if (this.#peek() === undefined) this.#fail('missing closing ]');
      const named = this.#namedClass() ?? this.#perlClass();
      if (named !== undefined) {
        items.push(setText(named));
        continue;
      }
      const unicode = this.#unicodeClass();
      if (unicode !== undefined) {
        items.push(unicode);
        continue;
      }
      const lo = this.#classChar();
      let hi = lo;
      // `[a-]` is `a` or `-`.
      if (this.#peek() === '-' && this.#peek(1) !== undefined && this.#peek(1) !== ']') {
        this.#i += 1;
        hi = this.#classChar();
        if (hi < lo) this.#fail('invalid character class range');
      }
      items.push(setText([[lo, hi]]));
    }
    this.#i += 1;
    return `[${negated ? '^' : ''}${items.join('')}]`;
  }

  /** The `\` cases of parse's main loop. Go lets a repetition take an assertion (`^*`), JavaScript only a group. */
  #backslash(): { text: string; atom: boolean } {
    switch (this.#peek(1)) {
      case 'A': this.#i += 2; return { text: '(?:^)', atom: true };
      case 'z': this.#i += 2; return { text: '(?:$)', atom: true };
      case 'b': this.#i += 2; return { text: '(?:\\b)', atom: true };
      case 'B': this.#i += 2; return { text: '(?:\\B)', atom: true };
      case 'C': return this.#fail('invalid escape sequence: \\C');
      case 'Q': {
        // \Q…\E: literal text up to \E or the end.
        const rest = this.#cs.slice(this.#i + 2).join('');
        const end = rest.indexOf('\\E');
        const literal = end < 0 ? rest : rest.slice(0, end);
        this.#i += 2 + Array.from(end < 0 ? rest : rest.slice(0, end + 2)).length;
        // Go pushes each character: a repetition after \E takes the last one.
        return { text: Array.from(literal, (ch) => hex(ch.codePointAt(0) ?? 0)).join(''), atom: literal !== '' };
      }
      default:
    }
    const unicode = this.#unicodeClass();
    if (unicode !== undefined) return { text: `[${unicode}]`, atom: true };
    const perl = this.#perlClass();
    if (perl !== undefined) return { text: setText(perl), atom: true };
    return { text: hex(this.#escape()), atom: true };
  }

  /**
   * parseRepeat: `{n}`, `{n,}` or `{n,m}` at the cursor as JavaScript reads them (not consumed), or undefined
   * when it is not one and `{` is a literal. Go refuses counts above 1000 and `m` below `n`.
   */
  #braces(): string | undefined {
    const found = /^\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}/.exec(this.#cs.slice(this.#i).join(''));
    if (found === null) return undefined;
    const min = Number(found[1]);
    const max = found[2] === undefined ? min : found[3] === undefined ? Infinity : Number(found[3]);
    if (min > 1000 || (max !== Infinity && (max > 1000 || min > max))) this.#fail(`invalid repeat count: ${found[0]}`);
    return found[0];
  }

  /** parse: a concatenation, up to the `)` that ends a group when `inGroup`. */
  sequence(inGroup: boolean): string {
    let out = '';
    // Whether the last item can take a repetition, and whether the last thing read was one.
    let atom = false;
    let repeated = false;
    for (let c = this.#peek(); c !== undefined; c = this.#peek()) {
      if (c === ')') {
        if (inGroup) return out;
        this.#fail('unexpected )');
      }
      if (c === '|') {
        this.#i += 1;
        out += '|';
        atom = false;
        repeated = false;
        continue;
      }
      const repetition = c === '*' || c === '?' || c === '+' ? c : c === '{' ? this.#braces() : undefined;
      if (repetition !== undefined) {
        // repeat: stacked repetitions are an error; a `?` right after one makes it lazy (the same verdict).
        if (repeated) this.#fail('invalid nested repetition operator');
        if (!atom) this.#fail('missing argument to repetition operator');
        this.#i += Array.from(repetition).length;
        out += repetition;
        if (this.#peek() === '?') {
          this.#i += 1;
          out += '?';
        }
        repeated = true;
        continue;
      }
      repeated = false;
      const item = this.#item(c);
      out += item.text;
      atom = item.atom;
    }
    if (inGroup) this.#fail('missing closing )');
    return out;
  }

  #item(c: string): { text: string; atom: boolean } {
    switch (c) {
      case '(': {
        this.#i += 1;
        const inner = this.sequence(true);
        this.#i += 1;
        return { text: `(?:${inner})`, atom: true };
      }
      case '^': this.#i += 1; return { text: '(?:^)', atom: true };
      case '$': this.#i += 1; return { text: '(?:$)', atom: true };
      case '.': this.#i += 1; return { text: '[^\\n]', atom: true };
      case '[': return { text: this.#charClass(), atom: true };
      case '\\': return this.#backslash();
      default:
        this.#i += 1;
        return { text: hex(c.codePointAt(0) ?? 0), atom: true };
    }
  }
}

/** regexp.Compile(source) as a JavaScript RegExp; throws GoRegexpError where Go's parser fails. */
export function goRegexp(source: string): RegExp {
  return new RegExp(new Parser(source).sequence(false), 'v');
}
