// The engine against a real cluster with the real kaniko image: happy path (digest checked through the
// registry API), a cancel, and a failing RUN. Skips, saying why, unless these are set:
//   KANIKO_TEST_KUBECONFIG    kubeconfig of the cluster (its current context and namespace are used)
//   KANIKO_TEST_DESTINATION   a repository the cluster can push to, e.g. registry.example.com/me/kaniko-test
// Optional: KANIKO_TEST_SECRET (docker-registry secret in the namespace, default: regcred when present),
//   KANIKO_TEST_REGISTRY_USER / KANIKO_TEST_REGISTRY_PASSWORD (to read the manifest back), KANIKO_TEST_EXTRA_ARGS
//   (space-separated executor flags, e.g. "--insecure"), KANIKO_TEST_CONTEXT (kube context name).
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBuilds, startBuild } from '../../src/core/engine.ts';
import type { BuildRequest, BuildResult } from '../../src/core/build/model.ts';
import { parseImageReference } from '../../src/core/registry/reference.ts';

const kubeconfig = process.env.KANIKO_TEST_KUBECONFIG;
const destination = process.env.KANIKO_TEST_DESTINATION;

function manifestDigest(reference: string): Promise<string | undefined> {
  const ref = parseImageReference(reference);
  const user = process.env.KANIKO_TEST_REGISTRY_USER;
  const password = process.env.KANIKO_TEST_REGISTRY_PASSWORD;
  const insecure = (process.env.KANIKO_TEST_EXTRA_ARGS ?? '').includes('--insecure');
  const send = insecure ? httpRequest : request;
  return new Promise((resolve, reject) => {
    const req = send(`${insecure ? 'http' : 'https'}://${ref.domain}/v2/${ref.path}/manifests/${ref.tag ?? 'latest'}`, {
      method: 'HEAD',
      headers: {
        Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
        ...(user ? { Authorization: `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}` } : {}),
      },
    }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? String(res.headers['docker-content-digest'] ?? '') : undefined);
    });
    req.on('error', reject);
    req.end();
  });
}

async function build(dockerfile: string, tag: string, onPhase?: (phase: string, cancel: () => void) => void): Promise<BuildResult> {
  const dir = await mkdtemp(join(tmpdir(), 'kaniko-cluster-'));
  await writeFile(join(dir, 'Dockerfile'), dockerfile);
  await writeFile(join(dir, 'hello.txt'), `hello from kaniko-build ${new Date().toISOString()}\n`);
  const req: BuildRequest = {
    dockerfile: join(dir, 'Dockerfile'), contextDir: dir, destinations: [`${destination}:${tag}`],
    kube: { kubeconfig, ...(process.env.KANIKO_TEST_CONTEXT ? { context: process.env.KANIKO_TEST_CONTEXT } : {}) },
    ...(process.env.KANIKO_TEST_SECRET ? { secretName: process.env.KANIKO_TEST_SECRET } : {}),
    extraArgs: (process.env.KANIKO_TEST_EXTRA_ARGS ?? '').split(' ').filter(Boolean),
  };
  const session = startBuild(req);
  session.onEvent((event) => {
    if (event.type === 'phase' && event.state !== 'pending') console.log(`  ${event.phase}: ${event.state}${event.detail ? ` (${event.detail})` : ''}`);
    if (event.type === 'log') console.log(`  | ${event.line}`);
    if (event.type === 'phase' && event.state === 'running') onPhase?.(event.phase, () => void session.cancel());
  });
  return session.done;
}

async function main(): Promise<number> {
  if (!kubeconfig || !destination) {
    console.log('test:cluster SKIPPED: set KANIKO_TEST_KUBECONFIG (a kubeconfig) and KANIKO_TEST_DESTINATION (e.g. quay.io/me/kaniko-test) to run the engine against a real cluster.');
    return 0;
  }
  const checks: Array<[string, () => Promise<void>]> = [
    ['happy path', async () => {
      const result = await build('FROM busybox:1.36\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt\n', 'ok');
      assert.equal(result.outcome, 'succeeded', `${result.reason}: ${result.message} ${result.fix ?? ''}`);
      const digest = await manifestDigest(`${destination}:ok`);
      if (digest !== undefined) assert.equal(digest, result.digest, 'the registry serves the digest the engine reported');
      else console.log('  (manifest not readable with the given credentials; digest check skipped)');
    }],
    ['cancel during build', async () => {
      const result = await build('FROM busybox:1.36\nRUN sleep 120\n', 'cancel', (phase, cancel) => phase === 'build' && cancel());
      assert.equal(result.outcome, 'cancelled', result.message);
    }],
    ['failing RUN', async () => {
      const result = await build('FROM busybox:1.36\nRUN exit 7\n', 'fail');
      assert.equal(result.reason, 'RunFailed', result.message);
      assert.equal(result.failedStep?.exitCode, 7);
      assert.equal(result.failedStep?.line, 2);
    }],
  ];
  let failed = 0;
  for (const [name, check] of checks) {
    console.log(`# ${name}`);
    try {
      await check();
      console.log(`ok - ${name}`);
    } catch (error) {
      failed++;
      console.log(`not ok - ${name}: ${(error as Error).message}`);
    }
  }
  console.log(`${checks.length - failed}/${checks.length} passed`);
  const left = await listBuilds({ kubeconfig });
  if (left.length > 0) console.log(`not ok - pods left behind: ${left.map((b) => b.name).join(', ')}`);
  return failed || left.length ? 1 : 0;
}

process.exitCode = await main();
