// Builds upstream Go programs that the tests use as oracles or real components, through the Go module proxy at
// versions pinned by a wrapper module of ours (a go.mod + go.sum under test/go/, never third-party source).
// Binaries are cached under .tools/go/ keyed by everything that decides them, so a second run costs nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const goToolsDir = join(repoRoot, '.tools', 'go');
/** The oldest Go that builds every pinned module (kaniko 1.27 and buildkit need 1.25). */
const MINIMUM_GO = [1, 25];

export interface GoProgram {
  /** The binary's file name. */
  name: string;
  /** Folder of our wrapper module (holds go.mod and go.sum pinning the upstream module). */
  module: string;
  /** Package to build, as an import path or relative to the module ('.'). */
  package: string;
  /** Build tags. */
  tags?: string[];
  /** Linker flags (e.g. `-X` version stamps). */
  ldflags?: string;
  /** Extra environment for `go build` (e.g. CGO_ENABLED=0). */
  env?: Record<string, string>;
}

export interface BuiltProgram {
  path: string;
  /** Seconds the build took; 0 when the cached binary was used. */
  seconds: number;
}

/** Go's environment for every call: the local toolchain only (no silent toolchain download), the module proxy. */
function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly', ...extra };
}

function goVersion(): string | undefined {
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env: goEnv() });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Why Go programs cannot be built here (one line naming what is missing and how to get it), or undefined. */
export function goMissing(): string | undefined {
  const version = goVersion();
  const wanted = `Go ≥ ${MINIMUM_GO.join('.')}`;
  if (!version) return `${wanted} is not on PATH (install it from go.dev/dl or Debian backports, then rerun)`;
  const [major, minor] = version.replace(/^go/, '').split('.').map(Number);
  if (major < MINIMUM_GO[0] || (major === MINIMUM_GO[0] && minor < MINIMUM_GO[1])) return `${wanted} is needed, found ${version}`;
  return undefined;
}

/** A key over everything that decides the binary: Go's version, the wrapper module's files and the build options. */
function cacheKey(program: GoProgram): string {
  const hash = createHash('sha256').update(goVersion() ?? '').update(JSON.stringify({ ...program, module: undefined }));
  for (const file of readdirSync(program.module).sort()) {
    if (/\.(mod|sum|go)$/.test(file)) hash.update(file).update(readFileSync(join(program.module, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where the program's binary is (or will be) cached. */
export function cachedProgramPath(program: GoProgram): string {
  return join(goToolsDir, `${program.name}-${cacheKey(program)}`, program.name);
}

/** Builds the program once (printing the cold build's time to stderr) and returns the cached binary. */
export function buildGoProgram(program: GoProgram): BuiltProgram {
  const missing = goMissing();
  if (missing) throw new Error(missing);
  const path = cachedProgramPath(program);
  const folder = dirname(path);
  if (existsSync(path)) return { path, seconds: 0 };
  mkdirSync(folder, { recursive: true });
  // Built beside its final name and renamed: a concurrent or interrupted build never leaves half a binary.
  const partial = `${path}.${process.pid}.partial`;
  const args = ['build', '-trimpath', '-o', partial];
  if (program.tags?.length) args.push('-tags', program.tags.join(','));
  if (program.ldflags) args.push('-ldflags', program.ldflags);
  args.push(program.package);
  console.error(`go: building ${program.name} (${program.package}), once…`);
  const started = Date.now();
  const result = spawnSync('go', args, { cwd: program.module, env: goEnv(program.env), stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    rmSync(partial, { force: true });
    throw new Error(`go ${args.join(' ')} failed in ${program.module} (exit ${result.status ?? result.signal})`);
  }
  renameSync(partial, path);
  const seconds = (Date.now() - started) / 1000;
  console.error(`go: built ${path} in ${seconds.toFixed(1)} s (cold)`);
  return { path, seconds };
}

/**
 * Runs an oracle program that answers one JSON line on stdout for each JSON line on stdin (one process for many
 * cases), and returns the answers in order.
 */
export function askGoProgram<Answer>(program: GoProgram, questions: readonly unknown[]): Answer[] {
  const { path } = buildGoProgram(program);
  const input = questions.map((question) => JSON.stringify(question)).join('\n') + '\n';
  const result = spawnSync(path, [], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${program.name} failed (${result.status ?? result.signal}): ${result.stderr}`);
  const answers = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Answer);
  if (answers.length !== questions.length) throw new Error(`${program.name} answered ${answers.length} of ${questions.length} questions`);
  return answers;
}
