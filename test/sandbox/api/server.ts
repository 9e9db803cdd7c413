// The sandbox's API server: HTTPS on 127.0.0.1, bearer tokens and client certificates, RBAC allow lists, discovery, resources,
// watch, logs and exec, with faults injected on demand.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { SandboxUser } from './auth.ts';
import { authorize } from './auth.ts';
import type { ApiContext } from './context.ts';
import { prepareExec, upgradeExec } from './exec.ts';
import { asApiError, readBody, readJson, refuseUpgrade, sendJson } from './http.ts';
import { accessReviewSpec, isProtobuf } from './protobuf.ts';
import { serveLogs } from './logs.ts';
import type { RequestInfo } from './request-info.ts';
import { requestInfo } from './request-info.ts';
import { serveResource } from './resources.ts';
import { accessReview, subjectReview, tokenRequest } from './reviews.ts';
import { ApiError, notFound } from './status.ts';

export interface ApiServer {
  url: string;
  /** Stops listening and drops every open connection: clients now get connection refused. */
  refuseConnections(): Promise<void>;
  /** Listens again on the same port. */
  acceptConnections(): Promise<void>;
  close(): Promise<void>;
}

interface Authenticated {
  url: URL;
  info: RequestInfo;
  user: SandboxUser;
}

/** Ends the response `ms` later than the handler asks, headers included. */
function holdAnswer(res: ServerResponse, ms: number): void {
  const { end, writeHead } = res;
  let head: Parameters<typeof writeHead> | undefined;
  res.writeHead = ((...args: Parameters<typeof writeHead>) => {
    head = args;
    return res;
  }) as typeof writeHead;
  res.end = ((...args: Parameters<typeof end>) => {
    setTimeout(() => {
      if (head) writeHead.apply(res, head);
      end.apply(res, args);
    }, ms);
    return res;
  }) as typeof end;
}

/** Authentication, injected faults and authorization, shared by plain and upgrade requests. */
async function admit(req: IncomingMessage, context: ApiContext, res?: ServerResponse): Promise<Authenticated> {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const info = requestInfo(req.method ?? 'GET', url);
  const user = context.users.authenticate(req);
  const fault = context.faults.takeRequestFault(req.method ?? 'GET', url.pathname);
  if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault?.holdMs && res) holdAnswer(res, fault.holdMs);
  if (fault?.status) throw new ApiError(fault.status, fault.status === 503 ? 'the server is currently unable to handle the request' : 'Internal error occurred: injected by the sandbox');
  // Every authenticated user may ask what it may do (system:basic-user).
  if (!['selfsubjectaccessreviews', 'selfsubjectreviews'].includes(info.resource)) authorize(user, info);
  return { url, info, user };
}

async function handle(req: IncomingMessage, res: ServerResponse, context: ApiContext): Promise<void> {
  const { url, info, user } = await admit(req, context, res);
  const document = req.method === 'GET' ? context.discovery.document(url.pathname) : undefined;
  if (document) return sendJson(res, 200, document);
  if (info.apiGroup === 'authorization.k8s.io' && info.resource === 'selfsubjectaccessreviews' && req.method === 'POST') {
    const review = isProtobuf(req.headers['content-type']) ? { metadata: {}, spec: accessReviewSpec(await readBody(req)) } : await readJson(req);
    return sendJson(res, 201, accessReview(user, review));
  }
  if (info.apiGroup === 'authentication.k8s.io' && info.resource === 'selfsubjectreviews' && req.method === 'POST') return sendJson(res, 201, subjectReview(user));
  if (info.resource === 'serviceaccounts' && info.subresource === 'token' && req.method === 'POST')
    return sendJson(res, 201, tokenRequest(context, info.namespace, info.name, await readJson(req)));
  if (info.resource === 'pods' && info.subresource === 'log' && req.method === 'GET') {
    const pod = context.store.get('pods', info.namespace, info.name);
    if (!pod) throw notFound('pods', info.name);
    return serveLogs(req, res, url, pod, context.kubelet, context.faults);
  }
  if (info.resource === 'pods' && info.subresource === 'exec') throw new ApiError(400, 'Upgrade request required', 'BadRequest');
  if (!info.isResourceRequest) throw new ApiError(404, 'the server could not find the requested resource', 'NotFound', {});
  return serveResource(req, res, url, context, info);
}

async function handleUpgrade(live: Set<WebSocket>, req: IncomingMessage, socket: Duplex, head: Buffer, context: ApiContext): Promise<void> {
  const { url, info } = await admit(req, context);
  if (info.resource !== 'pods' || info.subresource !== 'exec') throw new ApiError(400, 'the sandbox upgrades only pods/exec requests');
  const pod = context.store.get('pods', info.namespace, info.name);
  if (!pod) throw notFound('pods', info.name);
  upgradeExec(req, socket, head, prepareExec(req, url, pod, context.execProtocols), context.kubelet, context.faults, live);
}

export async function startApiServer(context: ApiContext, tls: { key: string; cert: string; clientCaPem: string }): Promise<ApiServer> {
  const live = new Set<WebSocket>();
  // Asks for a client certificate without requiring one, as kube-apiserver with --client-ca-file does.
  const server = createServer({ key: tls.key, cert: tls.cert, ca: tls.clientCaPem, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    handle(req, res, context).catch((error: unknown) => {
      const { code, body } = asApiError(error);
      if (res.headersSent) res.destroy();
      else sendJson(res, code, body);
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    handleUpgrade(live, req, socket, head, context).catch((error: unknown) => refuseUpgrade(socket, error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    if (!server.listening) return;
    for (const ws of live) ws.terminate();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `https://127.0.0.1:${port}`,
    refuseConnections: close,
    acceptConnections: async () => {
      if (!server.listening) await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close,
  };
}
