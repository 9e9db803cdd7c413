// The real kaniko executor for the sandbox: github.com/osscontainertools/kaniko/cmd/executor at the release the
// product's default kaniko.executorImage pins, built once by buildGoProgram and cached under .tools/go/.
// `node scripts/kaniko-executor.ts` builds it and prints its path.
//
// The wrapper module test/go/kaniko pins the release; its dependencies come from the Go module proxy. Where the
// proxy does not serve the kaniko module itself, KANIKO_SOURCE names a checkout of the fork at that release
// (e.g. `git clone --depth 1 --branch v1.27.6 https://github.com/osscontainertools/kaniko`), which the build uses
// through a generated go.mod with one replace line; nothing of it is committed here.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EXECUTOR_IMAGE } from '../src/core/build/defaults.ts';
import { buildGoProgram, cachedProgramPath, goMissing, goToolsDir, type BuiltProgram, type GoProgram } from './go-programs.ts';

const KANIKO_MODULE = 'github.com/osscontainertools/kaniko';
const wrapperModule = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'go', 'kaniko');

/** The release test/go/kaniko/go.mod pins (the tests check it is the default executor image's tag). */
export function pinnedKanikoVersion(): string {
  const match = new RegExp(`^\\s*${KANIKO_MODULE.replace(/\./g, '\\.')} (v\\S+)`, 'm').exec(readFileSync(join(wrapperModule, 'go.mod'), 'utf8'));
  if (!match) throw new Error(`test/go/kaniko/go.mod does not require ${KANIKO_MODULE}`);
  return match[1];
}

/** The tag of the product's default executor image (`ghcr.io/osscontainertools/kaniko:v1.27.6` → v1.27.6). */
export function defaultExecutorTag(): string {
  return DEFAULT_EXECUTOR_IMAGE.slice(DEFAULT_EXECUTOR_IMAGE.lastIndexOf(':') + 1);
}

/** The release a checkout says it is, from the version its Makefile stamps (VERSION_MAJOR/MINOR/BUILD). */
function checkoutVersion(source: string): string | undefined {
  const makefile = join(source, 'Makefile');
  if (!existsSync(makefile)) return undefined;
  const text = readFileSync(makefile, 'utf8');
  const part = (name: string) => new RegExp(`^VERSION_${name} \\?= (\\d+)`, 'm').exec(text)?.[1];
  const [major, minor, build] = [part('MAJOR'), part('MINOR'), part('BUILD')];
  return major && minor && build ? `v${major}.${minor}.${build}` : undefined;
}

let proxyAnswer: string | undefined | null = null;
/** Why the module proxy cannot give the pinned kaniko module (asked once per process), or undefined. */
function proxyRefusal(version: string): string | undefined {
  if (proxyAnswer !== null) return proxyAnswer;
  // Outside any module, so that a successful answer changes none of our files.
  const result = spawnSync('go', ['mod', 'download', '-json', `${KANIKO_MODULE}@${version}`], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '' } });
  const detail = /"Error": "([^"\\]*)/.exec(result.stdout)?.[1] ?? result.stderr.trim().split('\n')[0];
  // The HTTP status says enough ("403 Forbidden"); the rest repeats the module and the proxy's address.
  const error = result.status === 0 ? undefined : (/\b[45]\d\d [A-Z][A-Za-z ]*/.exec(detail)?.[0] ?? detail);
  proxyAnswer = error;
  return error;
}

/** The upstream build's settings (Makefile `out/executor`): static, version stamped, symbols dropped. */
function executorProgram(version: string, env: Record<string, string> = {}): GoProgram {
  return {
    name: `kaniko-executor-${version}`,
    module: wrapperModule,
    package: `${KANIKO_MODULE}/cmd/executor`,
    ldflags: `-extldflags "-static" -X ${KANIKO_MODULE}/pkg/version.version=${version} -w -s`,
    env: { CGO_ENABLED: '0', ...env },
  };
}

/** A go.mod beside our go.sum that replaces the pinned module with the checkout, for `go build -modfile`. */
function checkoutModfile(version: string, source: string): string {
  const folder = join(goToolsDir, `kaniko-modfile-${version}`);
  mkdirSync(folder, { recursive: true });
  const modfile = join(folder, 'go.mod');
  const pinned = readFileSync(join(wrapperModule, 'go.mod'), 'utf8');
  writeFileSync(modfile, `${pinned}\nreplace ${KANIKO_MODULE} ${version} => ${resolve(source)}\n`);
  copyFileSync(join(wrapperModule, 'go.sum'), join(folder, 'go.sum'));
  return modfile;
}

/** Why the executor cannot be had here (one line: what is missing and how to get it), or undefined. */
export function kanikoExecutorMissing(): string | undefined {
  const go = goMissing();
  if (go) return `the real kaniko executor needs ${go}`;
  const version = pinnedKanikoVersion();
  const source = process.env.KANIKO_SOURCE;
  if (source) {
    const found = checkoutVersion(source);
    return found === version ? undefined : `KANIKO_SOURCE=${source} is not a checkout of ${KANIKO_MODULE} ${version} (its Makefile says ${found ?? 'nothing'})`;
  }
  if (existsSync(cachedPath(version))) return undefined;
  const refusal = proxyRefusal(version);
  return refusal ? `the Go module proxy refuses ${KANIKO_MODULE}@${version} here (${refusal}); set KANIKO_SOURCE to a checkout of that tag` : undefined;
}

/** Where a proxy build of this version would be cached (buildGoProgram's key covers Go and the wrapper module). */
function cachedPath(version: string): string {
  return cachedProgramPath(executorProgram(version));
}

/** Builds (once) and returns the executor. Throws with kanikoExecutorMissing()'s line when it cannot be had. */
export function kanikoExecutor(): BuiltProgram {
  const missing = kanikoExecutorMissing();
  if (missing) throw new Error(missing);
  const version = pinnedKanikoVersion();
  const source = process.env.KANIKO_SOURCE;
  if (!source) return buildGoProgram(executorProgram(version));
  return buildGoProgram(executorProgram(version, { GOFLAGS: `-mod=readonly -modfile=${checkoutModfile(version, source)}` }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = kanikoExecutor();
  console.log(built.path);
}
