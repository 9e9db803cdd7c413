// The lines of a .dockerignore that Docker refuses, for an editor to mark before any build is tried.
import { readIgnoreFile } from './ignore-file.ts';
import { patternProblem } from './pattern-matcher.ts';

export interface IgnoreProblem {
  /** 1-based line number in the ignore file. */
  readonly line: number;
  /** The pattern as Docker reads it. */
  readonly pattern: string;
  /** What is wrong with it, in words ("an unclosed \"[\""). */
  readonly problem: string;
}

/** Every refused line of the ignore file's text (a build stops at the first). */
export function ignoreFileProblems(text: string): IgnoreProblem[] {
  return readIgnoreFile(text).flatMap(({ number, text: pattern }) => {
    const problem = patternProblem(pattern);
    return problem === undefined ? [] : [{ line: number, pattern, problem }];
  });
}

/** Whether a file of this name is a Docker ignore file (`.dockerignore`, or `<Dockerfile>.dockerignore`). */
export function isIgnoreFileName(name: string): boolean {
  return name.endsWith('.dockerignore');
}
