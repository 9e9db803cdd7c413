// The build-context packager: public API.
export type { ContextManifest, ContextSource, ContextSummary, PackOptions, PackProgress } from './model.ts';
export { ContextError } from './errors.ts';
export type { ContextErrorCode } from './errors.ts';
export { packContext } from './pack.ts';
export { summarizeContext } from './summary.ts';
export { resolveContextDir } from './resolve-dir.ts';
export type { ContextRootRule } from './resolve-dir.ts';
export { NORMALISED_MTIME } from './tar-header.ts';
