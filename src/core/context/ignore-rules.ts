// The rules of one .dockerignore as the walk applies them: Docker's patterns (pattern-matcher.ts), the paths
// kaniko must get whatever the patterns say, and whether an excluded folder can be skipped unread.
//
// Which oracle: where the docker CLI's archive walk and BuildKit's filter differ we follow BuildKit (fsutil's
// filterFS.Walk), Docker's default builder. Both carry each folder's per-pattern results to its children
// (MatchesUsingParentResults), but the CLI never enters an excluded folder unless an exception's text starts
// with the folder's path, so `node_modules` + `!**/package.json` sends no package.json; BuildKit enters it when
// an exception has a wildcard, and sends them. Kaniko reads the Dockerfile and the ignore file from the
// context, so those two are always sent (BuildKit sends them apart), with their folders.
import { ContextError } from './errors.ts';
import type { IgnoreLine } from './ignore-file.ts';
import { matchUsingParentResults, newPattern, PatternError } from './pattern-matcher.ts';
import type { ParentResults, Pattern } from './pattern-matcher.ts';

/** What the walk carries into a folder: its per-pattern results, or that only kaniko's own files are sent below. */
export type FolderState = { readonly results: ParentResults | undefined } | 'alwaysSentOnly';

/** The walk's decision on one entry: whether it is sent, and for a folder how to walk below it (not at all when undefined). */
export type EntryDecision = { readonly sent: true; readonly below: FolderState } | { readonly sent: false; readonly below?: FolderState };

export interface IgnoreRules {
  /** The decision on `rel` (a folder when `isDirectory`), found in a folder walked with `folder`. */
  decide(rel: string, folder: FolderState, isDirectory: boolean): EntryDecision;
  /** Whether the patterns alone exclude `rel` (always-sent paths aside), each folder on its way evaluated as the walk does. */
  patternsExclude(rel: string): boolean;
}

/** One segment of an exception, as something a single name can be tested against; `**` any number of them. */
type Segment = RegExp | '**';

/**
 * An exception split into segments, or undefined when its segments cannot be read alone: a class or an escape
 * (Go's regexp lets `[^a]` match a `/`), `^`, `|` (an alternation to Go's regexp) and `{}` (a repetition),
 * a `**` glued to text, or a leading byte-order mark.
 */
function segmentsOf(text: string): Segment[] | undefined {
  if (/[[\]\\^|{}\uFEFF]/.test(text)) return undefined;
  const segments: Segment[] = [];
  for (const segment of text.split('/')) {
    if (segment === '**') segments.push('**');
    else if (segment.includes('**')) return undefined;
    else {
      const body = Array.from(segment, (ch) => (ch === '*' ? String.raw`[^\/]*` : ch === '?' ? String.raw`[^\/]` : `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`)).join('');
      segments.push(new RegExp(`^${body}$`, 'v'));
    }
  }
  return segments;
}

/** Whether `pattern` could match some path strictly below the folder `dir` (both split in segments). */
function couldMatchBelow(pattern: readonly Segment[], dir: readonly string[]): boolean {
  const visit = (p: number, d: number): boolean => {
    if (d === dir.length) return p < pattern.length;
    if (p === pattern.length) return false;
    const segment = pattern[p];
    if (segment === '**') return visit(p + 1, d) || visit(p, d + 1);
    return segment.test(dir[d]) && visit(p + 1, d + 1);
  };
  return visit(0, 0);
}

function badPattern(line: IgnoreLine, ignoreFile: string, problem: string): ContextError {
  return new ContextError('BadIgnorePattern', ignoreFile, `Line ${line.number} of the ignore file, "${line.text}", has ${problem}`,
    'Correct or remove that line (Docker uses Go filepath.Match patterns: `*`, `?`, `[a-z]`, `**`; escape special characters with `\\`).');
}

/** The patterns of the lines, in order; a line Docker refuses throws a ContextError naming `ignoreFile` and the line. */
export function compilePatterns(lines: readonly IgnoreLine[], ignoreFile: string): Pattern[] {
  const patterns: Pattern[] = [];
  for (const line of lines) {
    try {
      const pattern = newPattern(line.text);
      if (pattern !== undefined) patterns.push(pattern);
    } catch (error) {
      if (error instanceof PatternError) throw badPattern(line, ignoreFile, error.message);
      throw error;
    }
  }
  return patterns;
}

/** fsutil's patternWithoutTrailingGlob. */
const withoutTrailingGlob = (text: string): string => text.replace(/\/\*\*$/, '').replace(/\/\*$/, '');

/**
 * Whether BuildKit's filterFS.Walk enters the excluded folder `rel`: always once an exception (without its
 * trailing `/*` or `/**`) holds one of `*[]?^\`, else only when an exception's text starts with the folder's
 * path. It does not look further, so an exception matching through `|` (`!x|/*`) reaches no folder it skips.
 */
function buildKitEnters(exceptions: readonly Pattern[]): (rel: string) => boolean {
  const prefixes = exceptions.map((p) => `${withoutTrailingGlob(p.text)}/`);
  const anyWildcard = prefixes.some((prefix) => /[*[\]?^\\]/.test(prefix));
  return (rel) => anyWildcard || prefixes.some((prefix) => prefix.startsWith(`${rel}/`));
}

/**
 * The rules of the ignore file's lines (`ignoreFile` only names it in errors), with `alwaysSent` paths sent
 * whatever the patterns say, and their folders with them.
 */
export function compileIgnoreRules(lines: readonly IgnoreLine[], ignoreFile: string, alwaysSent: readonly string[]): IgnoreRules {
  const patterns = compilePatterns(lines, ignoreFile);
  const exceptions = patterns.filter((p) => p.exclusion);
  const exceptionSegments = exceptions.map((p) => segmentsOf(p.text));
  const enters = buildKitEnters(exceptions);
  const sent = new Set(alwaysSent);
  const alwaysSentBelow = (rel: string): boolean => alwaysSent.some((path) => path.startsWith(`${rel}/`));
  // Our own shortcut inside what BuildKit enters: skip a folder when no exception can match below it.
  const exceptionBelow = (rel: string): boolean => {
    const dir = rel.split('/');
    return exceptionSegments.some((segments) => segments === undefined || couldMatchBelow(segments, dir));
  };
  return {
    decide(rel, folder, isDirectory) {
      if (folder === 'alwaysSentOnly') {
        if (sent.has(rel)) return { sent: true, below: folder };
        return isDirectory && alwaysSentBelow(rel) ? { sent: false, below: folder } : { sent: false };
      }
      const { excluded, results } = matchUsingParentResults(patterns, rel, folder.results);
      if (!excluded || sent.has(rel)) return { sent: true, below: { results } };
      if (!isDirectory) return { sent: false };
      if (enters(rel) && exceptionBelow(rel)) return { sent: false, below: { results } };
      return alwaysSentBelow(rel) ? { sent: false, below: 'alwaysSentOnly' } : { sent: false };
    },
    patternsExclude(rel) {
      const parts = rel.split('/');
      let results: ParentResults | undefined;
      let excluded = false;
      parts.forEach((_, i) => {
        ({ excluded, results } = matchUsingParentResults(patterns, parts.slice(0, i + 1).join('/'), results));
      });
      return excluded;
    },
  };
}
