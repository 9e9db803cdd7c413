// Hostile and bad input, one table shared by test/reliability/inputs.test.ts and bench/reliability.ts.
// Each case runs a real build through the engine against the sandbox and is judged by `runInputCase`.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildResult } from '../../src/core/build/model.ts';
import { BUSYBOX, emittedText, makeContext, run } from '../integration/helpers.ts';
import { leftovers, snapshotSecrets } from './leftovers.ts';
import type { InputCase, InputEnv, Prepared } from './input-support.ts';
import { SIMPLE, imageContains, plainRequest } from './input-support.ts';
import { workspaceCases } from './workspace-cases.ts';
import { startUnprivileged } from './unprivileged-build.ts';
import type { StartedBuild } from './unprivileged-build.ts';

export type { InputCase, InputEnv } from './input-support.ts';

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
  { name: 'kubeconfig malformed YAML', outcome: 'failed', reason: 'KubeconfigInvalid', message: /is not valid YAML: .+ at line \d+, column \d+\./, prepare: (env) => withKubeconfig(env, 'bad.kubeconfig', 'apiVersion: v1\nclusters: [ {name: x\n  - : : :\n\tcontexts: "\n') },
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
    name: 'server URL with plain http:// (refused, and the fix keeps TLS verification on)', outcome: 'failed', reason: 'KubeconfigInvalid', message: /over plain http/, fix: /^(?!.*insecure).*https:\/\//,
    prepare: (env) => withKubeconfig(env, 'http.kubeconfig', env.sandbox.kubeconfig.replace(env.sandbox.server, env.sandbox.server.replace('https:', 'http:'))),
  },
  { name: 'exec plugin that fails', outcome: 'failed', reason: 'Unauthorized', message: /Cannot get credentials from the exec credential plugin sh .*mylogin --refresh/s, fix: /Run the plugin yourself \(\/bin\/sh with the args of the kubeconfig's exec section\).*log in again/, prepare: (env) => withKubeconfig(env, 'exec.kubeconfig', execPluginKubeconfig(env, 'echo "error: the sso session expired; run: mylogin --refresh" >&2; exit 1')) },
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
      const contextDir = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\nARG X\nARG Y\nRUN printf %s "$X" > /out-x && printf %s "$Y" > /out-y\n` });
      const buildArgs = { X: HOSTILE_ARG, Y: '--destination=evil.example/x:y' };
      return {
        request: plainRequest(env, contextDir, 'args', { buildArgs }),
        verify: () => imageContains(env, 'args', [], { 'out-x': HOSTILE_ARG, 'out-y': buildArgs.Y }),
      };
    },
  },
  ...workspaceCases,
];

export interface CaseReport {
  readonly name: string;
  readonly result: BuildResult;
  /** Empty when the case ended as expected, with a message, and left nothing behind. */
  readonly problems: string[];
  /** From the start of the build to its result. */
  readonly seconds: number;
  /** Peak RSS of this process (engine and sandbox) during the build, and its rise over the RSS at the start. */
  readonly peakRssMb: number;
  readonly rssGrowthMb: number;
}

function startBuildOf(c: InputCase, prepared: Prepared): StartedBuild {
  if (c.unprivileged) return startUnprivileged(prepared.request);
  const build = run(prepared.request, prepared.onEvent === undefined ? undefined : (event) => prepared.onEvent?.(event));
  return { result: build.result, events: build.events, cancel: () => void build.session.cancel() };
}

/**
 * Runs one case through the real engine; never throws for an engine failure (that is a problem of the case).
 * `beforeBuild` runs between preparing and building (the bench collects garbage there, so that the
 * peak RSS is the build's, not the leftovers of writing a 1 GB context).
 */
export async function runInputCase(env: InputEnv, c: InputCase, options: { beforeBuild?: () => void } = {}): Promise<CaseReport> {
  const secretsBefore = snapshotSecrets(env.sandbox);
  const prepared = await c.prepare(env);
  options.beforeBuild?.();
  const problems: string[] = [];
  let result: BuildResult;
  const started = Date.now();
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  try {
    const build = startBuildOf(c, prepared);
    let cancelledAt = 0;
    const canceller = c.cancelAfterMs === undefined ? undefined : setTimeout(() => {
      cancelledAt = Date.now();
      build.cancel();
    }, c.cancelAfterMs);
    result = await build.result;
    clearTimeout(canceller);
    clearInterval(sampler);
    if (cancelledAt && Date.now() - cancelledAt > 5000) problems.push(`the build ended ${Date.now() - cancelledAt} ms after Cancel`);
    if (result.outcome !== c.outcome) problems.push(`outcome ${result.outcome}, expected ${c.outcome} (${result.reason}: ${result.message})`);
    if (c.reason && result.reason !== c.reason) problems.push(`reason ${result.reason}, expected ${c.reason} (${result.message})`);
    if (result.message.trim() === '') problems.push('empty message');
    if (c.message && !c.message.test(result.message)) problems.push(`message ${JSON.stringify(result.message)} does not match ${c.message}`);
    if (c.fix && !c.fix.test(result.fix ?? '')) problems.push(`fix ${JSON.stringify(result.fix)} does not match ${c.fix}`);
    if (emittedText(build.events).includes(env.sandbox.tokens.admin)) problems.push('the admin token appeared in the events');
    if (prepared.verify && result.outcome === 'succeeded') problems.push(...(await prepared.verify(result, build.events)));
    if (prepared.always) problems.push(...(await prepared.always()));
  } finally {
    clearInterval(sampler);
    await prepared.close?.();
  }
  problems.push(...(await leftovers(env.sandbox, secretsBefore)));
  return { name: c.name, result, problems, seconds: (Date.now() - started) / 1000, peakRssMb: peakRss / 2 ** 20, rssGrowthMb: (peakRss - startRss) / 2 ** 20 };
}
