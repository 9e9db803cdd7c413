// HTTPS_PROXY / NO_PROXY as kubectl reads them: our rules against golang.org/x/net/http/httpproxy itself (the package
// net/http's ProxyFromEnvironment, client-go and kubectl use), through our Go wrapper in test/go/httpproxy.
import { seededRandom } from '../../seeded-random.ts';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { askGoProgram, goMissing } from '../../../scripts/go-programs.ts';
import { proxyEnvironment, proxyFor } from '../../../src/core/kube/proxy-from-environment.ts';
import type { ProxyEnvironment } from '../../../src/core/kube/proxy-from-environment.ts';

const MODULE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'go', 'httpproxy');
type Case = ProxyEnvironment & { url: string };

const proxies = ['proxy:3128', 'http://proxy.corp:3128', 'https://user:pa%40ss@proxy.corp:8443', '10.0.0.1:3128', 'socks5://socks.corp:1080', '', 'http://[2001:db8::5]:3128'];
const servers = [
  'https://api.cluster.io:6443', 'https://cluster.io', 'https://foo.api.cluster.io:443', 'https://API.Cluster.IO:6443', 'https://notcluster.io:6443',
  'https://10.1.2.3:6443', 'https://10.200.0.1', 'https://192.168.1.10:443', 'https://127.0.0.1:6443', 'https://127.9.9.9', 'https://localhost:6443',
  'https://[::1]:6443', 'https://[2001:db8::1]:6443', 'https://[::ffff:10.1.2.3]:6443', 'http://api.cluster.io:8080', 'https://bücher.example:6443', 'https://xn--bcher-kva.example',
];
const entries = [
  '*', 'cluster.io', '.cluster.io', '*.cluster.io', 'cluster.io:6443', 'api.cluster.io:443', 'Cluster.IO', '10.0.0.0/8', '10.1.2.3', '10.1.2.3:6443',
  '192.168.1.10:443', '[2001:db8::1]', '2001:db8::/32', '[2001:db8::1]:6443', 'localhost', '127.0.0.1', ':6443', 'example', 'bücher.example', '.example',
  'cluster.io:abc', '10.0.0.0/33', ' ', '',
];

const corpus: Case[] = [
  { httpsProxy: 'proxy:3128', url: 'https://api.cluster.io:6443' },
  { httpsProxy: 'proxy:3128', url: 'https://127.0.0.1:6443' },
  { httpsProxy: 'proxy:3128', url: 'https://localhost:6443' },
  { httpsProxy: 'proxy:3128', noProxy: '*', url: 'https://api.cluster.io:6443' },
  { httpsProxy: 'proxy:3128', noProxy: 'cluster.io', url: 'https://api.cluster.io:6443' },
  { httpsProxy: 'proxy:3128', noProxy: '.cluster.io', url: 'https://cluster.io:6443' },
  { httpsProxy: 'proxy:3128', noProxy: 'cluster.io:443', url: 'https://api.cluster.io:6443' },
  { httpsProxy: 'proxy:3128', noProxy: '10.0.0.0/8,192.168.0.0/16', url: 'https://10.1.2.3:6443' },
  { httpProxy: 'proxy:3128', url: 'https://api.cluster.io:6443' },
  { httpProxy: 'proxy:3128', url: 'http://api.cluster.io:8080' },
];

function generated(count: number, seed: number): Case[] {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  return Array.from({ length: count }, () => {
    const noProxy = Array.from({ length: Math.floor(next() * 4) }, () => pick(entries)).join(next() < 0.5 ? ',' : ' , ');
    return { httpsProxy: pick(proxies), httpProxy: pick(proxies), noProxy, url: pick(servers) };
  });
}

const normalized = (proxy: string | undefined): string => (proxy ? new URL(proxy).href : '');

test('the environment: upper-case names first, empty values unset', () => {
  assert.deepEqual(proxyEnvironment({ HTTPS_PROXY: '', https_proxy: 'b:1', NO_PROXY: 'x', no_proxy: 'y' }), { httpsProxy: 'b:1', httpProxy: undefined, noProxy: 'x' });
});

test('proxy choice equals golang.org/x/net/http/httpproxy (kubectl) on a corpus and 3000 generated cases', { skip: goMissing() ?? false }, () => {
  const seed = Number(process.env.PROXY_SEED ?? 20261204);
  console.log(`# seed ${seed} (PROXY_SEED replays it)`);
  const cases = [...corpus, ...generated(3000, seed)];
  const answers = askGoProgram<{ proxy: string; error?: string }>({ name: 'httpproxy-oracle', module: MODULE, package: '.' }, cases);
  const differences = cases.flatMap((c, i) => {
    const ours = normalized(proxyFor(c.url, c)?.href);
    const theirs = answers[i].error ? `error: ${answers[i].error}` : normalized(answers[i].proxy);
    return ours === theirs ? [] : [`${JSON.stringify(c)}: httpproxy ${theirs || 'direct'}, ours ${ours || 'direct'}`];
  });
  assert.deepEqual(differences.slice(0, 20), [], `${differences.length} differences`);
});
