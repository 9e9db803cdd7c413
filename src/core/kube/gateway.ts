// The Kubernetes objects the engine reads and writes, over the shared transport.
import type { KubeConnection } from './kubeconfig.ts';
import { KubeError, isTransient } from './errors.ts';
import { delay } from './delay.ts';
import { kubeJson, RETRY_DELAYS_MS } from './transport.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes objects are open-ended JSON; callers read the fields they need
export type KubeObject = { apiVersion?: string; kind?: string; metadata: Record<string, any>; spec?: any; status?: any; data?: Record<string, string>; [key: string]: unknown };
export interface KubeList { metadata: { resourceVersion?: string }; items: KubeObject[] }

export interface AccessCheck {
  readonly verb: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
}

const enc = encodeURIComponent;

export class KubeGateway {
  readonly connection: KubeConnection;

  constructor(connection: KubeConnection) {
    this.connection = connection;
  }

  get namespace(): string {
    return this.connection.namespace;
  }

  /** `/version`: proves the API server answers and the credentials work for discovery. */
  version(signal?: AbortSignal): Promise<{ gitVersion?: string }> {
    return kubeJson(this.connection, '/version', { signal, timeoutMs: 10_000 });
  }

  /** SelfSubjectReview (`kubectl auth whoami`): the user and groups the API server sees for these credentials. */
  async whoami(signal?: AbortSignal): Promise<{ username: string; groups: string[] }> {
    const review = await kubeJson<{ status?: { userInfo?: { username?: string; groups?: string[] } } }>(this.connection, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      method: 'POST', signal, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    return { username: review?.status?.userInfo?.username ?? '', groups: review?.status?.userInfo?.groups ?? [] };
  }

  async apiGroups(signal?: AbortSignal): Promise<string[]> {
    const groups = await kubeJson<{ groups?: Array<{ name: string }> }>(this.connection, '/apis', { signal });
    return (groups?.groups ?? []).map((g) => g.name);
  }

  async isOpenShift(signal?: AbortSignal): Promise<boolean> {
    const groups = await this.apiGroups(signal);
    return groups.includes('image.openshift.io') || groups.includes('security.openshift.io') || groups.includes('route.openshift.io');
  }

  /**
   * Creates a pod exactly once. A create that timed out or met a 5xx may have created the pod all the same (client-go
   * never retries a POST blindly): before sending it again, the pod is looked for by `adoptSelector` (a label unique to
   * this build) and adopted when it is there. Without a selector the create is tried once.
   */
  async createPod(namespace: string, pod: unknown, options: { adoptSelector?: string; signal?: AbortSignal } = {}): Promise<KubeObject> {
    const { adoptSelector, signal } = options;
    for (let n = 0; ; n++) {
      try {
        return await kubeJson<KubeObject>(this.connection, `/api/v1/namespaces/${enc(namespace)}/pods`, { method: 'POST', body: pod, signal, retry: false });
      } catch (error) {
        if (!adoptSelector || !isTransient(error) || n >= RETRY_DELAYS_MS.length) throw error;
        await delay(RETRY_DELAYS_MS[n], signal);
        const created = await this.listPods(namespace, adoptSelector, signal).then((list) => list.items[0]).catch(() => undefined);
        if (created) return created;
      }
    }
  }

  getPod(namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject> {
    return kubeJson(this.connection, `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`, { signal });
  }

  listPods(namespace: string, labelSelector: string, signal?: AbortSignal): Promise<KubeList> {
    return kubeJson(this.connection, `/api/v1/namespaces/${enc(namespace)}/pods?labelSelector=${enc(labelSelector)}`, { signal });
  }

  /** Deletes now (grace period 0) and treats an already-gone pod as deleted. */
  async deletePod(namespace: string, name: string, gracePeriodSeconds = 0): Promise<void> {
    try {
      await kubeJson(this.connection, `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}?gracePeriodSeconds=${gracePeriodSeconds}`, {
        method: 'DELETE', body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds, propagationPolicy: 'Background' },
      });
    } catch (error) {
      if (!(error instanceof KubeError && error.status === 404)) throw error;
    }
  }

  patchPodAnnotations(namespace: string, name: string, annotations: Record<string, string>): Promise<KubeObject> {
    return kubeJson(this.connection, `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`, {
      method: 'PATCH', body: { metadata: { annotations } }, headers: { 'Content-Type': 'application/merge-patch+json' },
    });
  }

  /** The secret, or undefined when it does not exist. Callers must never print its data. */
  async getSecret(namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
    try {
      return await kubeJson<KubeObject>(this.connection, `/api/v1/namespaces/${enc(namespace)}/secrets/${enc(name)}`, { signal });
    } catch (error) {
      if (error instanceof KubeError && error.status === 404) return undefined;
      throw error;
    }
  }

  getServiceAccount(namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject> {
    return kubeJson(this.connection, `/api/v1/namespaces/${enc(namespace)}/serviceaccounts/${enc(name)}`, { signal });
  }

  /** Secret names only; their data is never read here. */
  async listSecrets(namespace: string): Promise<string[]> {
    const list = await kubeJson<KubeList>(this.connection, `/api/v1/namespaces/${enc(namespace)}/secrets`);
    return list.items.map((s) => String(s.metadata.name));
  }

  /** Creates a secret; a retry answered 409 means the first try created it, which is success (its name is fixed). */
  async createSecret(namespace: string, secret: { metadata: { name: string; [field: string]: unknown }; [field: string]: unknown }): Promise<KubeObject> {
    for (let n = 0; ; n++) {
      try {
        return await kubeJson<KubeObject>(this.connection, `/api/v1/namespaces/${enc(namespace)}/secrets`, { method: 'POST', body: secret, retry: false });
      } catch (error) {
        if (n > 0 && error instanceof KubeError && error.status === 409) return kubeJson(this.connection, `/api/v1/namespaces/${enc(namespace)}/secrets/${enc(secret.metadata.name)}`);
        if (!isTransient(error) || n >= RETRY_DELAYS_MS.length) throw error;
        await delay(RETRY_DELAYS_MS[n]);
      }
    }
  }

  async canI(namespace: string, check: AccessCheck, signal?: AbortSignal): Promise<{ allowed: boolean; reason?: string }> {
    const review = await kubeJson<{ status?: { allowed?: boolean; reason?: string } }>(this.connection, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      signal,
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace, verb: check.verb, resource: check.resource, ...(check.subresource ? { subresource: check.subresource } : {}), ...(check.name ? { name: check.name } : {}) } },
      },
    });
    return { allowed: review?.status?.allowed === true, ...(review?.status?.reason ? { reason: review.status.reason } : {}) };
  }

  /** Namespaces the user may see; on OpenShift a user who cannot list namespaces can still list projects. */
  async listNamespaces(): Promise<string[]> {
    try {
      const list = await kubeJson<KubeList>(this.connection, '/api/v1/namespaces');
      return list.items.map((n) => n.metadata.name as string);
    } catch (error) {
      if (!(error instanceof KubeError && error.status === 403)) throw error;
      const projects = await kubeJson<KubeList>(this.connection, '/apis/project.openshift.io/v1/projects');
      return projects.items.map((n) => n.metadata.name as string);
    }
  }

  /** A short-lived token for a service account (TokenRequest), e.g. OpenShift's `builder`. */
  async requestToken(namespace: string, serviceAccount: string, expirationSeconds = 3600): Promise<string> {
    const answer = await kubeJson<{ status: { token: string } }>(this.connection, `/api/v1/namespaces/${enc(namespace)}/serviceaccounts/${enc(serviceAccount)}/token`, {
      method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
    });
    return answer.status.token;
  }
}
