// Errors from the cluster, in a form the classifier and the UI can act on.

/** An API answer other than success, or a transport failure (status 0). */
export class KubeError extends Error {
  readonly status: number;
  readonly reason: string;
  /** The failing request, e.g. `POST /api/v1/namespaces/ns/pods` (no query string, no credentials). */
  readonly request: string;
  /** What the user can do about it, when the error itself tells (e.g. a TLS or DNS failure). */
  readonly fix?: string;
  constructor(status: number, reason: string, message: string, request: string, fix?: string) {
    super(message);
    this.name = 'KubeError';
    this.status = status;
    this.reason = reason;
    this.request = request;
    if (fix) this.fix = fix;
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

/** Transport failures that fail the same way on every try: a credential plugin, a certificate, an unknown host. */
const PERMANENT_TRANSPORT = new Set(['AuthenticationFailed', 'TLSError', 'HostNotFound']);

/** Transport failures worth retrying: refused or reset connections, timeouts, 5xx, 429. */
export function isTransient(error: unknown): boolean {
  if (error instanceof KubeError) return (error.status === 0 && !PERMANENT_TRANSPORT.has(error.reason)) || error.status === 429 || error.status >= 500;
  return false;
}
