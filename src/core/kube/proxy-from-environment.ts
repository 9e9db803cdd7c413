// Which proxy reaches an API server when the kubeconfig names none: HTTPS_PROXY / NO_PROXY as kubectl reads them.
// client-go's transport uses net/http's ProxyFromEnvironment, i.e. golang.org/x/net/http/httpproxy; each rule below
// names the function of httpproxy/proxy.go it follows (checked by test/unit/kube/proxy-environment.test.ts against
// that package itself).
import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';

export interface ProxyEnvironment {
  readonly httpsProxy?: string;
  readonly httpProxy?: string;
  readonly noProxy?: string;
}

/** FromEnvironment / getEnvAny: the upper-case name first, then the lower-case one; empty counts as unset. */
export function proxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment {
  const any = (...names: string[]): string | undefined => names.map((name) => env[name]).find((value) => value);
  return { httpsProxy: any('HTTPS_PROXY', 'https_proxy'), httpProxy: any('HTTP_PROXY', 'http_proxy'), noProxy: any('NO_PROXY', 'no_proxy') };
}

/** parseProxy: a value without scheme or host is read as `http://` + value. */
function parseProxy(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol && url.host) return url;
  } catch {
    // falls through to the http:// reading, as parseProxy does
  }
  try {
    return new URL(`http://${value}`);
  } catch {
    return undefined;
  }
}

const withoutBrackets = (host: string): string => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);
const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** net.SplitHostPort for a NO_PROXY entry: `host:port`, `[v6]:port`, or undefined when it has no port. */
function splitHostPort(entry: string): { host: string; port: string } | undefined {
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(entry);
  if (bracketed) return { host: `[${bracketed[1]}]`, port: bracketed[2] };
  const colon = entry.lastIndexOf(':');
  if (colon < 0 || entry.indexOf(':') !== colon) return undefined;
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

type Matcher = (host: string, port: string, ip: string | undefined) => boolean;

/** config.init: NO_PROXY's entries as matchers (`*`, CIDR, IP[:port], [*.|.]domain[:port]). */
function noProxyMatchers(noProxy: string): { all: boolean; ip: Matcher[]; domain: Matcher[] } {
  const ip: Matcher[] = [];
  const domain: Matcher[] = [];
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return { all: true, ip: [], domain: [] };
    const cidr = /^(.+)\/(\d+)$/.exec(entry);
    if (cidr && isIP(cidr[1]) && Number(cidr[2]) <= (isIP(cidr[1]) === 6 ? 128 : 32)) {
      const block = new BlockList();
      block.addSubnet(cidr[1], Number(cidr[2]), family(cidr[1]));
      ip.push((_host, _port, address) => address !== undefined && block.check(address, family(address)));
      continue;
    }
    const split = splitHostPort(entry);
    if (split && split.host === '') continue;
    // Brackets go only with a port: a bare `[v6]` is no IP for net.ParseIP, and so a (never matching) domain entry.
    let host = split ? withoutBrackets(split.host) : entry;
    const port = split?.port ?? '';
    if (isIP(host)) {
      const wanted = host;
      ip.push((_host, candidatePort, address) => address !== undefined && sameIp(address, wanted) && (port === '' || port === candidatePort));
      continue;
    }
    if (!host) continue;
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    if (matchHost) host = `.${host}`;
    const suffix = [...host].every((char) => char.charCodeAt(0) < 128) ? host : `.${domainToASCII(host.slice(1))}`;
    // domainMatch.match: a suffix match, or the bare name when the entry had no leading dot.
    domain.push((candidate, candidatePort, address) => address === undefined && (candidate.endsWith(suffix) || (matchHost && candidate === suffix.slice(1))) && (port === '' || port === candidatePort));
  }
  return { all: false, ip, domain };
}

/** An IPv4-mapped IPv6 address as its IPv4 form (URL writes `[::ffff:10.1.2.3]` as `[::ffff:a01:203]`). */
function unmapped(ip: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!hex) return ip;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** net.IP.Equal: an IPv4 address equals its IPv4-mapped IPv6 form. */
function sameIp(a: string, b: string): boolean {
  const v4 = unmapped;
  if (isIP(v4(a)) === 4 || isIP(v4(b)) === 4) return v4(a) === v4(b);
  const block = new BlockList();
  block.addAddress(a, 'ipv6');
  return block.check(b, 'ipv6');
}

/** IsLoopback: 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
function isLoopback(ip: string): boolean {
  const v4 = unmapped(ip);
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return sameIp(ip, '::1');
}

/** proxyForURL + useProxy: the proxy for a request to `target`, or undefined for a direct connection. */
export function proxyFor(target: string, environment: ProxyEnvironment): URL | undefined {
  const url = new URL(target);
  const proxy = url.protocol === 'https:' ? parseProxy(environment.httpsProxy) : url.protocol === 'http:' ? parseProxy(environment.httpProxy) : undefined;
  if (!proxy) return undefined;
  const host = withoutBrackets(url.hostname).toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (host === 'localhost') return undefined;
  const ip = isIP(host) ? host : undefined;
  if (ip && isLoopback(ip)) return undefined;
  const matchers = noProxyMatchers(environment.noProxy ?? '');
  if (matchers.all) return undefined;
  if (ip && matchers.ip.some((match) => match(host, port, ip))) return undefined;
  if (matchers.domain.some((match) => match(host, port, ip))) return undefined;
  return proxy;
}
