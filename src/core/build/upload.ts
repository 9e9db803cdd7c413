// Streams the packaged context into kaniko-init over exec: packContext → WebSocket stdin → tar -x.
// Nothing is buffered beyond the socket's high-water mark. The end is verified before kaniko may start:
// the shell that runs tar touches /tmp/complete (the trigger) only when tar exits 0, and gzip and tar
// both fail on a truncated stream, so a half-sent context never reaches kaniko.
//  - v5: stdin is half-closed and the exec's own exit status is tar's.
//  - v4 (no half-close): the socket is closed to signal EOF, which loses the status; the shell records
//    tar's exit code in /tmp/context-rc, kaniko-init exits 1 when it is not 0, and the caller's
//    `waitForInit` (the pod watch) reports kaniko-init's exit: 0 means verified and triggered.
import { Writable } from 'node:stream';
import { packContext } from '../context/index.ts';
import type { ContextManifest, ContextSource } from '../context/index.ts';
import type { KubeConnection } from '../kube/kubeconfig.ts';
import { openExec } from '../kube/exec.ts';
import type { ExecSession } from '../kube/exec.ts';
import { COMPLETE_MARKER, CONTEXT_MOUNT, DEFAULT_COMPRESSION_LEVEL, INIT_CONTAINER, RC_FILE } from './defaults.ts';
import { BuildFailure } from './failure.ts';

const EXTRACT = ['sh', '-c', `tar -xzf - -C ${CONTEXT_MOUNT}; rc=$?; echo $rc > ${RC_FILE}; if [ $rc -eq 0 ]; then touch ${COMPLETE_MARKER}; fi; exit $rc`];
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
  readonly protocol: string;
}

function execStdin(session: ExecSession, onBytes: (n: number) => void): Writable {
  return new Writable({
    highWaterMark: 256 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      session.write(chunk).then(() => {
        onBytes(chunk.length);
        callback();
      }, callback);
    },
  });
}

function uploadFailed(message: string, stderr: string): BuildFailure {
  const detail = stderr.trim().slice(-MAX_STDERR);
  return new BuildFailure({ reason: 'UploadFailed', message: `${message}${detail ? `: ${detail}` : ''}`, fix: 'Retry the build; if it repeats, check the network path to the cluster.' });
}

/** Uploads and verifies the context; kaniko-init then finishes and kaniko starts. */
export async function uploadContext(connection: KubeConnection, namespace: string, pod: string, source: ContextSource, options: UploadOptions): Promise<UploadResult> {
  let stderr = '';
  const session = await openExec(connection, namespace, pod, INIT_CONTAINER, EXTRACT, {
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
      compressionLevel: options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL,
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
    if (status.exitCode !== 0) throw uploadFailed(`Unpacking the context in the pod failed (tar exit code ${status.exitCode})`, stderr);
  } else {
    session.close();
    await session.status.catch(() => undefined);
    await options.waitForInit();
  }
  options.signal?.throwIfAborted();
  return { ...manifest, sentBytes: sent, protocol: session.protocol };
}
