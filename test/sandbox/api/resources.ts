// The REST verbs on the sandbox's resources: get, list (+watch), create, update, patch, delete.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../contract.ts';
import type { JsonObject } from './json.ts';
import type { ApiContext } from './context.ts';
import { readJson, sendJson } from './http.ts';
import type { RequestInfo } from './request-info.ts';
import { admitSecret, validateNamed } from './admission.ts';
import { createNamespace } from './namespaces.ts';
import { fieldSelector, labelSelector } from './selectors.ts';
import { ApiError, badRequest, notFound } from './status.ts';
import { toTable, wantsTable } from './table.ts';
import { serveWatch } from './watch.ts';
import { admitPod, deletePod } from './pods.ts';
import { validatePodUpdate } from './pod-update.ts';

const kinds: Record<string, string> = {
  namespaces: 'Namespace',
  pods: 'Pod',
  secrets: 'Secret',
  configmaps: 'ConfigMap',
  serviceaccounts: 'ServiceAccount',
  events: 'Event',
};

export const isServed = (resource: string): boolean => resource in kinds;

const notServed = (): ApiError => new ApiError(404, 'the server could not find the requested resource', 'NotFound', {});

function withoutTypeMeta(object: KubeObject): KubeObject {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = object;
  return rest as KubeObject;
}

/** The namespace part of a namespaced request; cluster-wide lists of namespaced resources come without one. */
function scope(info: RequestInfo): { namespace: string | undefined; key: string } {
  if (info.resource === 'namespaces') return { namespace: '', key: '' };
  return { namespace: info.namespace || undefined, key: info.namespace };
}

function getObject(context: ApiContext, info: RequestInfo): KubeObject {
  const object = context.store.get(info.resource, scope(info).key, info.name);
  if (!object) throw notFound(info.resource, info.name);
  return object;
}

function list(req: IncomingMessage, res: ServerResponse, url: URL, context: ApiContext, info: RequestInfo): void {
  const { namespace } = scope(info);
  const labels = labelSelector(url.searchParams.get('labelSelector'));
  const fields = fieldSelector(info.resource, url.searchParams.get('fieldSelector'));
  const matches = (object: KubeObject): boolean => labels(object) && fields(object);
  const table = wantsTable(req.headers.accept) ? (url.searchParams.get('includeObject') ?? 'Metadata') : undefined;
  if (info.verb === 'watch') {
    const timeout = url.searchParams.get('timeoutSeconds');
    serveWatch(res, context.store, context.faults, {
      resource: info.resource,
      namespace,
      matches,
      resourceVersion: url.searchParams.get('resourceVersion'),
      timeoutSeconds: timeout ? Number(timeout) : undefined,
      bookmarkMs: url.searchParams.get('allowWatchBookmarks') === 'true' ? context.bookmarkIntervalMs : undefined,
      table,
    });
    return;
  }
  const resourceVersion = String(context.store.resourceVersion);
  const items = context.store.list(info.resource, namespace).filter(matches);
  if (table) return sendJson(res, 200, toTable(info.resource, items, resourceVersion, table));
  sendJson(res, 200, { kind: `${kinds[info.resource]}List`, apiVersion: 'v1', metadata: { resourceVersion }, items: items.map(withoutTypeMeta) });
}

function prepareCreate(context: ApiContext, info: RequestInfo, body: KubeObject): KubeObject {
  const kind = kinds[info.resource];
  if (body.kind && body.kind !== kind) throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (v1)`);
  if (info.namespace && body.metadata.namespace && body.metadata.namespace !== info.namespace)
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (info.namespace && info.resource !== 'namespaces' && !context.store.get('namespaces', '', info.namespace)) throw notFound('namespaces', info.namespace);
  const object: KubeObject = { ...body, apiVersion: 'v1', kind, metadata: { ...body.metadata } };
  if (!object.metadata.name && object.metadata.generateName) object.metadata.name = context.store.uniqueName(info.resource, info.namespace, object.metadata.generateName);
  return object;
}

function create(context: ApiContext, info: RequestInfo, body: KubeObject): KubeObject {
  if (info.resource === 'pods') return context.store.create('pods', info.namespace, admitPod(context, info.namespace, body, (pod) => prepareCreate(context, info, pod)));
  const object = prepareCreate(context, info, body);
  if (info.resource === 'secrets') admitSecret(object);
  else validateNamed(kinds[info.resource], object);
  if (info.resource === 'namespaces') return createNamespace(context.store, object.metadata.name, context.namespaceSeed);
  return context.store.create(info.resource, info.namespace, object);
}

/** RFC 7386 merge patch (kubectl's strategic merge patches of labels and annotations behave the same). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: JsonObject = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function write(context: ApiContext, info: RequestInfo, body: KubeObject, method: string): KubeObject {
  return context.store.update(info.resource, scope(info).key, info.name, (object) => {
    const { metadata } = object;
    // Optimistic concurrency: an update that names an older resourceVersion is refused.
    const expected = body.metadata?.resourceVersion;
    if (expected && expected !== metadata.resourceVersion)
      throw new ApiError(409, `Operation cannot be fulfilled on ${info.resource} "${info.name}": the object has been modified; please apply your changes to the latest version and try again`, 'Conflict', { name: info.name, kind: info.resource });
    const next = method === 'PATCH' ? (mergePatch(object, body) as KubeObject) : { ...body, apiVersion: object.apiVersion, kind: object.kind };
    // The server owns identity; a pod's spec changes only as ValidatePodUpdate allows, and its status belongs to the kubelet.
    const keep = { uid: metadata.uid, creationTimestamp: metadata.creationTimestamp, name: metadata.name, namespace: metadata.namespace, deletionTimestamp: metadata.deletionTimestamp };
    const spec = info.resource === 'pods' ? validatePodUpdate(object, next) : undefined;
    const { status } = object;
    for (const key of Object.keys(object)) delete object[key];
    Object.assign(object, next, { metadata: { ...next.metadata, ...keep } });
    if (info.resource === 'pods') Object.assign(object, { spec, status });
  });
}

function remove(context: ApiContext, info: RequestInfo, body: KubeObject, url: URL): KubeObject {
  const object = getObject(context, info);
  const grace = url.searchParams.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  if (info.resource === 'pods') return deletePod(context, object, grace === undefined || grace === null ? undefined : Number(grace));
  if (info.resource === 'namespaces') {
    for (const resource of Object.keys(kinds)) for (const item of context.store.list(resource, info.name)) context.store.remove(resource, info.name, item.metadata.name);
  }
  return context.store.remove(info.resource, scope(info).key, info.name) ?? object;
}

export async function serveResource(req: IncomingMessage, res: ServerResponse, url: URL, context: ApiContext, info: RequestInfo): Promise<void> {
  if (!isServed(info.resource) || info.apiVersion !== 'v1' || info.apiGroup) throw notServed();
  if (info.subresource && !(info.resource === 'pods' && info.subresource === 'status' && info.verb === 'get')) throw notServed();
  const method = req.method ?? 'GET';
  if (method === 'GET' && !info.name) return list(req, res, url, context, info);
  if (method === 'GET') {
    const object = getObject(context, info);
    if (wantsTable(req.headers.accept)) return sendJson(res, 200, toTable(info.resource, [object], object.metadata.resourceVersion, url.searchParams.get('includeObject') ?? 'Metadata'));
    return sendJson(res, 200, object);
  }
  const body = await readJson(req);
  if (method === 'POST' && !info.name) return sendJson(res, 201, create(context, info, body));
  if ((method === 'PUT' || method === 'PATCH') && info.name) return sendJson(res, 200, write(context, info, body, method));
  if (method === 'DELETE' && info.name) return sendJson(res, 200, remove(context, info, body, url));
  throw new ApiError(405, `the server does not allow this method on the requested resource`, 'MethodNotAllowed', {});
}
