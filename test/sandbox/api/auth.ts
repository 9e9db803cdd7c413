// Users by bearer token or client certificate, with per-user RBAC allow lists, impersonation, and the Forbidden
// text the real authorizer writes (apiserver/pkg/endpoints/handlers/responsewriters/errors.go: forbiddenMessage).
// Basic authentication is gone from Kubernetes (removed in 1.19), so `Authorization: Basic` is refused like a bad token.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestInfo } from './request-info.ts';
import { forbidden, unauthorized } from './status.ts';

/** One allowed action; '*' matches any verb or resource. A rule without subresource covers only the resource itself. */
export interface Rule {
  verb: string;
  resource: string;
  subresource?: string;
}

export interface SandboxUser {
  name: string;
  token: string;
  rules: Rule[] | 'all';
  /** Besides `system:authenticated`, which every authenticated user has. */
  groups?: readonly string[];
}

const AUTHENTICATED = 'system:authenticated';
const MASTERS = 'system:masters';

export class Users {
  readonly #byToken = new Map<string, SandboxUser>();
  readonly #revoked = new Map<string, SandboxUser>();

  add(name: string, rules: Rule[] | 'all', token = randomBytes(24).toString('base64url')): SandboxUser {
    const user = { name, token, rules };
    this.#byToken.set(token, user);
    return user;
  }

  /** The token stops working, as an expired or revoked bound token does. */
  revoke(token: string): void {
    const user = this.#byToken.get(token);
    if (user) this.#revoked.set(token, user);
    this.#byToken.delete(token);
  }

  /** Revoked tokens work again (the user logged in again), so one sandbox can serve many fault cases. */
  restoreRevoked(): void {
    for (const [token, user] of this.#revoked) this.#byToken.set(token, user);
    this.#revoked.clear();
  }

  /** The user of that name with its rules; a name no token belongs to (a certificate's CN) has none, unless a group is system:masters. */
  #named(name: string, groups: readonly string[]): SandboxUser {
    const known = [...this.#byToken.values()].find((user) => user.name === name);
    return { name, token: '', rules: groups.includes(MASTERS) ? 'all' : (known?.rules ?? []), groups };
  }

  /**
   * kube-apiserver's union of authenticators: a client certificate signed by the client CA first (CN = user,
   * O = groups), then a bearer token; then the impersonation headers.
   */
  authenticate(req: IncomingMessage): SandboxUser {
    const socket = req.socket as TLSSocket;
    const subject = socket.authorized ? socket.getPeerCertificate().subject : undefined;
    let user: SandboxUser | undefined;
    // Node gives a repeated O as an array, a single one as a string.
    if (subject?.CN) user = this.#named([subject.CN].flat()[0], [subject.O ?? []].flat());
    else {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      user = match ? this.#byToken.get(match[1]) : undefined;
    }
    if (!user) throw unauthorized();
    return this.#impersonate(user, req.headersDistinct);
  }

  /** apiserver/pkg/endpoints/filters/impersonation.go: the requester needs `impersonate` on the user and on each group. */
  #impersonate(requester: SandboxUser, headers: IncomingMessage['headersDistinct']): SandboxUser {
    // Distinct values: each Impersonate-Group header is one group (Node would join them with ", ").
    const name = headers['impersonate-user']?.[0];
    const groups = headers['impersonate-group'] ?? [];
    if (name === undefined) {
      if (groups.length > 0) throw forbidden('groups', groups[0], 'requested groups without impersonating a user');
      return requester;
    }
    const check = (resource: string, value: string): void => {
      if (!allows(requester, 'impersonate', resource)) {
        throw forbidden(resource, value, `User "${requester.name}" cannot impersonate resource "${resource}" in API group "" at the cluster scope`);
      }
    };
    check('users', name);
    for (const group of groups) check('groups', group);
    return this.#named(name, groups);
  }
}

/** The groups a SelfSubjectReview reports: the user's own, then system:authenticated unless already there. */
export function groupsOf(user: SandboxUser): string[] {
  const groups = [...(user.groups ?? [])];
  return groups.includes(AUTHENTICATED) ? groups : [...groups, AUTHENTICATED];
}

export function allows(user: SandboxUser, verb: string, resource: string, subresource = ''): boolean {
  if (user.rules === 'all') return true;
  return user.rules.some(
    (rule) => (rule.verb === '*' || rule.verb === verb) && (rule.resource === '*' || rule.resource === resource) && (rule.subresource ?? '') === subresource,
  );
}

/** Throws the 403 Status for a resource request the user may not make; discovery and other paths are open to every user. */
export function authorize(user: SandboxUser, info: RequestInfo, verb = info.verb): void {
  if (!info.isResourceRequest || allows(user, verb, info.resource, info.subresource)) return;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const where = info.namespace ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
  const qualified = info.apiGroup ? `${info.resource}.${info.apiGroup}` : info.resource;
  throw forbidden(qualified, info.name, `User "${user.name}" cannot ${verb} resource "${resource}" in API group "${info.apiGroup}" ${where}`);
}
