// Kubernetes timestamps are RFC 3339 with whole seconds.
export const timestamp = (milliseconds = Date.now()): string => new Date(milliseconds).toISOString().replace(/\.\d+Z$/, 'Z');
