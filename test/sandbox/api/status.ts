// metav1.Status error bodies, worded as the real API server words them (apimachinery/pkg/api/errors).
import type { KubeObject } from '../contract.ts';

const reasons: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'AlreadyExists',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

export function reasonFor(code: number): string {
  return reasons[code] ?? 'Unknown';
}

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export function statusBody(code: number, message: string, reason = reasonFor(code), details?: Record<string, unknown>): KubeObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** An error that the server answers with its Status body. */
export class ApiError extends Error {
  readonly code: number;
  readonly body: KubeObject;
  constructor(code: number, message: string, reason?: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.body = statusBody(code, message, reason, details);
  }
}

const nameDetails = (resource: string, name: string): Record<string, unknown> => (name ? { name, kind: resource } : { kind: resource });

export const unauthorized = (): ApiError => new ApiError(401, 'Unauthorized');
export const badRequest = (message: string): ApiError => new ApiError(400, message);
export const notFound = (resource: string, name: string): ApiError => new ApiError(404, `${resource} "${name}" not found`, 'NotFound', nameDetails(resource, name));
export const alreadyExists = (resource: string, name: string): ApiError =>
  new ApiError(409, `${resource} "${name}" already exists`, 'AlreadyExists', nameDetails(resource, name));
/** NewForbidden: `pods "x" is forbidden: <why>`, or `pods is forbidden: <why>` without a name. */
export const forbidden = (resource: string, name: string, why: string): ApiError =>
  new ApiError(403, `${resource}${name ? ` "${name}"` : ''} is forbidden: ${why}`, 'Forbidden', nameDetails(resource, name));
export const expired = (message: string): ApiError => new ApiError(410, message, 'Expired');

/** NewInvalid: one cause is written inline, several as a bracketed list. */
export function invalid(kind: string, name: string, causes: StatusCause[]): ApiError {
  const texts = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const summary = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return new ApiError(422, `${kind} "${name}" is invalid: ${summary}`, 'Invalid', { name, kind, causes });
}

export const required = (field: string): StatusCause => ({ reason: 'FieldValueRequired', message: 'Required value', field });
