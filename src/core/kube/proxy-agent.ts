// A kubeconfig's `proxy-url` (client-go: rest.Config.Proxy): HTTPS to the API server goes through an HTTP(S)
// proxy's CONNECT tunnel, and TLS to the API server runs inside it as it would directly.
import http from 'node:http';
import https from 'node:https';
import type { ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { KubeconfigError } from './errors.ts';

class ConnectTunnelAgent extends https.Agent {
  readonly #proxy: URL;

  constructor(proxy: URL) {
    super({ keepAlive: false });
    this.#proxy = proxy;
  }

  override createConnection(options: ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const done = callback ?? ((): void => undefined);
    const proxy = this.#proxy;
    const target = `${options.host ?? options.hostname}:${options.port}`;
    const credentials = proxy.username ? { 'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` } : {};
    const request = (proxy.protocol === 'https:' ? https : http).request({ host: proxy.hostname, port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80), method: 'CONNECT', path: target, headers: { Host: target, ...credentials } });
    request.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        return done(Object.assign(new Error(`the proxy ${proxy.host} refused to tunnel to ${target} (${response.statusCode} ${response.statusMessage ?? ''})`.trim()), { code: 'EPROXY' }), socket);
      }
      done(null, tls.connect({ ...(options as tls.ConnectionOptions), socket }));
    });
    request.once('error', (error) => done(error, request.socket as Duplex));
    request.end();
    return undefined;
  }
}

const agents = new Map<string, https.Agent>();

/** One tunnelling agent per proxy URL; only http:// and https:// proxies are supported. */
export function proxyAgent(proxyUrl: string, cluster: string): https.Agent {
  let agent = agents.get(proxyUrl);
  if (agent) return agent;
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new KubeconfigError(`The proxy-url of the cluster "${cluster}" is not a URL.`, 'Set proxy-url to http://host:port (or https://), or remove it.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KubeconfigError(`The proxy-url of the cluster "${cluster}" uses ${url.protocol.replace(':', '')}, which kaniko-build does not support yet.`, 'Use an HTTP proxy (http://host:port) for this cluster, or connect without proxy-url.');
  }
  agent = new ConnectTunnelAgent(url);
  agents.set(proxyUrl, agent);
  return agent;
}
