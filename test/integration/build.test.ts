// Builds that push, checked in the registry: manifest, digest, and the files the layer carries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { link } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from '../sandbox/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { inspectImage } from '../sandbox/registry/inspect.ts';
import { attachBuild, cleanUpBuildPods, createRegistrySecret, listBuilds } from '../../src/core/engine.ts';
import type { BuildRequest, BuildResult } from '../../src/core/build/model.ts';
import { assertNoBuildPods, assertNoSecret, BUSYBOX, makeContext, phaseOf, run, useSandboxBaseImages } from './helpers.ts';
import { packagedFiles } from './expected.ts';

let sandbox: Sandbox;
let contextDir: string;
let kube: { kubeconfig: string };

const DOCKERFILE = `FROM ${BUSYBOX}\nARG GREETING=hello\nCOPY . /app/\nRUN test -f /app/a.txt && echo "$GREETING from RUN"\n`;

before(async () => {
  sandbox = await startSandbox();
  useSandboxBaseImages(sandbox);
  kube = { kubeconfig: sandbox.kubeconfigPath };
  contextDir = await makeContext({
    Dockerfile: DOCKERFILE,
    '.dockerignore': '*.log\nsecret/\n',
    'a.txt': 'alpha\n',
    'sub/b.txt': 'beta\n',
    'notes.log': 'ignored\n',
    'secret/key': 'never sent\n',
  });
  await createRegistrySecret(kube, { name: 'regcred', server: sandbox.registries.tls.host, username: sandbox.registries.tls.user, password: sandbox.registries.tls.password });
});
after(async () => {
  await sandbox?.stop();
});

function request(overrides: Partial<BuildRequest>): BuildRequest {
  return { dockerfile: join(contextDir, 'Dockerfile'), contextDir, destinations: [], kube, ...overrides };
}

/** The image's files under /app equal what the packager sent (after .dockerignore). */
async function assertImageHasContext(image: Awaited<ReturnType<typeof inspectImage>>, dir: string, dockerfile: string, prefix = 'app/'): Promise<void> {
  const expected = await packagedFiles(dir, dockerfile);
  const actual = new Map([...image.files].filter(([path, f]) => path.startsWith(prefix) && f.type === 'file').map(([path, f]) => [path.slice(prefix.length), f.sha256 ?? '']));
  assert.deepEqual(Object.fromEntries([...actual].sort()), Object.fromEntries([...expected].sort()));
}

function succeeded(result: BuildResult): string {
  assert.equal(result.outcome, 'succeeded', `${result.reason}: ${result.message}`);
  assert.match(result.digest ?? '', /^sha256:[a-f0-9]{64}$/);
  return result.digest ?? '';
}

test('plain registry: pushed, digest matches, files equal the packaged context', async () => {
  const destination = `${sandbox.registries.plain.host}/team/app:v1`;
  const build = run(request({ destinations: [destination], secretName: '', extraArgs: ['--insecure'], buildArgs: { GREETING: 'hi; $(echo no)', NPM_TOKEN: 'npm_fixture_value' } }));
  const digest = succeeded(await build.result);
  const warned = build.events.find((e) => e.type === 'log' && e.source === 'engine' && e.line.startsWith('Build argument NPM_TOKEN looks secret'));
  assert.ok(warned && warned.type === 'log' && !warned.line.includes('npm_fixture_value'), 'the build log warns about the secret-looking argument by name');
  const image = await inspectImage({ host: sandbox.registries.plain.host }, 'team/app', 'v1');
  assert.equal(image.digest, digest);
  await assertImageHasContext(image, contextDir, join(contextDir, 'Dockerfile'));
  assert.ok(!image.files.has('app/notes.log') && !image.files.has('app/secret/key'));
  const steps = build.session.snapshot().steps;
  assert.deepEqual(steps.map((s) => [s.instruction.split(' ')[0], s.line, s.state]), [['ARG', 2, 'done'], ['COPY', 3, 'done'], ['RUN', 4, 'done']].filter(([k]) => steps.some((s) => s.instruction.startsWith(String(k)))));
  assert.ok(steps.some((s) => s.instruction.startsWith('RUN') && s.line === 4), 'the RUN step maps to line 4');
  assert.ok(build.events.some((e) => e.type === 'log' && e.source === 'kaniko' && e.line.includes('hi; $(echo no) from RUN')), 'build args pass through unchanged');
  for (const phase of ['package', 'preflight', 'createPod', 'schedule', 'upload', 'build', 'push']) assert.equal(phaseOf(build.events, phase), 'done', phase);
  assert.ok(build.events.some((e) => e.type === 'progress' && e.phase === 'upload' && e.bytes > 0));
  await assertNoBuildPods(sandbox.kubeconfigPath);
});

test('TLS registry with credentials from the secret; the password never appears', async () => {
  const { host, user, password, caPem } = sandbox.registries.tls;
  const build = run(request({ destinations: [`${host}/team/secure:v1`], secretName: 'regcred', extraArgs: ['--skip-tls-verify'] }));
  const digest = succeeded(await build.result);
  const image = await inspectImage({ host, caPem }, 'team/secure', 'v1', { user, password });
  assert.equal(image.digest, digest);
  await assertImageHasContext(image, contextDir, join(contextDir, 'Dockerfile'));
  assertNoSecret(build.events, password, sandbox.tokens.admin);
  await assertNoBuildPods(sandbox.kubeconfigPath);
});

test('two destinations: both tags point at the same digest', async () => {
  const host = sandbox.registries.plain.host;
  const build = run(request({ destinations: [`${host}/team/two:a`, `${host}/team/two:b`], secretName: '', extraArgs: ['--insecure'] }));
  const result = await build.result;
  const digest = succeeded(result);
  assert.deepEqual(result.images?.map((i) => i.reference), [`${host}/team/two:a`, `${host}/team/two:b`]);
  for (const tag of ['a', 'b']) assert.equal((await inspectImage({ host }, 'team/two', tag)).digest, digest);
});

test('Dockerfile in a sub-folder with its own <Dockerfile>.dockerignore', async () => {
  const dir = await makeContext({
    'docker/app.Dockerfile': `FROM ${BUSYBOX}\nCOPY . /app/\n`,
    'docker/app.Dockerfile.dockerignore': 'big/\n*.tmp\n',
    '.dockerignore': 'src/\n',
    'src/main.txt': 'main\n',
    'big/blob': 'x'.repeat(10000),
    'scratch.tmp': 't',
  });
  const dockerfile = join(dir, 'docker/app.Dockerfile');
  const host = sandbox.registries.plain.host;
  const build = run({ dockerfile, contextDir: dir, destinations: [`${host}/team/sub:v1`], kube, secretName: '', extraArgs: ['--insecure'] });
  const digest = succeeded(await build.result);
  const image = await inspectImage({ host }, 'team/sub', 'v1');
  assert.equal(image.digest, digest);
  await assertImageHasContext(image, dir, dockerfile);
  assert.ok(image.files.has('app/src/main.txt'), 'the Dockerfile-specific ignore file replaces .dockerignore');
  assert.ok(!image.files.has('app/big/blob'));
});

async function failing(overrides: Partial<BuildRequest>, dockerfile: string): Promise<BuildResult> {
  const dir = await makeContext({ Dockerfile: dockerfile, 'f.txt': 'f\n' });
  const build = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, kube, destinations: [`${sandbox.registries.plain.host}/team/fail:v1`], secretName: '', extraArgs: ['--insecure'], ...overrides });
  const result = await build.result;
  assert.equal(result.outcome, 'failed', result.message);
  assertNoSecret(build.events, sandbox.registries.tls.password);
  await assertNoBuildPods(sandbox.kubeconfigPath);
  return result;
}

test('RunFailed: the failing RUN, its line and exit code', async () => {
  const result = await failing({}, `FROM ${BUSYBOX}\nCOPY f.txt /f.txt\nRUN echo about to fail && \\\n  exit 3\n`);
  assert.equal(result.reason, 'RunFailed');
  assert.equal(result.failedStep?.line, 3);
  assert.equal(result.failedStep?.exitCode, 3);
  assert.match(result.message, /RUN echo about to fail.*line 3.*exit code 3/);
});

test('PushUnauthorized: the registry refuses the credentials', async () => {
  await sandbox.faults.rejectRegistryCredentials(true);
  try {
    const result = await failing({ destinations: [`${sandbox.registries.tls.host}/team/denied:v1`], secretName: 'regcred', extraArgs: ['--skip-tls-verify'] }, `FROM ${BUSYBOX}\n`);
    assert.equal(result.reason, 'PushUnauthorized', result.message);
    assert.match(result.fix ?? '', /create secret docker-registry/);
  } finally {
    await sandbox.faults.rejectRegistryCredentials(false);
  }
});

test('PushCertificate: the registry certificate is not trusted', async () => {
  const result = await failing({ destinations: [`${sandbox.registries.untrusted.host}/team/x509:v1`], secretName: 'regcred', extraArgs: [] }, `FROM ${BUSYBOX}\n`);
  assert.equal(result.reason, 'PushCertificate', result.message);
  assert.match(result.fix ?? '', /registry-certificate/);
});

test('DockerfileNotInContext from kaniko: a --dockerfile path that is not in the context', async () => {
  const result = await failing({ extraArgs: ['--insecure', '--dockerfile=/nowhere/Dockerfile'] }, `FROM ${BUSYBOX}\n`);
  assert.equal(result.reason, 'DockerfileNotInContext', result.message);
});

const SLOW = `FROM ${BUSYBOX}\nRUN sleep 30\n`;

async function duringBuild(act: (pod: { namespace: string; name: string }) => void | Promise<void>, overrides: Partial<BuildRequest> = {}): Promise<BuildResult> {
  const dir = await makeContext({ Dockerfile: SLOW });
  let acted = false;
  const build = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, kube, destinations: [`${sandbox.registries.plain.host}/team/slow:v1`], secretName: '', extraArgs: ['--insecure'], ...overrides }, (event, session) => {
    if (!acted && event.type === 'step' && event.step.instruction.startsWith('RUN sleep')) {
      acted = true;
      const pod = session.snapshot().pod;
      if (pod) void act(pod);
    }
  });
  const result = await build.result;
  assert.ok(acted, 'the RUN step was reached');
  await assertNoBuildPods(sandbox.kubeconfigPath);
  return result;
}

test('OOMKilled, PodEvicted and PodDeleted while kaniko runs', async () => {
  const oom = await duringBuild((pod) => sandbox.faults.killContainer(pod.namespace, pod.name, 'kaniko', 'OOMKilled'));
  assert.equal(oom.reason, 'OOMKilled', oom.message);
  const evicted = await duringBuild((pod) => sandbox.faults.evictPod(pod.namespace, pod.name, 'The node was low on resource: memory.'));
  assert.equal(evicted.reason, 'PodEvicted', evicted.message);
  assert.match(evicted.message, /low on resource/);
  const deleted = await duringBuild((pod) => sandbox.faults.deletePod(pod.namespace, pod.name, 0));
  assert.equal(deleted.reason, 'PodDeleted', deleted.message);
});

test('DeadlineExceeded: activeDeadlineSeconds reached', async () => {
  const result = await duringBuild(() => undefined, { deadlineSeconds: 4 });
  assert.equal(result.reason, 'DeadlineExceeded', result.message);
});

test('cancel during build and during push leaves no pod', async () => {
  for (const phase of ['build', 'push'] as const) {
    const dir = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\nRUN echo x\n` });
    let asked = false;
    const cancelled = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, kube, destinations: [`${sandbox.registries.plain.host}/team/cancel:v1`], secretName: '', extraArgs: ['--insecure'] }, (event, session) => {
      if (!asked && event.type === 'phase' && event.phase === phase && event.state === 'running') {
        asked = true;
        void session.cancel();
      }
    });
    const result = await cancelled.result;
    assert.ok(asked, `${phase} was reached`);
    assert.equal(result.outcome, 'cancelled', `${phase}: ${result.reason}: ${result.message}`);
    await assertNoBuildPods(sandbox.kubeconfigPath);
  }
});

test('attach: a second session follows a running build to its end (window reload)', async () => {
  const dir = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\nRUN sleep 2\n` });
  let attached: ReturnType<typeof attachBuild> | undefined;
  const first = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, kube, destinations: [`${sandbox.registries.plain.host}/team/attach:v1`], secretName: '', extraArgs: ['--insecure'], cleanup: { policy: 'keep' } }, (event) => {
    if (!attached && event.type === 'phase' && event.phase === 'build' && event.state === 'running') {
      void listBuilds(kube).then((builds) => {
        assert.equal(builds.length, 1);
        attached = attachBuild(kube, builds[0].namespace, builds[0].name);
      });
    }
  });
  const original = await first.result;
  succeeded(original);
  assert.ok(attached, 'attached during the build');
  const again = await attached.done;
  assert.equal(again.digest, original.digest);
  assert.deepEqual(attached.snapshot().request.destinations, [`${sandbox.registries.plain.host}/team/attach:v1`]);
  await assertNoBuildPods(sandbox.kubeconfigPath);
});

test('attach applies the policy the build was started with: a failed build kept for inspection stays (window reload)', async () => {
  const dir = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\nRUN sleep 1 && exit 3\n` });
  const cleanup = { policy: 'keepFailed', keepFailedMinutes: 5 } as const;
  let attached: ReturnType<typeof attachBuild> | undefined;
  const first = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, kube, destinations: [`${sandbox.registries.plain.host}/team/attach-kept:v1`], secretName: '', extraArgs: ['--insecure'], cleanup }, (event) => {
    if (!attached && event.type === 'phase' && event.phase === 'build' && event.state === 'running') {
      void listBuilds(kube).then((builds) => {
        attached = attachBuild(kube, builds[0].namespace, builds[0].name, cleanup);
      });
    }
  });
  const original = await first.result;
  assert.equal(original.outcome, 'failed', original.message);
  assert.ok(attached, 'attached during the build');
  const again = await attached.done;
  assert.equal(again.reason, original.reason);
  const kept = await listBuilds(kube);
  assert.deepEqual(kept.map((b) => b.name), [original.podName], 'the attached session kept the failed pod');
  assert.ok(kept[0].keepUntil && kept[0].keepUntil > new Date().toISOString());
  assert.deepEqual(await cleanUpBuildPods(kube, { all: true }), [original.podName]);
  await assertNoBuildPods(sandbox.kubeconfigPath);
});

test('a hard link in the context arrives as the same content under both names (sent once, as a tar link)', async () => {
  const dir = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\nCOPY . /app/\nRUN test "$(cat /app/sub/copy.txt)" = "shared" && cmp /app/data.txt /app/sub/copy.txt\n`, 'data.txt': 'shared', 'sub/.keep': '' });
  await link(join(dir, 'data.txt'), join(dir, 'sub/copy.txt'));
  const build = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, kube, destinations: [`${sandbox.registries.plain.host}/team/hardlink:v1`], secretName: '', extraArgs: ['--insecure'] });
  succeeded(await build.result);
  await assertNoBuildPods(sandbox.kubeconfigPath);
});

test('watch streams that end every 300 ms and a 410 Expired: the build still completes, each step once', async () => {
  sandbox.faults.endWatchesAfter(300);
  sandbox.faults.expireWatches(2);
  try {
    const dir = await makeContext({ Dockerfile: `FROM ${BUSYBOX}\nCOPY . /app/\nRUN sleep 2 && echo slept\n` });
    const build = run({ dockerfile: join(dir, 'Dockerfile'), contextDir: dir, kube, destinations: [`${sandbox.registries.plain.host}/team/watch:v1`], secretName: '', extraArgs: ['--insecure'] });
    succeeded(await build.result);
    const slept = build.events.filter((e) => e.type === 'log' && e.source === 'kaniko' && e.line === 'slept');
    assert.equal(slept.length, 1, 'no duplicate log lines');
    const runs = build.session.snapshot().steps.filter((s) => s.instruction.startsWith('RUN'));
    assert.equal(runs.length, 1);
  } finally {
    sandbox.faults.reset();
  }
  await assertNoBuildPods(sandbox.kubeconfigPath);
});

test('CLI: phases and log on stderr, the digest as the last stdout line; a failure exits 1 with reason and fix', async () => {
  const { execFile } = await import('node:child_process');
  const cli = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, ['src/cli.ts', 'build', ...args], { cwd: join(import.meta.dirname, '..', '..') }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  const host = sandbox.registries.plain.host;
  const ok = await cli(['--dockerfile', join(contextDir, 'Dockerfile'), '--destination', `${host}/team/cli:v1`, '--kubeconfig', sandbox.kubeconfigPath, '--secret', '', '--executor-arg=--insecure', '--build-arg', 'GREETING=cli']);
  assert.equal(ok.code, 0, ok.stderr);
  const digest = ok.stdout.trim().split('\n').at(-1);
  assert.equal(digest, (await inspectImage({ host }, 'team/cli', 'v1')).digest);
  assert.match(ok.stderr, /==> upload: done/);
  assert.match(ok.stderr, /cli from RUN/);
  const bad = await cli(['--dockerfile', join(contextDir, 'Dockerfile'), '--destination', `${host}/team/cli:v2`, '--kubeconfig', sandbox.kubeconfigPath, '--secret', 'missing']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /failed \(SecretMissing\): .*"missing" does not exist/);
  assert.match(bad.stderr, /fix: kubectl create secret docker-registry missing/);
  const usage = await cli(['--dockerfile', join(contextDir, 'Dockerfile'), '--destination', `${host}/team/cli:v3`, '--compression-level', '12']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--compression-level needs a number from 0 to 9, got "12"/);
  await assertNoBuildPods(sandbox.kubeconfigPath);
});
