// Turns kaniko's messages into build events: stages, instructions, cache hits, snapshots,
// pushes and the errors the classifier names.
import type { KanikoLine } from './logline.ts';

export type KanikoError =
  | { readonly kind: 'runFailed'; readonly exitCode: number; readonly message: string }
  | { readonly kind: 'pushUnauthorized'; readonly message: string }
  | { readonly kind: 'certificate'; readonly message: string }
  /** The registry's name does not resolve, or nothing answers on its port. */
  | { readonly kind: 'registryUnreachable'; readonly message: string }
  /** The registry answers plain HTTP where kaniko spoke HTTPS. */
  | { readonly kind: 'plainHttpRegistry'; readonly message: string }
  | { readonly kind: 'dockerfilePath'; readonly message: string }
  | { readonly kind: 'other'; readonly message: string };

export type KanikoEvent =
  | { readonly type: 'stage'; readonly index: number; /** The stage's base image as kaniko names it. */ readonly base: string }
  | { readonly type: 'instruction'; readonly text: string }
  | { readonly type: 'cache'; readonly hit: boolean; readonly command: string }
  /** A layer goes to the cache repository (`--cache`): its `Pushing image to`/`Pushed` lines are not the image's. */
  | { readonly type: 'cachePush'; readonly repository: string }
  | { readonly type: 'snapshot' }
  | { readonly type: 'pushing'; readonly destination: string }
  | { readonly type: 'pushed'; readonly reference: string; readonly digest: string }
  | { readonly type: 'error'; readonly error: KanikoError };

const INSTRUCTION = /^(RUN|COPY|ADD|ENV|ARG|WORKDIR|USER|LABEL|EXPOSE|VOLUME|CMD|ENTRYPOINT|SHELL|HEALTHCHECK|ONBUILD|STOPSIGNAL|MAINTAINER)(?:\s|$)/;
const STAGE = /^Building stage '([^']*)' \[idx: '(\d+)'/;
const PUSHED = /^Pushed (\S+)@(sha256:[a-f0-9]{64})/;
/** pkg/executor/build.go (pushLayerToCache): `Pushing layer <cache-repo>:<key> to cache now`. */
const CACHE_PUSH = /^Pushing layer (\S+):[^:/\s]+ to cache now/;
const EXIT_STATUS = /exit status (\d+)/;
/** kaniko's fatal error as printed without logrus decoration (cobra's `Error: ` prefix or the bare wrapped error). */
const FATAL_RAW = /^(Error: |error building image|error checking push permissions|error resolving dockerfile path|error pushing image|failed to push)/;

export function classifyKanikoError(message: string): KanikoError {
  if (/x509:|certificate signed by unknown authority|tls: failed to verify certificate/i.test(message)) return { kind: 'certificate', message };
  // The fork's push-permission probe wraps network failures in the same words as a refused login (push.go): the
  // inner error decides, from Go's net and net/http messages.
  if (/server gave HTTP response to HTTPS client/.test(message)) return { kind: 'plainHttpRegistry', message };
  if (/dial tcp[^;]*: (lookup [^;]*: no such host|lookup [^;]*: server misbehaving|connect: connection refused|connect: no route to host|connect: network is unreachable|i\/o timeout)/.test(message)) {
    return { kind: 'registryUnreachable', message };
  }
  if (/UNAUTHORIZED|authentication required|checking push permission|DENIED:|status code 401|status code 403/i.test(message)) {
    return { kind: 'pushUnauthorized', message };
  }
  if (/error resolving dockerfile path|valid path to a Dockerfile/i.test(message)) return { kind: 'dockerfilePath', message };
  const exit = EXIT_STATUS.exec(message);
  if (exit && /failed to execute command|waiting for process to exit/.test(message)) {
    return { kind: 'runFailed', exitCode: Number(exit[1]), message };
  }
  return { kind: 'other', message };
}

/** Events for one parsed line; most lines give none. */
export function kanikoEvents(line: KanikoLine): KanikoEvent[] {
  const message = line.message;
  if (line.level === undefined) {
    // kaniko's fatal error goes to stderr without logrus formatting (`Error: …` from cobra).
    return FATAL_RAW.test(message) ? [{ type: 'error', error: classifyKanikoError(message) }] : [];
  }
  if (line.level === 'error' || line.level === 'fatal' || line.level === 'panic') {
    return [{ type: 'error', error: classifyKanikoError(message) }];
  }
  if (line.level !== 'info') return [];
  const stage = STAGE.exec(message);
  if (stage) return [{ type: 'stage', index: Number(stage[2]), base: stage[1] }];
  const pushed = PUSHED.exec(message);
  if (pushed) return [{ type: 'pushed', reference: pushed[1], digest: pushed[2] }];
  const cachePush = CACHE_PUSH.exec(message);
  if (cachePush) return [{ type: 'cachePush', repository: cachePush[1] }];
  if (message.startsWith('Pushing image to ')) return [{ type: 'pushing', destination: message.slice('Pushing image to '.length).trim() }];
  if (message.startsWith('Using caching version of cmd: ')) return [{ type: 'cache', hit: true, command: message.slice(30).trim() }];
  if (message.startsWith('No cached layer found for cmd ')) return [{ type: 'cache', hit: false, command: message.slice(30).trim() }];
  if (message.startsWith('Taking snapshot of')) return [{ type: 'snapshot' }];
  if (INSTRUCTION.test(message)) return [{ type: 'instruction', text: message.trim() }];
  return [];
}
