// Minimal registry HTTP client on node:http(s): a caPem switches to HTTPS trusting only that CA.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RegistryEndpoint {
  /** 127.0.0.1:PORT */
  host: string;
  /** Present for a TLS registry: the CA that signed its certificate. */
  caPem?: string;
}

export interface RegistryAuth {
  user: string;
  password: string;
}

export function registryGet(endpoint: RegistryEndpoint, path: string, headers: Record<string, string> = {}, auth?: RegistryAuth): Promise<IncomingMessage> {
  const [hostname, port] = endpoint.host.split(':');
  const allHeaders = { ...headers };
  if (auth) allHeaders.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  const options = { hostname, port: Number(port), path, method: 'GET', headers: allHeaders };
  return new Promise((resolve, reject) => {
    const req = endpoint.caPem ? httpsRequest({ ...options, ca: endpoint.caPem }, resolve) : httpRequest(options, resolve);
    req.once('error', reject);
    req.end();
  });
}
