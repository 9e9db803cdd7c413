// Pure helpers (no Kubernetes client): safe to load at extension activation.
export { parseImageReference, validateImageReference, repositoryOf, ImageReferenceError } from './reference.ts';
export type { ImageReference } from './reference.ts';
export { buildDockerConfigJson, toDockerConfigJson, registriesIn } from './dockerconfig.ts';
export type { RegistryCredentials, DockerConfigJson } from './dockerconfig.ts';
