// .dockerignore against Docker's own Go code: every case is a real tree on disk packed by packContext and
// walked by BuildKit's filter (moby/patternmatcher + fsutil, built from test/go/dockerignore), and the two
// contexts must be the same entries, folders, files and links alike. A hand-written corpus covers every
// class of rule; random cases from a printed seed (DOCKERIGNORE_SEED=… repeats a run) cover the rest.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goMissing } from '../../../scripts/go-programs.ts';
import { corpus } from './dockerignore-corpus.ts';
import { DockerOracle, difference, packedContext, writeCase } from './dockerignore-oracle.ts';
import type { IgnoreCase } from './dockerignore-oracle.ts';
import { randomCases } from './dockerignore-random.ts';
import { removeDir } from './fixtures.ts';

const RANDOM_CASES = 5000;
// Cases written to disk and sent to the Go process together.
const BATCH = 250;
// Thousands of small trees: in memory where the machine has it (real files all the same).
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

async function differences(oracle: DockerOracle, cases: readonly IgnoreCase[]): Promise<string[]> {
  const found: string[] = [];
  for (let start = 0; start < cases.length; start += BATCH) {
    const batch = cases.slice(start, start + BATCH);
    const base = mkdtempSync(join(SCRATCH, 'ignore-diff-'));
    try {
      const roots = batch.map((c, i) => {
        const root = join(base, String(i));
        mkdirSync(root);
        writeCase(root, c);
        return root;
      });
      const docker = batch.map((c, i) => oracle.context(roots[i], c.dockerfile ?? 'Dockerfile'));
      for (const [i, c] of batch.entries()) {
        const diff = difference(await docker[i], await packedContext(roots[i], c.dockerfile ?? 'Dockerfile'));
        if (diff !== undefined) found.push(`${c.name}: ignore ${JSON.stringify(c.ignore)} tree ${JSON.stringify(c.tree)}: ${diff}`);
      }
    } finally {
      await removeDir(base);
    }
  }
  return found;
}

function assertNone(found: readonly string[], total: number): void {
  assert.equal(found.length, 0, `${found.length} of ${total} cases differ from Docker:\n${found.slice(0, 10).join('\n')}`);
}

describe('.dockerignore against Docker\'s Go code (BuildKit\'s filter)', { skip: goMissing() ?? false }, () => {
  let oracle: DockerOracle;
  before(() => {
    oracle = new DockerOracle();
  });
  after(() => oracle.close());

  it(`the hand-written corpus (${corpus.length} cases)`, async () => {
    assert.ok(corpus.length >= 300, `only ${corpus.length} cases`);
    assertNone(await differences(oracle, corpus), corpus.length);
  });

  it(`${RANDOM_CASES} random cases`, async () => {
    const seed = Number(process.env.DOCKERIGNORE_SEED ?? Math.floor(Math.random() * 2 ** 32));
    console.log(`random .dockerignore cases: seed ${seed} (DOCKERIGNORE_SEED=${seed} repeats them)`);
    assertNone(await differences(oracle, randomCases(seed, RANDOM_CASES)), RANDOM_CASES);
  });
});
