// What a request is about, in the terms RBAC uses (apiserver's RequestInfoFactory, simplified).
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const methodVerbs: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

export function requestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const parts = path.split('/').filter(Boolean);
  const info: RequestInfo = { isResourceRequest: false, path, verb: method.toLowerCase(), apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    info.apiVersion = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    info.apiGroup = parts[1];
    info.apiVersion = parts[2];
    rest = parts.slice(3);
  } else return info;
  info.isResourceRequest = true;
  // namespaces/NS/RES/... is namespaced; namespaces and namespaces/NAME are the namespace objects themselves.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    info.namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) info.namespace = rest[1];
  [info.resource = '', info.name = '', info.subresource = ''] = rest;
  const watching = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  if (method === 'GET' || method === 'HEAD') info.verb = watching ? 'watch' : info.name ? 'get' : 'list';
  else if (method === 'DELETE') info.verb = info.name ? 'delete' : 'deletecollection';
  else info.verb = methodVerbs[method] ?? info.verb;
  return info;
}
