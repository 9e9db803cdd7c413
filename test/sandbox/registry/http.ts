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
  return registryRequest(endpoint, 'GET', path, headers, auth);
}

/** Any registry request; `body` is sent whole (blobs and manifests of the sandbox's base images are small). */
export function registryRequest(endpoint: RegistryEndpoint, method: string, path: string, headers: Record<string, string> = {}, auth?: RegistryAuth, body?: Buffer): Promise<IncomingMessage> {
  const [hostname, port] = endpoint.host.split(':');
  const allHeaders: Record<string, string> = { ...headers };
  if (auth) allHeaders.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  if (body) allHeaders['content-length'] = String(body.length);
  const options = { hostname, port: Number(port), path, method, headers: allHeaders };
  return new Promise((resolve, reject) => {
    const req = endpoint.caPem ? httpsRequest({ ...options, ca: endpoint.caPem }, resolve) : httpRequest(options, resolve);
    req.once('error', reject);
    req.end(body);
  });
}
