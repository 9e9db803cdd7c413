// Docker's .dockerignore semantics, matched with @balena/dockerignore (a port of moby's
// fileutils PatternMatcher), plus what the library does not do: validating patterns,
// telling whether an excluded directory can be skipped without reading it, and keeping
// its per-path cache from growing with the size of the context.
import { posix } from 'node:path';
import dockerignore from '@balena/dockerignore';
import type { Ignore } from '@balena/dockerignore';
import { ContextError } from './errors.ts';

/** One cleaned pattern, as Docker's dockerignore.ReadAll leaves it. */
interface Pattern {
  readonly text: string;
  readonly exception: boolean;
}

export interface IgnoreRules {
  /** True when Docker would leave `rel` (POSIX, relative to the context) out of the context. */
  excludes(rel: string): boolean;
  /** False when no exception pattern can re-include anything below the directory `rel`. */
  mayIncludeBelow(rel: string): boolean;
}

// balena's matcher caches every path it was asked about; start afresh from time to time
// so that 200 000 files do not stay in memory (the compiled rules are shared, not rebuilt).
const CACHE_LIMIT = 4096;

/** Backslash-escapes a literal path so that it matches only itself as a pattern. */
export function literalPattern(rel: string): string {
  return rel.replace(/[\\^$.*+?()[\]{}|#!]/g, (ch) => `\\${ch}`);
}

export interface IgnoreLine {
  /** 1-based line number in the ignore file, for error messages. */
  readonly number: number;
  readonly text: string;
}

/** Docker's ReadAll: drop a BOM, blank lines and comments, trim (cleaning is done by the matcher). */
export function parseIgnoreFile(text: string): IgnoreLine[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/)
    .map((raw, index) => ({ number: index + 1, text: raw.trim() }))
    .filter((line) => line.text !== '' && !line.text.startsWith('#'));
}

function clean(line: string): Pattern | undefined {
  const exception = line.startsWith('!');
  let text = exception ? line.slice(1).trim() : line;
  if (text === '') return undefined;
  text = posix.normalize(text).replace(/(?<=.)\/$/, '');
  if (text.length > 1 && text.startsWith('/')) text = text.slice(1);
  return { text, exception };
}

function matcher(patterns: readonly string[]): Ignore {
  // Docker matches case-sensitively on Linux; balena defaults to ignoring case. The package
  // is CommonJS: its factory is module.exports and, for typed ESM imports, `.default`.
  return dockerignore.default({ ignorecase: false }).add([...patterns]);
}

/**
 * Compiles the patterns of `ignoreFile` (its path is only used in error messages), with
 * `alwaysSent` paths re-included as Docker's CLI does for the Dockerfile and the ignore file.
 */
export function compileIgnoreRules(lines: readonly IgnoreLine[], ignoreFile: string, alwaysSent: readonly string[]): IgnoreRules {
  lines.forEach((line) => checkPattern(line, ignoreFile));
  const all = [...lines.map((line) => line.text), ...alwaysSent.map((rel) => `!${literalPattern(rel)}`)];
  const exceptions = all.map(clean).filter((p): p is Pattern => p !== undefined && p.exception);
  const rules = matcher(all);
  let current = matcher([]).add(rules);
  let asked = 0;
  const segmentMatchers = new Map<string, Ignore>();

  const segmentMatches = (segment: string, name: string): boolean => {
    let m = segmentMatchers.get(segment);
    if (m === undefined) {
      m = matcher([segment.startsWith('#') ? `\\${segment}` : segment]);
      segmentMatchers.set(segment, m);
    }
    return m.ignores(name);
  };

  return {
    excludes(rel) {
      if (++asked > CACHE_LIMIT) {
        current = matcher([]).add(rules);
        asked = 0;
      }
      return current.ignores(rel);
    },
    mayIncludeBelow(rel) {
      const dir = rel.split('/');
      return exceptions.some((p) => couldMatchBelow(p.text.split('/'), dir, segmentMatches));
    },
  };
}

/**
 * Whether `pattern` (split in segments) could match some path strictly below `dir`.
 * `**` stands for any number of segments; a segment mixing `**` with other text is
 * taken as "could match anything" so that we never skip what Docker would send.
 */
function couldMatchBelow(pattern: readonly string[], dir: readonly string[], segmentMatches: (segment: string, name: string) => boolean): boolean {
  const visit = (p: number, d: number): boolean => {
    if (d === dir.length) return p < pattern.length;
    if (p === pattern.length) return false;
    const segment = pattern[p];
    if (segment === '**') return visit(p + 1, d) || visit(p, d + 1);
    if (segment.includes('**')) return true;
    return segmentMatches(segment, dir[d]) && visit(p + 1, d + 1);
  };
  return visit(0, 0);
}

/** Rejects what Go's filepath.Match rejects (Docker fails the build on those) and what our regexps cannot compile. */
function checkPattern({ number, text: line }: IgnoreLine, ignoreFile: string): void {
  const body = line.startsWith('!') ? line.slice(1) : line;
  let problem: string | undefined;
  if (body.trim() === '') problem = 'a "!" with no pattern after it';
  else if (/\[\^?\]/.test(body.replace(/\\./g, ''))) problem = 'an empty character class "[]"';
  else if (/(^|[^\\])(\\\\)*\\$/.test(body)) problem = 'a trailing backslash';
  else {
    try {
      matcher([line]).ignores('probe');
    } catch {
      problem = 'an unclosed "[" or another character the matcher cannot read';
    }
  }
  if (problem !== undefined) {
    throw new ContextError('BadIgnorePattern', ignoreFile, `Line ${number} of the ignore file, "${line}", has ${problem}`,
      'Correct or remove that line (Docker uses Go filepath.Match patterns: `*`, `?`, `[a-z]`, `**`; escape special characters with `\\`).');
  }
}
