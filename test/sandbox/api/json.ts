// Free-form JSON fields of Kubernetes objects (specs, statuses, containers), typed as loosely as the contract's KubeObject.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;
