// moby/patternmatcher (v0.6.1, what BuildKit and kaniko use), ported: New, Pattern.compile, Pattern.match and
// MatchesUsingParentResults. Paths are slash-separated and relative to the context, as on Linux.
import { globSyntaxError } from './glob-syntax.ts';
import { goRegexp, GoRegexpError } from './go-regexp.ts';
import { goClean, goTrimSpace } from './go-text.ts';

/** Why a pattern is refused, in words; Docker refuses the same patterns. */
export class PatternError extends Error {}

export interface Pattern {
  /** A `!` line: re-includes what it matches. */
  readonly exclusion: boolean;
  /** The pattern after New's trimming and cleaning, without its `!` (Pattern.String). */
  readonly text: string;
  matches(path: string): boolean;
}

// shouldEscape: regular-expression characters that filepath.Match reads literally. Its table is meant to
// hold `.+()|{}$`, but the bit for a character from `@` on overflows its byte and is lost: `|`, `{` and `}`
// reach Go's regexp as they are (`a|b*` is an alternation there, `x{2}*` a repetition).
const REGEXP_ONLY = new Set('.+()$');

/** Pattern.compile: the pattern as a regular expression, or one of the cheaper match types it detects. */
function compile(text: string): (path: string) => boolean {
  let source = '^';
  let type: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  const chars = Array.from(text);
  // text/scanner skips a byte-order mark that starts its input.
  let at = chars[0] === '\uFEFF' ? 1 : 0;
  for (let i = 0; at < chars.length; i += 1) {
    const ch = chars[at++];
    if (ch === '*' && chars[at] === '*') {
      at += 1;
      // `**/` counts as `**`.
      if (chars[at] === '/') at += 1;
      if (at === chars.length) {
        // A trailing `**` takes everything, as in .gitignore.
        if (type === 'exact') type = 'prefix';
        else {
          source += '.*';
          type = 'regexp';
        }
      } else {
        source += '(.*/)?';
        type = 'regexp';
      }
      if (i === 0) type = 'suffix';
    } else if (ch === '*') {
      source += '[^/]*';
      type = 'regexp';
    } else if (ch === '?') {
      source += '[^/]';
      type = 'regexp';
    } else if (REGEXP_ONLY.has(ch)) {
      source += `\\${ch}`;
    } else if (ch === '\\') {
      // The next character goes to Go's regexp escaped, whatever it is (`\d` is a digit there).
      if (at < chars.length) {
        source += `\\${chars[at++]}`;
        type = 'regexp';
      } else {
        source += '\\';
      }
    } else if (ch === '[' || ch === ']') {
      source += ch;
      type = 'regexp';
    } else {
      source += ch;
    }
  }
  return matcherFor(type, text, source);
}

/** Pattern.match for the detected type. */
function matcherFor(type: 'exact' | 'prefix' | 'suffix' | 'regexp', text: string, source: string): (path: string) => boolean {
  switch (type) {
    case 'exact':
      return (path) => path === text;
    case 'prefix': {
      const prefix = text.slice(0, -2);
      return (path) => path.startsWith(prefix);
    }
    case 'suffix': {
      // Go cuts two bytes: only a pattern starting with a byte-order mark (skipped above) differs from
      // cutting `**`, and its suffix then starts inside a character, which no path read as text ends with.
      if (!text.startsWith('**')) return () => false;
      const suffix = text.slice(2);
      return (path) => path.endsWith(suffix) || (suffix.startsWith('/') && path === suffix.slice(1));
    }
    case 'regexp': {
      try {
        const regexp = goRegexp(`${source}$`);
        return (path) => regexp.test(path);
      } catch (error) {
        if (error instanceof GoRegexpError) throw new PatternError(`a regular expression Docker cannot compile (Go says: ${error.message})`);
        throw error;
      }
    }
  }
}

/**
 * patternmatcher.New for one pattern as ignorefile.ReadAll returns it; undefined for a blank one. Throws a
 * PatternError for what Docker refuses. Docker compiles the regular expression on first use and fails the
 * build then; we compile at once, so a bad line fails even if no path ever reaches it.
 */
export function newPattern(raw: string): Pattern | undefined {
  let text = goTrimSpace(raw);
  if (text === '') return undefined;
  text = goClean(text);
  const exclusion = text.startsWith('!');
  if (exclusion) {
    if (text.length === 1) throw new PatternError('a "!" with no pattern after it');
    text = text.slice(1);
  }
  const syntax = globSyntaxError(text);
  if (syntax !== undefined) throw new PatternError(syntax);
  return { exclusion, text, matches: compile(text) };
}

/** Why Docker refuses the pattern, in words, or undefined when it takes it. */
export function patternProblem(raw: string): string | undefined {
  try {
    newPattern(raw);
    return undefined;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
}

/** Per-pattern results for a folder, handed to its children (patternmatcher.MatchInfo). */
export type ParentResults = readonly boolean[];

/**
 * PatternMatcher.MatchesUsingParentResults: whether `path` is excluded, and the results its children need.
 * A pattern its folder matched matches it too; an exclusion is only tried once something matched, an
 * ordinary pattern only while nothing does. Without `parent` every ancestor is tried (MatchesOrParentMatches).
 */
export function matchUsingParentResults(patterns: readonly Pattern[], path: string, parent?: ParentResults): { excluded: boolean; results: boolean[] } {
  let excluded = false;
  const results = new Array<boolean>(patterns.length).fill(false);
  patterns.forEach((pattern, i) => {
    let match = parent?.[i] ?? false;
    if (!match) {
      if (pattern.exclusion !== excluded) return;
      match = pattern.matches(path) || (parent === undefined && ancestors(path).some((dir) => pattern.matches(dir)));
    }
    results[i] = match;
    if (match) excluded = !pattern.exclusion;
  });
  return { excluded, results };
}

/** `a`, `a/b` for `a/b/c`. */
function ancestors(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
