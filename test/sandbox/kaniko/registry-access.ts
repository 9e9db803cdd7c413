// How the stand-in reaches a registry the way kaniko would: docker config.json credentials, --insecure /
// --skip-tls-verify / --registry-certificate, the sandbox's name mapping, and kaniko's push-permission check.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { KanikoFlags } from './flags.ts';

export interface Reference {
  /** Registry as written (e.g. image-registry.openshift-image-registry.svc:5000). */
  registry: string;
  repository: string;
  tag: string;
  /** Where the sandbox really connects (a mapped name becomes the TLS registry's 127.0.0.1:PORT). */
  connectTo: string;
}

export function parseReference(ref: string, registryMap: Record<string, string>): Reference {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  // go-containerregistry's name for Docker Hub, however it is written.
  const registry = !hasRegistry || first === 'docker.io' ? 'index.docker.io' : first;
  let path = hasRegistry ? ref.slice(slash + 1) : ref;
  if (registry === 'index.docker.io' && !path.includes('/')) path = `library/${path}`;
  const at = path.indexOf('@');
  const colon = path.lastIndexOf(':');
  const tag = at >= 0 ? path.slice(at + 1) : colon >= 0 ? path.slice(colon + 1) : 'latest';
  const repository = at >= 0 ? path.slice(0, at) : colon >= 0 ? path.slice(0, colon) : path;
  return { registry, repository, tag, connectTo: registryMap[registry] ?? registry };
}

/** `auths` entries keyed by bare host, as docker's config loader normalises `https://host/v1/`-style keys. */
export function readCredentials(dockerConfigDir: string): Map<string, string> {
  const credentials = new Map<string, string>();
  let config: { auths?: Record<string, { auth?: string; username?: string; password?: string }> };
  try {
    config = JSON.parse(readFileSync(`${dockerConfigDir.replace(/\/$/, '')}/config.json`, 'utf8'));
  } catch {
    return credentials;
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
    const auth = entry.auth ?? (entry.username !== undefined ? Buffer.from(`${entry.username}:${entry.password ?? ''}`).toString('base64') : undefined);
    if (auth) credentials.set(host, auth);
  }
  return credentials;
}

export interface Transport {
  scheme: 'https' | 'http';
  verify: boolean;
  ca?: string[];
}

function transportOptions(flags: KanikoFlags, ref: Reference, forPull: boolean) {
  const insecure = (forPull ? flags.insecurePull : flags.insecure) || flags.insecureRegistries.includes(ref.registry);
  const skipVerify = (forPull ? flags.skipTlsVerifyPull : flags.skipTlsVerify) || flags.skipTlsVerifyRegistries.includes(ref.registry);
  const certificate = flags.registryCertificates.get(ref.registry);
  return { insecure, skipVerify, ca: certificate ? [...rootCertificates, readFileSync(certificate, 'utf8')] : undefined };
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

function call(transport: Transport, host: string, method: string, path: string, auth?: string): Promise<Answer> {
  const [hostname, port] = host.split(':');
  const headers: Record<string, string> = auth ? { authorization: `Basic ${auth}` } : {};
  const options = { hostname, port: port ? Number(port) : transport.scheme === 'https' ? 443 : 80, method, path, headers };
  return new Promise((resolve, reject) => {
    const done = (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    };
    const req =
      transport.scheme === 'https'
        ? httpsRequest({ ...options, rejectUnauthorized: transport.verify, ...(transport.ca ? { ca: transport.ca } : {}) }, done)
        : httpRequest(options, done);
    req.once('error', reject);
    req.end();
  });
}

/** Go's wording for the TLS and protocol failures kaniko users see. */
function goError(error: NodeJS.ErrnoException, url: string): string {
  if (error.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || error.code === 'SELF_SIGNED_CERT_IN_CHAIN' || error.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || error.code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') {
    return `Get "${url}": tls: failed to verify certificate: x509: certificate signed by unknown authority`;
  }
  if (error.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number|packet length too long/i.test(error.message)) return `Get "${url}": http: server gave HTTP response to HTTPS client`;
  if (error.code === 'ECONNREFUSED') return `Get "${url}": dial tcp ${url.replace(/^https?:\/\//, '').replace(/\/.*$/, '')}: connect: connection refused`;
  return `Get "${url}": ${error.message}`;
}

/** Only the sandbox's own registries exist: anything else is answered as an offline machine would, without a lookup. */
export const isSandboxRegistry = (host: string) => /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);

export function offlineError(registry: string): string {
  return `Get "https://${registry}/v2/": dial tcp: lookup ${registry.replace(/:\d+$/, '')}: no such host`;
}

/** Pings /v2/ like go-containerregistry: HTTPS first, plain HTTP only for an insecure registry. */
export async function resolveTransport(flags: KanikoFlags, ref: Reference, forPull = false): Promise<Transport> {
  if (!isSandboxRegistry(ref.connectTo)) throw new Error(offlineError(ref.registry));
  const { insecure, skipVerify, ca } = transportOptions(flags, ref, forPull);
  const https: Transport = { scheme: 'https', verify: !skipVerify, ca };
  try {
    await call(https, ref.connectTo, 'GET', '/v2/');
    return https;
  } catch (error) {
    if (insecure) return { scheme: 'http', verify: false };
    throw new Error(goError(error as NodeJS.ErrnoException, `https://${ref.registry}/v2/`), { cause: error });
  }
}

/** kaniko's CheckPushPermissions: start a blob upload with the credentials; a refusal fails the build before it starts. */
export async function checkPushPermission(transport: Transport, ref: Reference, auth: string | undefined): Promise<void> {
  const path = `/v2/${ref.repository}/blobs/uploads/`;
  const answer = await call(transport, ref.connectTo, 'POST', path, auth);
  if (answer.status === 202) {
    const location = answer.headers.location;
    if (location) await call(transport, ref.connectTo, 'DELETE', new URL(location, `${transport.scheme}://${ref.connectTo}`).pathname, auth).catch(() => undefined);
    return;
  }
  let detail = `unexpected status code ${answer.status}`;
  try {
    const errors = (JSON.parse(answer.body) as { errors?: { code: string; message: string }[] }).errors ?? [];
    if (errors.length) detail = errors.map((e) => `${e.code}: ${e.message}`).join('; ');
  } catch {
    // not JSON
  }
  const scopes = `[map[Action:pull Class: Name:${ref.repository} Type:repository] map[Action:push Class: Name:${ref.repository} Type:repository]]`;
  throw new Error(`POST ${transport.scheme}://${ref.registry}${path}: ${detail}; ${scopes}`);
}
