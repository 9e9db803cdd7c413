import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { connect, listContexts, mergeKubeconfigs } from '../../../src/core/kube/kubeconfig.ts';
import { KubeconfigError } from '../../../src/core/kube/errors.ts';

let dir: string;
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const config = (opts: { current?: string; clusters: Array<[string, string]>; contexts: Array<[string, string, string, string?]>; users: Array<[string, string]> }): string =>
  [
    'apiVersion: v1',
    'kind: Config',
    ...(opts.current ? [`current-context: ${opts.current}`] : []),
    'clusters:',
    ...opts.clusters.map(([name, server]) => `- name: ${name}\n  cluster:\n    server: ${server}\n    certificate-authority: ca.crt`),
    'contexts:',
    ...opts.contexts.map(([name, cluster, user, ns]) => `- name: ${name}\n  context:\n    cluster: ${cluster}\n    user: ${user}${ns ? `\n    namespace: ${ns}` : ''}`),
    'users:',
    ...opts.users.map(([name, token]) => `- name: ${name}\n  user:\n    token: ${token}`),
  ].join('\n');

let a: string, b: string, c: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  mkdirSync(join(dir, 'sub'));
  mkdirSync(join(dir, '.kube'));
  // kubectl refuses a certificate-authority it cannot read: every folder a kubeconfig is in has one.
  for (const folder of ['', 'sub', '.kube']) writeFileSync(join(dir, folder, 'ca.crt'), 'PEM');
  a = file('a.yaml', config({ clusters: [['shared', 'https://a.example:6443']], contexts: [['ctx-a', 'shared', 'ua', 'team-a']], users: [['ua', 'token-a']] }));
  b = file('sub/b.yaml', config({ current: 'ctx-b', clusters: [['shared', 'https://b.example:6443'], ['only-b', 'https://ob:6443']], contexts: [['ctx-b', 'shared', 'ub'], ['ctx-a', 'only-b', 'ub']], users: [['ub', 'token-b']] }));
  c = file('c.yaml', config({ current: 'ctx-a', clusters: [], contexts: [], users: [] }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('KUBECONFIG list: first file that sets current-context wins; maps are first-wins', () => {
  const merged = mergeKubeconfigs([a, b, c]);
  assert.equal(merged.currentContext, 'ctx-b');
  assert.equal(merged.clusters.get('shared')?.server, 'https://a.example:6443');
  assert.equal(merged.contexts.get('ctx-a')?.cluster, 'shared');
  assert.equal(merged.clusters.get('only-b')?.server, 'https://ob:6443');
});

test('relative paths resolve against the file that names them', () => {
  const merged = mergeKubeconfigs([b, a]);
  assert.equal(merged.clusters.get('shared')?.certificateAuthority, join(dir, 'sub', 'ca.crt'));
  assert.equal(mergeKubeconfigs([a]).clusters.get('shared')?.certificateAuthority, join(dir, 'ca.crt'));
  assert.equal(merged.clusters.get('only-b')?.certificateAuthority, join(dir, 'sub', 'ca.crt'));
});

test('connect: namespace from context, else default; overrides win', () => {
  const env = { KUBECONFIG: [a, join(dir, 'missing.yaml'), b].join(delimiter), HOME: dir };
  const fromB = connect({}, env);
  assert.equal(fromB.context, 'ctx-b');
  assert.equal(fromB.namespace, 'default');
  assert.equal(fromB.cluster.server, 'https://a.example:6443');
  assert.equal(fromB.user.token, 'token-b');
  const explicit = connect({ context: 'ctx-a' }, env);
  assert.equal(explicit.namespace, 'team-a');
  assert.equal(explicit.user.name, 'ua');
  assert.equal(connect({ context: 'ctx-a', namespace: 'other' }, env).namespace, 'other');
  // An explicit path ignores KUBECONFIG: a.yaml alone sets no current context.
  assert.throws(() => connect({ kubeconfig: a }, env), (e: unknown) => e instanceof KubeconfigError && /no current context/.test(e.message) && e.fix === 'kubectl config use-context ctx-a');
  assert.equal(connect({ kubeconfig: a, context: 'ctx-a' }, env).cluster.server, 'https://a.example:6443');
});

test('~/.kube/config when KUBECONFIG is unset', () => {
  writeFileSync(join(dir, '.kube', 'config'), config({ current: 'home', clusters: [['h', 'https://h:6443']], contexts: [['home', 'h', 'uh', 'hns']], users: [['uh', 't']] }));
  const home = connect({}, { HOME: dir });
  assert.equal(home.context, 'home');
  assert.equal(home.namespace, 'hns');
  assert.deepEqual(listContexts(join(dir, '.kube', 'config')), { current: 'home', contexts: [{ name: 'home', cluster: 'h', namespace: 'hns' }] });
});

test('bad kubeconfigs give clear errors', () => {
  const malformed = file('bad.yaml', 'users:\n- name: u\n  user:\n    token: neighbour-token\n    password: neighbour-password\n    username: [unclosed\ncurrent-context: x\n');
  const empty = file('empty.yaml', '');
  assert.throws(() => connect({ kubeconfig: malformed }), (e: unknown) => e instanceof KubeconfigError && /is not valid YAML: .+ at line 7, column 1\.$/.test(e.message) && !/neighbour|unclosed/.test(e.message));
  assert.throws(() => connect({ kubeconfig: empty }), /No kube context/);
  assert.throws(() => connect({ kubeconfig: join(dir, 'nope') }), /does not exist/);
  assert.throws(() => connect({ kubeconfig: a, context: 'nope' }), /"nope" does not exist; known contexts: ctx-a/);
  assert.throws(() => connect({ kubeconfig: dir }), /is a folder/);
});
