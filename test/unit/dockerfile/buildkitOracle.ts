// BuildKit's own reading of Dockerfiles, through our Go wrapper (test/go/dockerfile): one process reads many
// files as JSON lines, and our reader's result is put in the same shape for comparison.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { askGoProgram } from '../../../scripts/go-programs.ts';
import { parseDockerfile } from '../../../src/core/dockerfile/index.ts';

export interface Reading {
  readonly instructions: ReadonlyArray<{ keyword: string; line: number; endLine: number }>;
  readonly stages: ReadonlyArray<{ name?: string; base: string; line: number }>;
  readonly args: ReadonlyArray<{ name: string; defaultValue?: string; line: number; global: boolean; stage: number }>;
}

/** What BuildKit says, or why it rejects the file. */
export type OracleAnswer = (Reading & { error?: undefined }) | { error: string };

const MODULE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'go', 'dockerfile');

/** Parses every text with BuildKit (one Go process for all of them). */
export function readWithBuildKit(texts: readonly string[]): OracleAnswer[] {
  const questions = texts.map((text, id) => ({ id: String(id), text }));
  const answers = askGoProgram<OracleAnswer & { id: string }>({ name: 'dockerfile-oracle', module: MODULE, package: '.' }, questions);
  return answers.map(({ id: _id, ...answer }) => (answer.error ? { error: answer.error } : answer));
}

/** Our reader's result in the oracle's shape. */
export function readWithOurs(text: string): Reading {
  const parsed = parseDockerfile(text);
  return {
    instructions: parsed.instructions.map(({ keyword, line, endLine }) => ({ keyword, line, endLine })),
    stages: parsed.stages.map(({ name, base, line }) => ({ ...(name !== undefined ? { name } : {}), base, line })),
    args: parsed.args.map(({ name, defaultValue, line, global, stage }) => ({ name, ...(defaultValue !== undefined ? { defaultValue } : {}), line, global, stage })),
  };
}
