// Bearer-token users with per-user RBAC allow lists, and the Forbidden text the real authorizer writes
// (apiserver/pkg/endpoints/handlers/responsewriters/errors.go: forbiddenMessage).
import { randomBytes } from 'node:crypto';
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
}

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

  authenticate(authorization: string | undefined): SandboxUser {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const user = match ? this.#byToken.get(match[1]) : undefined;
    if (!user) throw unauthorized();
    return user;
  }
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
