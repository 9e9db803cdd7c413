// Our Dockerfile reader against BuildKit's parser (v0.27.0, test/go/dockerfile): instruction keywords and lines,
// stages and ARG declarations must be identical over a handwritten corpus and thousands of generated files.
// The seed of the generated files is printed; DOCKERFILE_SEED=<n> replays a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { goMissing } from '../../../scripts/go-programs.ts';
import { readWithBuildKit, readWithOurs } from './buildkitOracle.ts';
import { generateDockerfiles } from './generateDockerfiles.ts';

// `.txt`, not `.dockerfile`: the corpus must not show up in the extension's Dockerfile picker for this repository.
const CORPUS = join(dirname(fileURLToPath(import.meta.url)), 'corpus');
const GENERATED = 3000;

/** Compares every file; returns how many differ, after printing the first few. */
function differences(names: readonly string[], texts: readonly string[]): number {
  const answers = readWithBuildKit(texts);
  const rejected = answers.flatMap((answer, i) => (answer.error === undefined ? [] : [`${names[i]}: ${answer.error}`]));
  assert.deepEqual(rejected, [], 'every file must be one BuildKit accepts, or the comparison would skip it');
  let count = 0;
  answers.forEach((answer, i) => {
    const ours = readWithOurs(texts[i]);
    if (isDeepStrictEqual(ours, answer)) return;
    if (++count <= 5) console.log(`difference in ${names[i]}:\n${JSON.stringify(texts[i])}\nbuildkit: ${JSON.stringify(answer)}\nours:     ${JSON.stringify(ours)}`);
  });
  return count;
}

test('handwritten corpus: our reader and BuildKit agree', { skip: goMissing() ?? false }, () => {
  const names = readdirSync(CORPUS).filter((name) => name.endsWith('.txt')).sort();
  assert.ok(names.length >= 150, `the corpus has ${names.length} files`);
  const texts = names.map((name) => readFileSync(join(CORPUS, name), 'utf8'));
  const count = differences(names, texts);
  console.log(`corpus: ${names.length} Dockerfiles, ${count} differences`);
  assert.equal(count, 0);
});

test('generated Dockerfiles: our reader and BuildKit agree', { skip: goMissing() ?? false }, () => {
  const seed = Number(process.env.DOCKERFILE_SEED ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`generated: seed ${seed} (DOCKERFILE_SEED=${seed} replays it)`);
  const texts = generateDockerfiles(seed, GENERATED);
  const count = differences(texts.map((_, i) => `generated #${i} (seed ${seed})`), texts);
  console.log(`generated: ${texts.length} Dockerfiles, ${count} differences`);
  assert.equal(count, 0);
});
