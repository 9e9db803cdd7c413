// What the hostile-input cases share: their shape, the usual build request, and checks on the pushed image.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BuildEvent, BuildRequest, BuildResult } from '../../src/core/build/model.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { inspectImage } from '../sandbox/registry/inspect.ts';
import { registryGet } from '../sandbox/registry/http.ts';
import { BUSYBOX } from '../integration/helpers.ts';

export interface InputEnv {
  readonly sandbox: Sandbox;
  /** A scratch folder for kubeconfig files and contexts. */
  readonly dir: string;
}

export interface Prepared {
  readonly request: BuildRequest;
  /** Extra checks on a result (e.g. the pushed image's content); returns problems found. */
  readonly verify?: (result: BuildResult, events: readonly BuildEvent[]) => Promise<string[]>;
  /** Checks made whatever the outcome (e.g. no file left open); returns problems found. */
  readonly always?: () => Promise<string[]>;
  /** Sees every event as it comes (in-process builds only), e.g. to change the context mid-upload. */
  readonly onEvent?: (event: BuildEvent) => void;
  readonly close?: () => Promise<void>;
}

export interface InputCase {
  readonly name: string;
  readonly outcome: BuildResult['outcome'];
  readonly reason?: BuildResult['reason'];
  /** What the message must say: the cause and the way out. */
  readonly message?: RegExp;
  readonly fix?: RegExp;
  /** Cancels the build this long after its start (for input that makes a build wait forever). */
  readonly cancelAfterMs?: number;
  /** An engine bug this case exposes, still open: the test reports it as todo, the bench counts it as not clean. */
  readonly knownBug?: string;
  /** Runs the engine in a child process without root's powers, where file permissions apply (see unprivileged-build.ts). */
  readonly unprivileged?: boolean;
  /** Too slow for `npm test`: run only by `npm run bench -- reliability --large` (a smaller twin runs in the tests). */
  readonly large?: boolean;
  /** The bench prints `inputs.<figure>.seconds` and `.peak_rss_mb` for this case. */
  readonly figure?: string;
  readonly prepare: (env: InputEnv) => Promise<Prepared>;
}

export const SIMPLE = `FROM ${BUSYBOX}\nCOPY . /app/\n`;

export function plainRequest(env: InputEnv, contextDir: string, repo: string, overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    dockerfile: join(contextDir, 'Dockerfile'), contextDir,
    destinations: [`${env.sandbox.registries.plain.host}/reliability/${repo}:v1`],
    kube: { kubeconfig: env.sandbox.kubeconfigPath }, secretName: '', extraArgs: ['--insecure'], ...overrides,
  };
}

export const sha = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** Checks that every given content reached the pushed image, each as some regular file (names may be re-encoded). */
export async function imageContains(env: InputEnv, repo: string, contents: readonly (string | Buffer)[], extraPaths: Record<string, string | Buffer> = {}): Promise<string[]> {
  const image = await inspectImage({ host: env.sandbox.registries.plain.host }, `reliability/${repo}`, 'v1');
  const hashes = new Set([...image.files.values()].map((f) => f.sha256));
  const problems = contents.filter((c) => !hashes.has(sha(c))).map((c) => `content ${JSON.stringify(String(c).slice(0, 40))} missing from the image`);
  for (const [path, content] of Object.entries(extraPaths)) {
    if (image.files.get(path)?.sha256 !== sha(content)) problems.push(`${JSON.stringify(path)} missing or different in the image`);
  }
  return problems;
}

/** Problems: a content that some regular file of the image holds (it must not have been sent). */
export async function imageLacks(env: InputEnv, repo: string, contents: readonly string[]): Promise<string[]> {
  const image = await inspectImage({ host: env.sandbox.registries.plain.host }, `reliability/${repo}`, 'v1');
  const hashes = new Set([...image.files.values()].map((f) => f.sha256));
  return contents.filter((c) => hashes.has(sha(c))).map((c) => `content ${JSON.stringify(c.slice(0, 40))} reached the image`);
}

/** Problems: each path that is not a symbolic link to the given target in the image. */
export async function imageLinks(env: InputEnv, repo: string, links: Record<string, string>): Promise<string[]> {
  const image = await inspectImage({ host: env.sandbox.registries.plain.host }, `reliability/${repo}`, 'v1');
  return Object.entries(links).filter(([path, target]) => image.files.get(path)?.type !== 'symlink' || image.files.get(path)?.linkname !== target)
    .map(([path, target]) => `${path} is not a link to ${target} in the image: ${JSON.stringify(image.files.get(path))}`);
}

/** Lists the image's layers with GNU tar (names printed as raw bytes) and reports each wanted path no layer holds. */
export async function layersList(env: InputEnv, repo: string, wanted: readonly Buffer[]): Promise<string[]> {
  const endpoint = { host: env.sandbox.registries.plain.host };
  const image = await inspectImage(endpoint, `reliability/${repo}`, 'v1');
  const chunks: Buffer[] = [];
  for (const layer of image.manifest.layers) {
    const blob = await registryGet(endpoint, `/v2/reliability/${repo}/blobs/${layer.digest}`);
    const tar = spawn('tar', ['-tzf', '-', '--quoting-style=literal'], { stdio: ['pipe', 'pipe', 'inherit'] });
    tar.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    await Promise.all([pipeline(blob, tar.stdin), once(tar, 'close')]);
  }
  const listing = Buffer.concat([Buffer.from('\n'), ...chunks]);
  return wanted.filter((path) => !listing.includes(Buffer.concat([Buffer.from('\n'), path, Buffer.from('\n')])) && !listing.includes(Buffer.concat([Buffer.from('\n./'), path, Buffer.from('\n')])))
    .map((path) => `no layer holds ${JSON.stringify(path.toString('latin1'))} byte for byte`);
}
