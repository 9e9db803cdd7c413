// Differential test with kubectl as the oracle: every kubeconfig of kubeconfig-variants.ts goes through
// `kubectl auth whoami -o json` (as a user runs it) and through the engine's own connection (connect() and a
// SelfSubjectReview over the transport every build uses). Both must agree on works-or-not, the server
// reached, the identity the server saw and the namespace; where kubectl fails, our message names the cause.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { apiFailure } from '../../src/core/build/preflight.ts';
import { KubeGateway } from '../../src/core/kube/gateway.ts';
import { connect } from '../../src/core/kube/kubeconfig.ts';
import type { Cluster } from './api/cluster.ts';
import { startCluster } from './api/cluster.ts';
import type { ConnectProxy } from './api/connect-proxy.ts';
import { runKubectl } from './api/kubectl-runner.ts';
import { startConnectProxy } from './api/connect-proxy.ts';
import type { Fixture, Variant } from './kubeconfig-variants.ts';
import { variants } from './kubeconfig-variants.ts';
import { makeServingCertificate } from './registry/certificates.ts';

interface Outcome {
  works: boolean;
  server?: string;
  user?: string;
  groups?: string[];
  namespace?: string;
  viaProxy?: boolean;
  /** Why it failed; for ours, the message and the fix the user is shown. */
  error?: string;
}

let root: string;
let cluster: Cluster;
let proxy: ConnectProxy;
let fixture: Fixture;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubeconfig-oracle-'));
  await mkdir(join(root, 'api'));
  await mkdir(join(root, 'other-ca'));
  cluster = await startCluster({ dir: join(root, 'api'), createKubelet: () => ({ exec: async () => 1, logs: () => undefined, stop: async () => undefined }) });
  proxy = await startConnectProxy();
  const [cert, pluginCert, other] = await Promise.all([
    cluster.issueClientCertificate('alice', ['devs', 'system:masters']),
    cluster.issueClientCertificate('plugin-user', ['system:masters']),
    makeServingCertificate(join(root, 'other-ca')),
  ]);
  const restricted = cluster.addUser('restricted', [{ verb: 'get', resource: 'pods' }]);
  const idTokens = { valid: idToken(Date.UTC(2100, 0)), expired: idToken(Date.UTC(2020, 0)) };
  for (const token of Object.values(idTokens)) cluster.addUser('oidc-user', 'all', token);
  fixture = { server: cluster.server, caPem: cluster.caPem, otherCaPem: other.caPem, tokens: { admin: cluster.admin.token, restricted: restricted.token }, cert, pluginCert, proxyUrl: proxy.url, idTokens };
});

/** An unsigned JWT with an `exp` claim: what OIDC clients read to decide whether the ID token is still valid. */
function idToken(expiresMs: number): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [part({ alg: 'none' }), part({ iss: 'https://issuer.invalid', sub: 'oidc-user', aud: 'kaniko', exp: Math.floor(expiresMs / 1000) }), part({ sig: randomUUID() })].join('.');
}

after(async () => {
  await proxy?.close();
  await cluster?.stop();
  await rm(root, { recursive: true, force: true });
});

const folderOf = (name: string): string => join(root, 'variants', name.replace(/[^a-z0-9]+/gi, '-'));

async function writeVariant(variant: Variant): Promise<string> {
  const dir = folderOf(variant.name);
  await mkdir(join(dir, 'home'), { recursive: true });
  for (const [name, text] of Object.entries(variant.files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text, { mode: 0o600 });
    if (text.startsWith('#!')) await chmod(join(dir, name), 0o755);
  }
  return dir;
}

/** The environment a user's shell would give: its own HOME (no ~/.kube/config) and KUBECONFIG as the variant sets it. */
function environment(variant: Variant, dir: string): NodeJS.ProcessEnv {
  const list = variant.kubeconfigEnv ?? (variant.explicit ? undefined : ['config']);
  return { HOME: join(dir, 'home'), ...(list ? { KUBECONFIG: list.map((f) => (f ? join(dir, f) : '')).join(delimiter) } : {}), ...variant.env };
}

/** Run from another folder, so relative paths must resolve against the kubeconfig's folder, not the working one. */
const kubectl = (args: string[], env: NodeJS.ProcessEnv): ReturnType<typeof runKubectl> => runKubectl(args, { env, cwd: root });

async function kubectlOutcome(variant: Variant, dir: string): Promise<Outcome> {
  const env = environment(variant, dir);
  const explicit = variant.explicit ? ['--kubeconfig', join(dir, variant.explicit)] : [];
  const tunnels = proxy.tunnels;
  const run = await kubectl([...explicit, 'auth', 'whoami', '-o', 'json', '-v=6'], env);
  if (run.code !== 0) return { works: false, error: run.stderr.split('\n').filter((line) => line && !/^I\d{4} /.test(line)).join(' ').trim() };
  const { username, groups } = (JSON.parse(run.stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
  const server = /POST (https?:\/\/[^/\s]+)\/apis\/authentication/.exec(run.stderr)?.[1];
  const viaProxy = proxy.tunnels > tunnels;
  const view = await kubectl([...explicit, 'config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].context.namespace}'], env);
  return { works: true, server, user: username, groups, namespace: view.stdout.trim() || 'default', viaProxy };
}

async function engineOutcome(variant: Variant, dir: string): Promise<Outcome> {
  const tunnels = proxy.tunnels;
  try {
    const connection = connect(variant.explicit ? { kubeconfig: join(dir, variant.explicit) } : {}, environment(variant, dir));
    const { username, groups } = await new KubeGateway(connection).whoami();
    return { works: true, server: new URL(connection.cluster.server).origin, user: username, groups, namespace: connection.namespace, viaProxy: proxy.tunnels > tunnels };
  } catch (error) {
    // What a build shows: the preflight's mapping of the error to a message and a fix.
    const failure = apiFailure(error, 'kubectl', 'Connecting to the cluster');
    return { works: false, error: `${failure.message}${failure.fix ? ` | fix: ${failure.fix}` : ''}` };
  }
}

function differences(variant: Variant, theirs: Outcome, ours: Outcome): string[] {
  const found: string[] = [];
  const expect = variant.expect;
  if ('fails' in expect) {
    if (theirs.works) found.push('kubectl works, but the table says it fails (fixture broken?)');
    if (ours.works) found.push('ours works where kubectl fails');
    else {
      if (credentials().some((secret) => ours.error?.includes(secret))) found.push('our message shows a credential');
      if (!expect.fails.test(ours.error ?? '')) found.push(`our message does not name the cause ${expect.fails}`);
      if (!/\| fix: /.test(ours.error ?? '')) found.push('our message gives no fix');
      if (!/refused/.test(variant.name) && /may have expired/.test(ours.error ?? '')) found.push('our message blames an expired token');
    }
    return found;
  }
  if (!theirs.works) return [`kubectl fails, but the table says it works: ${theirs.error}`];
  if (!ours.works) return [`ours fails: ${ours.error}`];
  if (theirs.user !== expect.user) found.push(`kubectl saw user ${theirs.user}, the table says ${expect.user}`);
  for (const key of ['server', 'user', 'namespace', 'viaProxy'] as const) {
    if (theirs[key] !== ours[key]) found.push(`${key}: kubectl ${String(theirs[key])}, ours ${String(ours[key])}`);
  }
  if (JSON.stringify(theirs.groups) !== JSON.stringify(ours.groups)) found.push(`groups: kubectl ${theirs.groups?.join(',')}, ours ${ours.groups?.join(',')}`);
  if (expect.groups && JSON.stringify(expect.groups) !== JSON.stringify(theirs.groups)) found.push(`groups: the table says ${expect.groups.join(',')}`);
  if (expect.namespace && expect.namespace !== theirs.namespace) found.push(`namespace: the table says ${expect.namespace}`);
  if (expect.viaProxy !== undefined && expect.viaProxy !== theirs.viaProxy) found.push('the proxy was not used');
  return found;
}

/** Every credential of the fixture, plain and as written in kubeconfigs; none may appear in our messages. */
function credentials(): string[] {
  const { tokens, cert, pluginCert } = fixture;
  const plain = [tokens.admin, tokens.restricted, 'secret-password', cert.keyPem, pluginCert.keyPem, ...Object.values(fixture.idTokens)];
  return [...plain, ...plain.map((secret) => Buffer.from(secret).toString('base64'))];
}

const show = (outcome: Outcome): string => (outcome.works ? `works as ${outcome.user} in ${outcome.namespace}${outcome.viaProxy ? ' via proxy' : ''}` : `fails: ${outcome.error}`);

test('every kubeconfig kubectl accepts works for the engine, and every one it refuses fails with the cause', async () => {
  const table = variants(fixture, folderOf);
  assert.ok(table.length >= 25, 'the table has at least 25 variants');
  const report: string[] = [];
  let different = 0;
  for (const variant of table) {
    const dir = await writeVariant(variant);
    const theirs = await kubectlOutcome(variant, dir);
    const ours = await engineOutcome(variant, dir);
    const found = differences(variant, theirs, ours);
    if (found.length) different++;
    report.push(`${found.length ? 'DIFF' : 'same'}  ${variant.name}\n      kubectl: ${show(theirs)}\n      engine:  ${show(ours)}${found.map((d) => `\n      !! ${d}`).join('')}`);
  }
  console.log(`${report.join('\n')}\n${table.length} variants, ${different} with differences`);
  assert.equal(different, 0, `${different} of ${table.length} kubeconfig variants differ from kubectl (see the table above)`);
});
