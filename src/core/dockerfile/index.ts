// Pure helpers (no Kubernetes client): safe to load at extension activation.
export { parseDockerfile, findInstructionLine, buildArgNames } from './parse.ts';
export type { Instruction, Stage, ArgDeclaration, ParsedDockerfile } from './parse.ts';
export { dockerfileHints } from './hints.ts';
export type { DockerfileHint } from './hints.ts';
