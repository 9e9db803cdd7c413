// Hostile and bad input, one table shared by test/reliability/inputs.test.ts and bench/reliability.ts.
// Each case runs a real build through the engine against the sandbox and is judged by `runInputCase`.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BuildEvent, BuildRequest, BuildResult } from '../../src/core/build/model.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { inspectImage } from '../sandbox/registry/inspect.ts';
import { registryGet } from '../sandbox/registry/http.ts';
import { emittedText, makeContext, run } from '../integration/helpers.ts';
import { leftovers, snapshotSecrets } from './leftovers.ts';

export interface InputEnv {
  readonly sandbox: Sandbox;
  /** A scratch folder for kubeconfig files and contexts. */
  readonly dir: string;
}

interface Prepared {
  readonly request: BuildRequest;
  /** Extra checks on a result (e.g. the pushed image's content); returns problems found. */
  readonly verify?: (result: BuildResult, events: readonly BuildEvent[]) => Promise<string[]>;
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
  readonly prepare: (env: InputEnv) => Promise<Prepared>;
}

const SIMPLE = 'FROM busybox:1.36\nCOPY . /app/\n';

function plainRequest(env: InputEnv, contextDir: string, repo: string, overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    dockerfile: join(contextDir, 'Dockerfile'), contextDir,
    destinations: [`${env.sandbox.registries.plain.host}/reliability/${repo}:v1`],
    kube: { kubeconfig: env.sandbox.kubeconfigPath }, secretName: '', extraArgs: ['--insecure'], ...overrides,
  };
}

async function withKubeconfig(env: InputEnv, name: string, content: string | Buffer): Promise<Prepared> {
  const file = join(env.dir, name);
  await writeFile(file, content, { mode: 0o600 });
  const contextDir = await makeContext({ Dockerfile: SIMPLE });
  return { request: plainRequest(env, contextDir, 'kube', { kube: { kubeconfig: file } }) };
}

/** The sandbox kubeconfig with its admin user swapped for an exec plugin running this shell script. */
function execPluginKubeconfig(env: InputEnv, script: string): string {
  const lines = env.sandbox.kubeconfig.split('\n');
  const at = lines.findIndex((l) => /^\s+token:/.test(l));
  if (at < 0) throw new Error('the sandbox kubeconfig has no token line');
  const indent = /^\s*/.exec(lines[at])?.[0] ?? '    ';
  lines.splice(at, 1, `${indent}exec:`, `${indent}  apiVersion: client.authentication.k8s.io/v1beta1`, `${indent}  command: /bin/sh`, `${indent}  args: ["-c", ${JSON.stringify(script)}]`, `${indent}  interactiveMode: Never`);
  return lines.join('\n');
}

async function htmlServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><html><body><h1>Corporate login portal</h1></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

const sha = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** Checks that every given content reached the pushed image, each as some regular file (names may be re-encoded). */
async function imageContains(env: InputEnv, repo: string, contents: readonly (string | Buffer)[], extraPaths: Record<string, string | Buffer> = {}): Promise<string[]> {
  const image = await inspectImage({ host: env.sandbox.registries.plain.host }, `reliability/${repo}`, 'v1');
  const hashes = new Set([...image.files.values()].map((f) => f.sha256));
  const problems = contents.filter((c) => !hashes.has(sha(c))).map((c) => `content ${JSON.stringify(String(c).slice(0, 40))} missing from the image`);
  for (const [path, content] of Object.entries(extraPaths)) {
    if (image.files.get(path)?.sha256 !== sha(content)) problems.push(`${JSON.stringify(path)} missing or different in the image`);
  }
  return problems;
}

/** Lists the image's layers with GNU tar (names printed as raw bytes) and reports each wanted path no layer holds. */
async function layersList(env: InputEnv, repo: string, wanted: readonly Buffer[]): Promise<string[]> {
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

const HOSTILE_ARG = 'a;b|c&&d $(id) `uname` \'single\' "double" *?[x] > /etc/passwd\nsecond line\ttab';

export const inputCases: readonly InputCase[] = [
  {
    name: 'kubeconfig missing', outcome: 'failed', reason: 'KubeconfigInvalid', message: /does not exist/, fix: /oc login|kubectl config/,
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: SIMPLE });
      return { request: plainRequest(env, contextDir, 'kube', { kube: { kubeconfig: join(env.dir, 'no-such-kubeconfig') } }) };
    },
  },
  { name: 'kubeconfig empty', outcome: 'failed', reason: 'KubeconfigInvalid', message: /No kube context/, fix: /oc login|kubectl config/, prepare: (env) => withKubeconfig(env, 'empty.kubeconfig', '') },
  { name: 'kubeconfig malformed YAML', outcome: 'failed', reason: 'KubeconfigInvalid', message: /cannot be read/, prepare: (env) => withKubeconfig(env, 'bad.kubeconfig', 'apiVersion: v1\nclusters: [ {name: x\n  - : : :\n\tcontexts: "\n') },
  {
    name: 'kubeconfig current-context that does not exist', outcome: 'failed', reason: 'KubeconfigInvalid', message: /"ghost" does not exist/, fix: /kubectl config use-context/,
    prepare: (env) => withKubeconfig(env, 'ghost.kubeconfig', env.sandbox.kubeconfig.replace(/^current-context:.*$/m, 'current-context: ghost')),
  },
  {
    name: 'server URL that is not a Kubernetes API (HTML)', outcome: 'failed', message: /http:\/\/127\.0\.0\.1:\d+ did not answer like a Kubernetes API server/,
    prepare: async (env) => {
      const { url, server } = await htmlServer();
      // Plain HTTP needs skip-verify in client-node; the point here is the HTML answer, not the scheme.
      const kubeconfig = env.sandbox.kubeconfig.replace(env.sandbox.server, url).replace(/certificate-authority-data:.*$/m, 'insecure-skip-tls-verify: true');
      const prepared = await withKubeconfig(env, 'html.kubeconfig', kubeconfig);
      return { ...prepared, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    },
  },
  {
    name: 'server URL with plain http:// (client-node refuses it)', outcome: 'failed', reason: 'KubeconfigInvalid', message: /over plain http/, fix: /https:\/\//,
    prepare: (env) => withKubeconfig(env, 'http.kubeconfig', env.sandbox.kubeconfig.replace(env.sandbox.server, env.sandbox.server.replace('https:', 'http:'))),
  },
  { name: 'exec plugin that fails', outcome: 'failed', reason: 'Unauthorized', message: /Cannot get credentials.*mylogin --refresh/s, fix: /Log in again/, prepare: (env) => withKubeconfig(env, 'exec.kubeconfig', execPluginKubeconfig(env, 'echo "error: the sso session expired; run: mylogin --refresh" >&2; exit 1')) },
  {
    // client-node runs the plugin without a timeout (as kubectl does): the build waits in preflight, and Cancel must work.
    name: 'exec plugin that hangs, then the user cancels', outcome: 'cancelled', cancelAfterMs: 3000,
    prepare: (env) => withKubeconfig(env, 'hang.kubeconfig', execPluginKubeconfig(env, 'exec sleep 30')),
  },
  {
    name: 'destination with bad syntax', outcome: 'failed', reason: 'BadInput', message: /not a valid image reference/,
    prepare: async (env) => ({ request: plainRequest(env, await makeContext({ Dockerfile: SIMPLE }), 'x', { destinations: [`${env.sandbox.registries.plain.host}/team/app::v1@@`] }) }),
  },
  {
    name: 'destination in upper case', outcome: 'failed', reason: 'BadInput', message: /lower case/,
    prepare: async (env) => ({ request: plainRequest(env, await makeContext({ Dockerfile: SIMPLE }), 'x', { destinations: [`${env.sandbox.registries.plain.host}/Team/App:v1`] }) }),
  },
  {
    name: 'namespace that is not a DNS label', outcome: 'failed', reason: 'BadInput', message: /"Bad_Namespace" is not a valid/, fix: /kubectl get namespaces/,
    prepare: async (env) => ({ request: plainRequest(env, await makeContext({ Dockerfile: SIMPLE }), 'x', { kube: { kubeconfig: env.sandbox.kubeconfigPath, namespace: 'Bad_Namespace' } }) }),
  },
  {
    name: 'secret name that is not a DNS name', outcome: 'failed', reason: 'BadInput', message: /"My Secret!" is not a valid/, fix: /kaniko\.secretName/,
    prepare: async (env) => ({ request: plainRequest(env, await makeContext({ Dockerfile: SIMPLE }), 'x', { secretName: 'My Secret!' }) }),
  },
  {
    name: 'build args with shell metacharacters and newlines arrive verbatim', outcome: 'succeeded',
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: 'FROM busybox:1.36\nARG X\nARG Y\nRUN printf %s "$X" > /out-x && printf %s "$Y" > /out-y\n' });
      const buildArgs = { X: HOSTILE_ARG, Y: '--destination=evil.example/x:y' };
      return {
        request: plainRequest(env, contextDir, 'args', { buildArgs }),
        verify: () => imageContains(env, 'args', [], { 'out-x': HOSTILE_ARG, 'out-y': buildArgs.Y }),
      };
    },
  },
  {
    name: 'file names with spaces, quotes, newlines and Unicode round-trip', outcome: 'succeeded',
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: SIMPLE, 'with space.txt': 'space', 'quote\'s "double".txt': 'quotes', 'new\nline.txt': 'newline', 'ünïcødé ✓.txt': 'unicode' });
      return {
        request: plainRequest(env, contextDir, 'names'),
        verify: () => imageContains(env, 'names', [], { 'app/with space.txt': 'space', 'app/quote\'s "double".txt': 'quotes', 'app/new\nline.txt': 'newline', 'app/ünïcødé ✓.txt': 'unicode' }),
      };
    },
  },
  {
    // Linux names are bytes and kaniko (Go) keeps them: the image must hold the very same bytes.
    name: 'a file name with non-UTF-8 bytes round-trips', outcome: 'succeeded',
    prepare: async (env) => {
      const contextDir = await makeContext({ Dockerfile: SIMPLE });
      const latin1 = Buffer.from([0xe9, 0xff, 0xfe]);
      await mkdir(Buffer.concat([Buffer.from(`${contextDir}/dir-`), latin1]));
      await writeFile(Buffer.concat([Buffer.from(`${contextDir}/dir-`), latin1, Buffer.from('/latin1-'), latin1, Buffer.from('.txt')]), 'not utf-8');
      return {
        request: plainRequest(env, contextDir, 'latin1'),
        verify: async () => [
          ...(await imageContains(env, 'latin1', ['not utf-8'])),
          ...(await layersList(env, 'latin1', [Buffer.concat([Buffer.from('app/dir-'), latin1, Buffer.from('/latin1-'), latin1, Buffer.from('.txt')])])),
        ],
      };
    },
  },
  {
    name: 'Dockerfile of 0 bytes', outcome: 'failed', message: /Dockerfile/i,
    prepare: async (env) => ({ request: plainRequest(env, await makeContext({ Dockerfile: '', 'a.txt': 'a' }), 'x') }),
  },
  {
    name: 'Dockerfile that is a directory', outcome: 'failed', reason: 'BadInput', message: /director|folder/i,
    prepare: async (env) => {
      const contextDir = await makeContext({ 'a.txt': 'a' });
      await mkdir(join(contextDir, 'Dockerfile'));
      return { request: plainRequest(env, contextDir, 'x') };
    },
  },
  {
    name: 'Dockerfile that is a symlink inside the context', outcome: 'succeeded',
    prepare: async (env) => {
      const contextDir = await makeContext({ 'docker/real.Dockerfile': 'FROM busybox:1.36\nCOPY a.txt /app/a.txt\n', 'a.txt': 'via symlink' });
      await symlink('docker/real.Dockerfile', join(contextDir, 'Dockerfile'));
      return { request: plainRequest(env, contextDir, 'symlink'), verify: () => imageContains(env, 'symlink', [], { 'app/a.txt': 'via symlink' }) };
    },
  },
  {
    name: '.dockerignore of 10 000 lines', outcome: 'succeeded',
    prepare: async (env) => {
      const lines = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? `# comment ${i}` : i % 3 === 1 ? `ignored-${i}/**` : `!keep-${i}.txt`));
      const files: Record<string, string> = { Dockerfile: SIMPLE, '.dockerignore': `${lines.join('\n')}\n`, 'kept.txt': 'kept', 'ignored-1/x.txt': 'never sent', 'ignored-9997/y.txt': 'never sent either' };
      const contextDir = await makeContext(files);
      return {
        request: plainRequest(env, contextDir, 'ignore'),
        verify: async () => {
          const image = await inspectImage({ host: env.sandbox.registries.plain.host }, 'reliability/ignore', 'v1');
          const problems = await imageContains(env, 'ignore', [], { 'app/kept.txt': 'kept' });
          for (const path of ['app/ignored-1/x.txt', 'app/ignored-9997/y.txt']) if (image.files.has(path)) problems.push(`${path} should have been ignored`);
          return problems;
        },
      };
    },
  },
];

export interface CaseReport {
  readonly name: string;
  readonly result: BuildResult;
  /** Empty when the case ended as expected, with a message, and left nothing behind. */
  readonly problems: string[];
}

/** Runs one case through the real engine; never throws for an engine failure (that is a problem of the case). */
export async function runInputCase(env: InputEnv, c: InputCase): Promise<CaseReport> {
  const secretsBefore = snapshotSecrets(env.sandbox);
  const prepared = await c.prepare(env);
  const problems: string[] = [];
  let result: BuildResult;
  try {
    const build = run(prepared.request);
    let cancelledAt = 0;
    const canceller = c.cancelAfterMs === undefined ? undefined : setTimeout(() => {
      cancelledAt = Date.now();
      void build.session.cancel();
    }, c.cancelAfterMs);
    result = await build.result;
    clearTimeout(canceller);
    if (cancelledAt && Date.now() - cancelledAt > 5000) problems.push(`the build ended ${Date.now() - cancelledAt} ms after Cancel`);
    if (result.outcome !== c.outcome) problems.push(`outcome ${result.outcome}, expected ${c.outcome} (${result.reason}: ${result.message})`);
    if (c.reason && result.reason !== c.reason) problems.push(`reason ${result.reason}, expected ${c.reason} (${result.message})`);
    if (result.message.trim() === '') problems.push('empty message');
    if (c.message && !c.message.test(result.message)) problems.push(`message ${JSON.stringify(result.message)} does not match ${c.message}`);
    if (c.fix && !c.fix.test(result.fix ?? '')) problems.push(`fix ${JSON.stringify(result.fix)} does not match ${c.fix}`);
    if (emittedText(build.events).includes(env.sandbox.tokens.admin)) problems.push('the admin token appeared in the events');
    if (prepared.verify && result.outcome === 'succeeded') problems.push(...(await prepared.verify(result, build.events)));
  } finally {
    await prepared.close?.();
  }
  problems.push(...(await leftovers(env.sandbox, secretsBefore)));
  return { name: c.name, result, problems };
}
