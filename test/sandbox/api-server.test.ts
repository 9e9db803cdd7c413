// API-level tests of the sandbox's API server. The kubelet here is a minimal in-test stand-in (real processes
// for exec, canned logs) so each server behaviour is checked on its own; the kubectl tests use the real kubelet.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Cluster, ClusterOptions } from './api/cluster.ts';
import { startCluster } from './api/cluster.ts';
import { call, rawExec, watch } from './api/test-client.ts';
import type { KubeObject, Kubelet, ObjectStore } from './contract.ts';
import { KubeletError } from './contract.ts';

/** Schedules every pod and marks its containers running; pods labelled `stage: unscheduled` stay unscheduled. */
function stubKubelet(store: ObjectStore): Kubelet {
  store.onPodChange((type, pod) => {
    if (type !== 'ADDED' || pod.metadata.labels?.stage === 'unscheduled') return;
    store.updatePodStatus(pod.metadata.namespace, pod.metadata.name, (status) => {
      status.conditions = [{ type: 'PodScheduled', status: 'True' }];
      status.phase = 'Running';
      status.containerStatuses = pod.spec.containers.map((container: { name: string }) => ({ name: container.name, ready: true, restartCount: 0, state: { running: {} } }));
    });
  });
  return {
    exec(_namespace, _pod, _container, command, io) {
      return new Promise((resolve, reject) => {
        const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        if (io.stdin) io.stdin.pipe(child.stdin);
        else child.stdin.end();
        if (io.stdout) child.stdout.pipe(io.stdout);
        if (io.stderr) child.stderr.pipe(io.stderr);
        child.on('error', reject);
        child.on('close', (code) => resolve(code ?? 1));
      });
    },
    logs(_namespace, pod, container) {
      const object = store.get('pods', 'builds', pod) as KubeObject;
      if (object.metadata.labels?.stage === 'unscheduled') return undefined;
      if (container === 'waiting') throw new KubeletError(400, `container "waiting" in pod "${pod}" is waiting to start: PodInitializing`);
      return Readable.from(['first line\n', 'second line\n']);
    },
    stop: async () => undefined,
  };
}

const podBody = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...extra },
  spec: { containers: [{ name: 'main', image: 'busybox' }] },
});

async function withCluster(options: Partial<ClusterOptions> = {}): Promise<{ cluster: Cluster; target: { server: string; caPem: string }; token: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-api-test-'));
  const cluster = await startCluster({ dir, createKubelet: stubKubelet, ...options });
  return {
    cluster,
    target: { server: cluster.server, caPem: cluster.caPem },
    token: cluster.admin.token,
    close: async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('sandbox API server', () => {
  let env: Awaited<ReturnType<typeof withCluster>>;
  before(async () => (env = await withCluster({ historyLimit: 20, bookmarkIntervalMs: 100 })));
  after(() => env.close());
  const pods = '/api/v1/namespaces/builds/pods';

  test('a missing or wrong token gets the 401 Status', async () => {
    for (const token of [undefined, 'wrong']) {
      const answer = await call(env.target, 'GET', pods, token ? { token } : {});
      assert.equal(answer.status, 401);
      assert.equal(answer.headers['content-type'], 'application/json');
      assert.deepEqual(answer.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  test('discovery lists the core resources with verbs and short names, and no OpenShift groups', async () => {
    const version = (await call(env.target, 'GET', '/version', { token: env.token })).json();
    assert.equal(version.major, '1');
    const core = (await call(env.target, 'GET', '/api/v1', { token: env.token })).json();
    const byName = new Map(core.resources.map((resource: { name: string }) => [resource.name, resource]));
    assert.deepEqual((byName.get('pods') as { shortNames: string[] }).shortNames, ['po']);
    assert.ok(byName.has('pods/exec') && byName.has('pods/log') && byName.has('serviceaccounts/token'));
    const groups = (await call(env.target, 'GET', '/apis', { token: env.token })).json().groups.map((group: { name: string }) => group.name);
    assert.ok(groups.includes('authorization.k8s.io'));
    assert.ok(!groups.includes('image.openshift.io'));
  });

  test('pods: generateName, get, 409, 404 and 422 with causes', async () => {
    const created = await call(env.target, 'POST', pods, { token: env.token, body: { ...podBody(''), metadata: { generateName: 'build-' } } });
    assert.equal(created.status, 201);
    const name = created.json().metadata.name;
    assert.match(name, /^build-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(created.json().spec.containers[0].terminationMessagePath, '/dev/termination-log');
    assert.equal((await call(env.target, 'GET', `${pods}/${name}`, { token: env.token })).json().metadata.uid, created.json().metadata.uid);
    await call(env.target, 'POST', pods, { token: env.token, body: podBody('twin') });
    const conflict = await call(env.target, 'POST', pods, { token: env.token, body: podBody('twin') });
    assert.equal(conflict.status, 409);
    assert.deepEqual(conflict.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "twin" already exists', reason: 'AlreadyExists', details: { name: 'twin', kind: 'pods' }, code: 409 });
    const missing = await call(env.target, 'GET', `${pods}/nope`, { token: env.token });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().message, 'pods "nope" not found');
    const invalid = await call(env.target, 'POST', pods, { token: env.token, body: { ...podBody('bad'), spec: { containers: [{ name: 'main' }] } } });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.json().message, 'Pod "bad" is invalid: spec.containers[0].image: Required value');
    assert.deepEqual(invalid.json().details.causes, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }]);
  });

  test('an update naming an old resourceVersion gets 409 Conflict', async () => {
    const map = (await call(env.target, 'POST', '/api/v1/namespaces/builds/configmaps', { token: env.token, body: { metadata: { name: 'versioned' }, data: { a: '1' } } })).json();
    const path = '/api/v1/namespaces/builds/configmaps/versioned';
    assert.equal((await call(env.target, 'PUT', path, { token: env.token, body: { ...map, data: { a: '2' } } })).status, 200);
    const stale = await call(env.target, 'PUT', path, { token: env.token, body: { ...map, data: { a: '3' } } });
    assert.equal(stale.status, 409);
    assert.equal(stale.json().reason, 'Conflict');
    assert.equal((await call(env.target, 'GET', path, { token: env.token })).json().data.a, '2');
  });

  test('pod updates: images and a shorter deadline pass; a longer deadline and other spec fields get 422 as ValidatePodUpdate words them', async () => {
    const created = (await call(env.target, 'POST', pods, { token: env.token, body: { ...podBody('updated'), spec: { ...podBody('').spec, activeDeadlineSeconds: 600 } } })).json();
    const path = `${pods}/updated`;
    const patch = (spec: Record<string, unknown>) => call(env.target, 'PATCH', path, { token: env.token, body: { spec } });
    const longer = await patch({ activeDeadlineSeconds: 900 });
    assert.equal(longer.status, 422);
    assert.equal(longer.json().message, 'Pod "updated" is invalid: spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value');
    const removed = await patch({ activeDeadlineSeconds: null });
    assert.equal(removed.status, 422);
    assert.match(removed.json().message, /spec\.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value/);
    const other = await patch({ nodeSelector: { disk: 'ssd' } });
    assert.equal(other.status, 422);
    assert.match(other.json().message, /^Pod "updated" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
    const image = created.spec.containers[0].image;
    const shorter = await patch({ activeDeadlineSeconds: 300 });
    assert.equal(shorter.status, 200);
    assert.equal(shorter.json().spec.activeDeadlineSeconds, 300);
    const replaced = await call(env.target, 'PUT', path, { token: env.token, body: { ...shorter.json(), spec: { ...shorter.json().spec, containers: [{ ...created.spec.containers[0], image: `${image}-next` }] } } });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.json().spec.containers[0].image, `${image}-next`);
  });

  test('lists honour label and field selectors, and resourceVersions increase across the store', async () => {
    const a = (await call(env.target, 'POST', pods, { token: env.token, body: podBody('sel-a', { labels: { app: 'kaniko', tier: 'x' } }) })).json();
    const b = (await call(env.target, 'POST', '/api/v1/namespaces/builds/configmaps', { token: env.token, body: { metadata: { name: 'cm' }, data: {} } })).json();
    await call(env.target, 'POST', pods, { token: env.token, body: podBody('sel-b', { labels: { app: 'other' } }) });
    assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    const names = async (query: string): Promise<string[]> =>
      (await call(env.target, 'GET', `${pods}?${query}`, { token: env.token })).json().items.map((pod: KubeObject) => pod.metadata.name).filter((name: string) => name.startsWith('sel-'));
    assert.deepEqual(await names('labelSelector=app%3Dkaniko'), ['sel-a']);
    assert.deepEqual(await names('labelSelector=app!%3Dkaniko'), ['sel-b']);
    assert.deepEqual(await names('labelSelector=app%20in%20(kaniko,other)'), ['sel-a', 'sel-b']);
    assert.deepEqual(await names('labelSelector=tier'), ['sel-a']);
    assert.deepEqual(await names('fieldSelector=metadata.name%3Dsel-b'), ['sel-b']);
    assert.deepEqual(await names('fieldSelector=status.phase%3DRunning,metadata.name%3Dsel-a'), ['sel-a']);
    assert.equal((await call(env.target, 'GET', `${pods}?fieldSelector=spec.bogus%3D1`, { token: env.token })).status, 400);
  });

  test('watch: synthetic ADDED without a version, only later events from an exact version, 410 when too old', async () => {
    await call(env.target, 'POST', pods, { token: env.token, body: podBody('watched') });
    const fresh = watch(env.target, `${pods}?watch=true&fieldSelector=metadata.name%3Dwatched`, env.token);
    const added = await fresh.next();
    assert.equal(added.type, 'ADDED');
    fresh.close();
    const version = added.object.metadata.resourceVersion;
    const resumed = watch(env.target, `${pods}?watch=true&fieldSelector=metadata.name%3Dwatched&resourceVersion=${version}`, env.token);
    await call(env.target, 'DELETE', `${pods}/watched`, { token: env.token, body: { gracePeriodSeconds: 0 } });
    const deleted = await resumed.next();
    assert.equal(deleted.type, 'DELETED');
    assert.ok(Number(deleted.object.metadata.resourceVersion) > Number(version));
    resumed.close();
    for (let index = 0; index < 25; index += 1) await call(env.target, 'POST', '/api/v1/namespaces/builds/configmaps', { token: env.token, body: { metadata: { name: `churn-${index}` } } });
    const old = watch(env.target, `${pods}?watch=true&resourceVersion=${version}`, env.token);
    const error = await old.next();
    assert.equal(error.type, 'ERROR');
    assert.equal(error.object.code, 410);
    assert.equal(error.object.reason, 'Expired');
    await old.ended;
  });

  test('watch: with allowWatchBookmarks, BOOKMARK events carry the current resourceVersion', async () => {
    const marked = watch(env.target, `${pods}?watch=true&allowWatchBookmarks=true&resourceVersion=${env.cluster.store.resourceVersion}`, env.token);
    const event = await marked.next();
    marked.close();
    assert.deepEqual(event, { type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(env.cluster.store.resourceVersion) } } });
  });

  test('watch: an object that starts or stops matching the field selector arrives as ADDED or DELETED', async () => {
    const phased = watch(env.target, `${pods}?watch=true&fieldSelector=status.phase%3DRunning,metadata.name%3Dphased`, env.token);
    await phased.ready;
    await call(env.target, 'POST', pods, { token: env.token, body: podBody('phased') });
    const started = await phased.next();
    assert.deepEqual([started.type, started.object.status.phase], ['ADDED', 'Running']);
    env.cluster.store.updatePodStatus('builds', 'phased', (status) => (status.phase = 'Succeeded'));
    const left = await phased.next();
    assert.deepEqual([left.type, left.object.status.phase], ['DELETED', 'Succeeded']);
    phased.close();
  });

  test('Table output carries kubectl columns, STATUS strings and the object as PartialObjectMetadata', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const table = (await call(env.target, 'GET', `${pods}?fieldSelector=metadata.name%3Dtwin`, { token: env.token, accept })).json();
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.columnDefinitions.filter((column: { priority: number }) => column.priority === 0).map((column: { name: string }) => column.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    assert.deepEqual(table.rows[0].cells.slice(0, 4), ['twin', '1/1', 'Running', '0']);
    assert.equal(table.rows[0].object.kind, 'PartialObjectMetadata');
  });

  test('RBAC: a denied request gets the real Forbidden text; SelfSubjectAccessReview answers from the allow list', async () => {
    const user = env.cluster.addUser('alice', [{ verb: 'get', resource: 'pods' }]);
    const denied = await call(env.target, 'GET', '/api/v1/namespaces/builds/secrets/s', { token: user.token });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'secrets "s" is forbidden: User "alice" cannot get resource "secrets" in API group "" in the namespace "builds"',
      reason: 'Forbidden',
      details: { name: 's', kind: 'secrets' },
      code: 403,
    });
    const review = async (verb: string, subresource?: string): Promise<boolean> =>
      (
        await call(env.target, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          token: user.token,
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'builds', verb, resource: 'pods', ...(subresource ? { subresource } : {}) } } },
        })
      ).json().status.allowed;
    assert.equal(await review('get'), true);
    assert.equal(await review('create', 'exec'), false);
  });

  test('secrets: dockerconfigjson is checked; secrets owned by a pod go with it', async () => {
    const secrets = '/api/v1/namespaces/builds/secrets';
    const bad = await call(env.target, 'POST', secrets, { token: env.token, body: { metadata: { name: 'reg' }, type: 'kubernetes.io/dockerconfigjson', data: {} } });
    assert.equal(bad.status, 422);
    assert.equal(bad.json().message, 'Secret "reg" is invalid: data[.dockerconfigjson]: Required value');
    const owner = (await call(env.target, 'POST', pods, { token: env.token, body: podBody('owner') })).json();
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Pod', name: 'owner', uid: owner.metadata.uid }];
    const config = Buffer.from(JSON.stringify({ auths: {} })).toString('base64');
    assert.equal((await call(env.target, 'POST', secrets, { token: env.token, body: { metadata: { name: 'reg', ownerReferences }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': config } } })).status, 201);
    await call(env.target, 'DELETE', `${pods}/owner`, { token: env.token, body: { gracePeriodSeconds: 0, propagationPolicy: 'Background' } });
    assert.equal((await call(env.target, 'GET', `${secrets}/reg`, { token: env.token })).status, 404);
  });

  test('a graceful delete marks the pod Terminating until the kubelet removes it', async () => {
    await call(env.target, 'POST', pods, { token: env.token, body: podBody('graceful') });
    const answer = (await call(env.target, 'DELETE', `${pods}/graceful`, { token: env.token, body: { propagationPolicy: 'Background' } })).json();
    assert.ok(answer.metadata.deletionTimestamp);
    const table = (await call(env.target, 'GET', `${pods}/graceful`, { token: env.token, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).json();
    assert.equal(table.rows[0].cells[2], 'Terminating');
    env.cluster.store.removePod('builds', 'graceful');
    assert.equal((await call(env.target, 'GET', `${pods}/graceful`, { token: env.token })).status, 404);
  });

  test('TokenRequest gives a bearer token the server accepts', async () => {
    const answer = await call(env.target, 'POST', '/api/v1/namespaces/builds/serviceaccounts/default/token', { token: env.token, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } } });
    assert.equal(answer.status, 201);
    const { status, spec } = answer.json();
    assert.equal(spec.expirationSeconds, 600);
    assert.equal((await call(env.target, 'GET', pods, { token: status.token })).status, 200);
    assert.equal((await call(env.target, 'POST', '/api/v1/namespaces/builds/serviceaccounts/nobody/token', { token: env.token, body: {} })).status, 404);
  });

  test('logs: 204 while unscheduled, the kubelet text for a waiting container, the stream otherwise', async () => {
    await call(env.target, 'POST', pods, { token: env.token, body: { ...podBody('logs', { labels: { stage: 'unscheduled' } }) } });
    assert.equal((await call(env.target, 'GET', `${pods}/logs/log`, { token: env.token })).status, 204);
    const twoContainers = { ...podBody('logs2'), spec: { containers: [{ name: 'main', image: 'busybox' }, { name: 'waiting', image: 'busybox' }] } };
    await call(env.target, 'POST', pods, { token: env.token, body: twoContainers });
    const unnamed = await call(env.target, 'GET', `${pods}/logs2/log`, { token: env.token });
    assert.equal(unnamed.json().message, 'a container name must be specified for pod logs2, choose one of: [main waiting]');
    const waiting = await call(env.target, 'GET', `${pods}/logs2/log?container=waiting`, { token: env.token });
    assert.equal(waiting.status, 400);
    assert.equal(waiting.json().message, 'container "waiting" in pod "logs2" is waiting to start: PodInitializing');
    const log = await call(env.target, 'GET', `${pods}/logs2/log?container=main&follow=true`, { token: env.token });
    assert.equal(log.headers['content-type'], 'text/plain');
    assert.equal(log.text, 'first line\nsecond line\n');
  });

  test('exec v5: empty first frame on stdout, stdin until the close frame, Success on channel 3', async () => {
    const path = `${pods}/twin/exec?command=cat&stdin=true&stdout=true&stderr=true`;
    const result = await rawExec(env.target, path, env.token, ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'], (ws) => {
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello ')]));
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('world')]));
      ws.send(Buffer.from([255, 0]));
    });
    assert.equal(result.protocol, 'v5.channel.k8s.io');
    assert.deepEqual([...result.frames[0]], [1]);
    const stdout = Buffer.concat(result.frames.filter((frame) => frame[0] === 1).map((frame) => frame.subarray(1))).toString();
    assert.equal(stdout, 'hello world');
    const status = result.frames.at(-1) as Buffer;
    assert.equal(status[0], 3);
    assert.deepEqual(JSON.parse(status.subarray(1).toString()), { metadata: {}, status: 'Success' });
  });

  test('exec: stdin has backpressure: while the process does not read, the client cannot hand off its data', async () => {
    const total = 16 * 1024 * 1024;
    let heldBack = -1;
    const result = await rawExec(env.target, `${pods}/twin/exec?command=sh&command=-c&command=sleep%201%3B%20wc%20-c&stdin=true&stdout=true`, env.token, ['v5.channel.k8s.io'], (ws) => {
      const chunk = Buffer.alloc(64 * 1024 + 1, 'x');
      chunk[0] = 0;
      for (let sent = 0; sent < total; sent += 64 * 1024) ws.send(chunk);
      ws.send(Buffer.from([255, 0]));
      setTimeout(() => (heldBack = ws.bufferedAmount), 500);
    });
    assert.ok(heldBack > 0, 'the server read everything while the process was not reading');
    const stdout = Buffer.concat(result.frames.filter((frame) => frame[0] === 1).map((frame) => frame.subarray(1))).toString().trim();
    assert.equal(stdout, String(total));
  });

  test('exec: a POST upgrade (as kubectl sends after a fallback) is accepted like a GET', async () => {
    const { status, protocol, firstFrame } = await new Promise<{ status: number; protocol: string; firstFrame: number[] }>((resolve, reject) => {
      const req = httpsRequest(`${env.target.server}${pods}/twin/exec?command=true&stdout=true`, {
        method: 'POST',
        ca: env.target.caPem,
        headers: {
          Authorization: `Bearer ${env.token}`,
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
          'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
        },
      });
      req.on('upgrade', (res, socket) => {
        socket.once('data', (data: Buffer) => {
          socket.destroy();
          resolve({ status: res.statusCode ?? 0, protocol: String(res.headers['sec-websocket-protocol']), firstFrame: [...data.subarray(0, 3)] });
        });
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 101);
    assert.equal(protocol, 'v5.channel.k8s.io');
    assert.deepEqual(firstFrame, [0x82, 0x01, 0x01]); // a binary frame holding [1]: the empty stdout frame
  });

  test('exec: a non-zero exit comes as NonZeroExitCode with the code in details.causes', async () => {
    const path = `${pods}/twin/exec?command=sh&command=-c&command=exit%203&stdout=true&stderr=true`;
    const result = await rawExec(env.target, path, env.token, ['v5.channel.k8s.io'], () => undefined);
    const status = JSON.parse((result.frames.at(-1) as Buffer).subarray(1).toString());
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '3' }]);
  });

  test('exec: 404 for a missing pod, 400 for a wrong container, 403 with the RBAC text', async () => {
    const refused = (path: string, token = env.token) =>
      rawExec(env.target, path, token, ['v5.channel.k8s.io'], () => undefined).then(
        () => assert.fail('upgraded'),
        (error: { status: number; body: string }) => ({ status: error.status, message: JSON.parse(error.body).message }),
      );
    assert.deepEqual(await refused(`${pods}/nope/exec?command=ls&stdout=true`), { status: 404, message: 'pods "nope" not found' });
    assert.deepEqual(await refused(`${pods}/twin/exec?command=ls&stdout=true&container=other`), { status: 400, message: 'container other is not valid for pod twin' });
    const reader = env.cluster.addUser('reader', [{ verb: 'get', resource: 'pods' }]);
    assert.deepEqual(await refused(`${pods}/twin/exec?command=ls&stdout=true`, reader.token), {
      status: 403,
      message: 'pods "twin" is forbidden: User "reader" cannot get resource "pods/exec" in API group "" in the namespace "builds"',
    });
  });

  test('faults: 503 and delays for matching requests, an expired token, a dropped exec, ended and expired watches', async () => {
    env.cluster.faults.failRequests({ path: '/pods/twin', method: 'GET' }, 503, 1);
    assert.equal((await call(env.target, 'GET', `${pods}/twin`, { token: env.token })).status, 503);
    assert.equal((await call(env.target, 'GET', `${pods}/twin`, { token: env.token })).status, 200);
    env.cluster.faults.delayRequests({ path: '/pods/twin' }, 300, 1);
    const started = Date.now();
    await call(env.target, 'GET', `${pods}/twin`, { token: env.token });
    assert.ok(Date.now() - started >= 300);
    env.cluster.faults.holdAnswers({ path: '/pods/twin', method: 'PATCH' }, 300, 1);
    const held = call(env.target, 'PATCH', `${pods}/twin`, { token: env.token, body: { metadata: { labels: { held: 'yes' } } } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(env.cluster.store.get('pods', 'builds', 'twin')?.metadata.labels?.held, 'yes', 'served before its answer');
    const answered = Date.now();
    assert.equal((await held).status, 200);
    assert.ok(Date.now() - answered >= 150, 'the answer came late');

    const temporary = env.cluster.addUser('temporary', 'all');
    assert.equal((await call(env.target, 'GET', pods, { token: temporary.token })).status, 200);
    env.cluster.expireToken(temporary.token);
    assert.equal((await call(env.target, 'GET', pods, { token: temporary.token })).status, 401);

    env.cluster.faults.dropExecAfterStdinBytes(4);
    const dropped = await rawExec(env.target, `${pods}/twin/exec?command=cat&stdin=true&stdout=true`, env.token, ['v5.channel.k8s.io'], (ws) => ws.send(Buffer.from([0, ...Buffer.from('more than four')])));
    assert.equal(dropped.closeCode, 1006);
    assert.ok(!dropped.frames.some((frame) => frame[0] === 3));

    env.cluster.faults.endWatchesAfter(200);
    const short = watch(env.target, `${pods}?watch=true`, env.token);
    await short.ended;
    env.cluster.faults.endWatchesAfter(undefined);
    const open = watch(env.target, `${pods}?watch=true&fieldSelector=metadata.name%3Dtwin`, env.token);
    assert.equal((await open.next()).type, 'ADDED');
    env.cluster.faults.expireWatches();
    assert.equal((await open.next()).object.code, 410);
    await open.ended;
  });
});

describe('sandbox API server, v4-only and OpenShift modes', () => {
  let env: Awaited<ReturnType<typeof withCluster>>;
  before(async () => (env = await withCluster({ execProtocols: 'v4-only', openshift: { serviceCaPem: 'CA PEM', registryUser: 'sandbox', registryPassword: 'pw' } })));
  after(() => env.close());
  const pods = '/api/v1/namespaces/builds/pods';
  const nonRoot = (name: string): KubeObject => ({ ...podBody(name), spec: { securityContext: { runAsNonRoot: true, runAsUser: 1000660000 }, containers: [{ name: 'main', image: 'busybox' }] } });

  test('exec offers v4 when asked for v5 and v4, and refuses a client that speaks only v5', async () => {
    await call(env.target, 'POST', pods, { token: env.token, body: nonRoot('p') });
    const result = await rawExec(env.target, `${pods}/p/exec?command=true&stdout=true`, env.token, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], () => undefined);
    assert.equal(result.protocol, 'v4.channel.k8s.io');
    await assert.rejects(rawExec(env.target, `${pods}/p/exec?command=true&stdout=true`, env.token, ['v5.channel.k8s.io'], () => undefined), { status: 400 });
  });

  test('OpenShift discovery groups, the service CA ConfigMap and legacy dockercfg secrets of builder', async () => {
    const groups = (await call(env.target, 'GET', '/apis', { token: env.token })).json().groups.map((group: { name: string }) => group.name);
    for (const group of ['image.openshift.io', 'route.openshift.io', 'security.openshift.io']) assert.ok(groups.includes(group));
    const ca = (await call(env.target, 'GET', '/api/v1/namespaces/builds/configmaps/openshift-service-ca.crt', { token: env.token })).json();
    assert.equal(ca.data['service-ca.crt'], 'CA PEM');
    const builder = (await call(env.target, 'GET', '/api/v1/namespaces/builds/serviceaccounts/builder', { token: env.token })).json();
    const secretName = builder.secrets[0].name;
    assert.match(secretName, /^builder-dockercfg-[a-z0-9]{5}$/);
    const secret = (await call(env.target, 'GET', `/api/v1/namespaces/builds/secrets/${secretName}`, { token: env.token })).json();
    assert.equal(secret.type, 'kubernetes.io/dockercfg');
    const config = JSON.parse(Buffer.from(secret.data['.dockercfg'], 'base64').toString());
    assert.equal(config['image-registry.openshift-image-registry.svc:5000'].username, 'sandbox');
    assert.equal(config.auths, undefined);
  });

  test('SCC admission: restricted-v2 assigns a UID to a pod that names none, refuses explicit root (named by its generateName) unless the account has anyuid', async () => {
    const unnamed = (await call(env.target, 'POST', pods, { token: env.token, body: { metadata: { name: 'assigned' }, spec: { containers: [{ name: 'kaniko', image: 'busybox' }] } } })).json();
    assert.equal(unnamed.metadata.annotations['openshift.io/scc'], 'restricted-v2');
    assert.equal(unnamed.spec.containers[0].securityContext.runAsUser, 1000660000);
    const root = { metadata: { generateName: 'kaniko-' }, spec: { containers: [{ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:latest', securityContext: { runAsUser: 0 } }] } };
    const refused = await call(env.target, 'POST', pods, { token: env.token, body: root });
    assert.equal(refused.status, 403);
    assert.match(refused.json().message, /^pods "kaniko-" is forbidden: unable to validate against any security context constraint: \[provider "anyuid": Forbidden: not usable by user or serviceaccount, provider restricted-v2: \.containers\[0\]\.runAsUser: Invalid value: 0: must be in the ranges: \[/);
    assert.equal((await call(env.target, 'POST', pods, { token: env.token, body: nonRoot('fine') })).json().metadata.annotations['openshift.io/scc'], 'restricted-v2');
    env.cluster.grantAnyuid('builds', 'default');
    const admitted = await call(env.target, 'POST', pods, { token: env.token, body: root });
    assert.equal(admitted.status, 201);
    assert.equal(admitted.json().metadata.annotations['openshift.io/scc'], 'anyuid');
  });
});
