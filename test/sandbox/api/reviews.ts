// SelfSubjectAccessReview (kubectl auth can-i), SelfSubjectReview (kubectl auth whoami) and TokenRequest.
import { timestamp } from './time.ts';
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../contract.ts';
import type { SandboxUser } from './auth.ts';
import { allows, groupsOf } from './auth.ts';
import type { ApiContext } from './context.ts';
import { notFound } from './status.ts';

export function accessReview(user: SandboxUser, body: KubeObject): KubeObject {
  const attributes = body.spec?.resourceAttributes;
  const allowed = !attributes || allows(user, attributes.verb ?? '', attributes.resource ?? '', attributes.subresource ?? '');
  return {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: body.spec ?? {},
    status: allowed ? { allowed: true, reason: 'RBAC: allowed by the sandbox allow list' } : { allowed: false },
  };
}

export function subjectReview(user: SandboxUser): KubeObject {
  return {
    kind: 'SelfSubjectReview',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null },
    status: { userInfo: { username: user.name, groups: groupsOf(user) } },
  };
}

/** A bound service-account token: a new bearer token of the user `system:serviceaccount:NS:SA`. */
export function tokenRequest(context: ApiContext, namespace: string, account: string, body: KubeObject): KubeObject {
  if (!context.store.get('serviceaccounts', namespace, account)) throw notFound('serviceaccounts', account);
  const expirationSeconds = Number(body.spec?.expirationSeconds ?? 3600);
  // Shaped like a JWT (three base64url parts) so clients that peek at it are not surprised.
  const token = ['eyJhbGciOiJSUzI1NiJ9', randomBytes(48).toString('base64url'), randomBytes(32).toString('base64url')].join('.');
  context.users.add(`system:serviceaccount:${namespace}:${account}`, 'all', token);
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: account, namespace, creationTimestamp: null },
    spec: { audiences: body.spec?.audiences ?? ['https://kubernetes.default.svc'], expirationSeconds, boundObjectRef: body.spec?.boundObjectRef ?? null },
    status: { token, expirationTimestamp: timestamp(Date.now() + expirationSeconds * 1000) },
  };
}
