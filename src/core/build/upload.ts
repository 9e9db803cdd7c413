// Streams the packaged context into kaniko-init over exec: packContext → WebSocket stdin → tar -x.
// Nothing is buffered beyond the socket's high-water mark. The end is verified before kaniko may start:
// the packager writes an empty entry with a random name after every other one, and the shell that runs
// tar touches /tmp/complete (the trigger) only when tar exited 0 and that entry arrived (it is removed
// again), so a half-sent context never reaches kaniko — gzip'd or plain (level 0: no gzip at all, which
// spares both ends the CPU where the link is faster than compression).
//  - v5: stdin is half-closed and the exec's own exit status is the shell's.
//  - v4 (no half-close): the socket is closed to signal EOF, which loses the status; the shell records
//    its exit code in /tmp/context-rc, kaniko-init exits 1 when it is not 0, and the caller's
//    `waitForInit` (the pod watch) reports kaniko-init's exit: 0 means verified and triggered.
import { randomBytes } from 'node:crypto';
import { packContext } from '../context/index.ts';
import type { ContextManifest, ContextSource } from '../context/index.ts';
import type { KubeConnection } from '../kube/kubeconfig.ts';
import { openExec } from '../kube/exec.ts';
import { execStdin } from '../kube/exec-stdin.ts';
import { COMPLETE_MARKER, CONTEXT_MOUNT, DEFAULT_COMPRESSION_LEVEL, INIT_CONTAINER, RC_FILE } from './defaults.ts';
import { BuildFailure } from './failure.ts';

/** The shell in kaniko-init: unpack, check and remove the end marker, record the outcome, trigger. */
function extractCommand(gzip: boolean, endMarker: string): string[] {
  const marker = `${CONTEXT_MOUNT}/${endMarker}`;
  return ['sh', '-c', [
    `tar -x${gzip ? 'z' : ''}f - -C ${CONTEXT_MOUNT}; rc=$?`,
    `if [ $rc -eq 0 ] && ! rm ${marker} 2>/dev/null; then echo 'the context archive ended before its last entry' >&2; rc=3; fi`,
    `echo $rc > ${RC_FILE}; if [ $rc -eq 0 ]; then touch ${COMPLETE_MARKER}; fi; exit $rc`,
  ].join('; ')];
}
const MAX_STDERR = 4096;

export interface UploadOptions {
  readonly signal?: AbortSignal;
  readonly compressionLevel?: number;
  /** Compressed bytes sent so far, and files packed. */
  readonly onProgress?: (sent: number, files: number) => void;
  /** v4 only: resolves when kaniko-init exited 0, rejects with the reason when it failed. */
  readonly waitForInit: () => Promise<void>;
}

export interface UploadResult extends ContextManifest {
  readonly sentBytes: number;
  /** The gzip level the archive was sent with (0: plain tar). */
  readonly compressionLevel: number;
  readonly protocol: string;
}

function uploadFailed(message: string, stderr: string): BuildFailure {
  const detail = stderr.trim().slice(-MAX_STDERR);
  return new BuildFailure({ reason: 'UploadFailed', message: `${message}${detail ? `: ${detail}` : ''}`, fix: 'Retry the build; if it repeats, check the network path to the cluster.' });
}

/** Uploads and verifies the context; kaniko-init then finishes and kaniko starts. */
export async function uploadContext(connection: KubeConnection, namespace: string, pod: string, source: ContextSource, options: UploadOptions): Promise<UploadResult> {
  let stderr = '';
  const level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  const endMarker = `.kaniko-build-end-${randomBytes(8).toString('hex')}`;
  const session = await openExec(connection, namespace, pod, INIT_CONTAINER, extractCommand(level > 0, endMarker), {
    stdin: true,
    signal: options.signal,
    onStderr: (chunk) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-MAX_STDERR);
    },
  });
  let sent = 0;
  let files = 0;
  let manifest: ContextManifest;
  try {
    manifest = await packContext(source, execStdin(session, (n) => {
      sent += n;
      options.onProgress?.(sent, files);
    }), {
      signal: options.signal,
      compressionLevel: level,
      endMarker,
      outCopiesChunks: true,
      onProgress: (progress) => {
        files = progress.files;
      },
    });
  } catch (error) {
    session.terminate();
    throw error;
  }

  if (session.endStdin()) {
    const status = await session.status.catch((error: Error) => {
      throw uploadFailed(`The upload connection broke before tar finished (${error.message})`, stderr);
    });
    if (status.exitCode !== 0) throw uploadFailed(`Unpacking the context in the pod failed (exit code ${status.exitCode})`, stderr);
  } else {
    session.close();
    await session.status.catch(() => undefined);
    await options.waitForInit();
  }
  options.signal?.throwIfAborted();
  return { ...manifest, sentBytes: sent, compressionLevel: level, protocol: session.protocol };
}
