export { LineSplitter, stripAnsi } from './lines.ts';
export { parseKanikoLine } from './logline.ts';
export type { KanikoLine, KanikoLevel } from './logline.ts';
export { kanikoEvents, classifyKanikoError } from './events.ts';
export type { KanikoEvent, KanikoError } from './events.ts';
