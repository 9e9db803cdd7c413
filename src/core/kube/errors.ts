// Errors from the cluster, in a form the classifier and the UI can act on.

/** An API answer other than success, or a transport failure (status 0). */
export class KubeError extends Error {
  readonly status: number;
  readonly reason: string;
  /** The failing request, e.g. `POST /api/v1/namespaces/ns/pods` (no query string, no credentials). */
  readonly request: string;
  constructor(status: number, reason: string, message: string, request: string) {
    super(message);
    this.name = 'KubeError';
    this.status = status;
    this.reason = reason;
    this.request = request;
  }
}

/** The kubeconfig cannot be used: missing, malformed, or the context does not exist. */
export class KubeconfigError extends Error {
  readonly fix?: string;
  constructor(message: string, fix?: string) {
    super(message);
    this.name = 'KubeconfigError';
    this.fix = fix;
  }
}

/** Transport failures worth retrying: refused or reset connections, timeouts, 5xx, 429. */
export function isTransient(error: unknown): boolean {
  // A failing credential plugin or an unusable kubeconfig fails the same way on every try.
  if (error instanceof KubeError) return (error.status === 0 && error.reason !== 'AuthenticationFailed') || error.status === 429 || error.status >= 500;
  return false;
}
