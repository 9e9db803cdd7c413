// pods/exec over WebSocket with the channel.k8s.io framing: first byte is the stream (0 stdin, 1 stdout,
// 2 stderr, 3 status, 4 resize, 255 close on v5), status JSON on channel 3 at the end.
import type { IncomingMessage } from 'node:http';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { Kubelet, KubeObject } from '../contract.ts';
import { KubeletError } from '../contract.ts';
import type { ApiFaults } from './faults.ts';
import { chooseContainer, isScheduled } from './pod-containers.ts';
import { badRequest, statusBody } from './status.ts';

export type ExecProtocols = 'v5+v4' | 'v4-only';

// Kubernetes >= 1.30 translates exec in the API server (v5); older clusters proxy to the kubelet, which speaks v4 and older.
const supported: Record<ExecProtocols, string[]> = {
  'v5+v4': ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'],
  'v4-only': ['v4.channel.k8s.io', 'channel.k8s.io'],
};

const stdinChannel = 0;
const stdoutChannel = 1;
const stderrChannel = 2;
const statusChannel = 3;
const closeSignal = 255;

export interface ExecRequest {
  pod: KubeObject;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  protocol: string;
}

/** Checks an exec request before the upgrade, throwing the 400 answers the real server gives. */
export function prepareExec(req: IncomingMessage, url: URL, pod: KubeObject, protocols: ExecProtocols): ExecRequest {
  const params = url.searchParams;
  const container = chooseContainer(pod, params.get('container'));
  if (!isScheduled(pod)) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const flag = (name: string): boolean => ['true', '1'].includes(params.get(name) ?? '');
  const command = params.getAll('command');
  if (!command.length) throw badRequest('you must specify at least 1 command');
  const [stdin, stdout, stderr] = [flag('stdin'), flag('stdout'), flag('stderr')];
  if (!stdin && !stdout && !stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') throw badRequest('unable to upgrade connection: the sandbox cluster speaks only WebSocket, not SPDY');
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((protocol) => protocol.trim()).filter(Boolean);
  // The first protocol in the client's order that the server supports wins; no header at all means channel.k8s.io.
  const protocol = offered.length ? offered.find((candidate) => supported[protocols].includes(candidate)) : 'channel.k8s.io';
  if (!protocol) throw badRequest(`unable to upgrade: unable to match protocol: requested ${offered.join(', ')}, supported ${supported[protocols].join(', ')}`);
  return { pod, container, command, stdin, stdout, stderr, protocol };
}

/** A stream that writes each chunk as one frame on a channel, completing when ws has handed it to the socket. */
function channelWriter(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (ws.readyState !== ws.OPEN) return callback(); // the client went away; the process may still finish
      ws.send(Buffer.concat([Buffer.from([channel]), chunk]), () => callback());
    },
  });
}

function exitStatus(request: ExecRequest, code: number): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${request.command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function errorStatus(error: unknown): Record<string, unknown> {
  if (error instanceof KubeletError) return statusBody(error.status, error.message);
  return statusBody(500, `Internal error occurred: ${(error as Error)?.message ?? String(error)}`);
}

/** Upgrades to WebSocket with the negotiated subprotocol and runs the command; `live` tracks open sockets for shutdown. */
export function upgradeExec(req: IncomingMessage, socket: Duplex, head: Buffer, request: ExecRequest, kubelet: Kubelet, faults: ApiFaults, live: Set<WebSocket>): void {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: () => request.protocol });
  // ws accepts only GET handshakes; the real server also upgrades POST (kubectl's SPDY fallback uses it).
  req.method = 'GET';
  const dropAfter = faults.takeExecDrop();
  wss.handleUpgrade(req, socket, head, (ws) => {
    live.add(ws);
    ws.on('close', () => live.delete(ws));
    runExec(ws, request, kubelet, dropAfter);
  });
}

function runExec(ws: WebSocket, request: ExecRequest, kubelet: Kubelet, dropAfter: number | undefined): void {
  const v5 = request.protocol === 'v5.channel.k8s.io';
  const jsonStatus = request.protocol !== 'channel.k8s.io';
  // Room for a few frames, so the socket is paused only when the process really stops reading.
  const stdin = request.stdin ? new PassThrough({ highWaterMark: 1024 * 1024 }) : undefined;
  let received = 0;
  ws.on('message', (data: Buffer) => {
    if (!data.length) return;
    if (data[0] === stdinChannel && stdin && !stdin.writableEnded) {
      received += data.length - 1;
      if (dropAfter !== undefined && received > dropAfter) return ws.terminate();
      if (!stdin.write(data.subarray(1))) {
        ws.pause();
        stdin.once('drain', () => ws.resume());
      }
    } else if (v5 && data[0] === closeSignal && data[1] === stdinChannel) stdin?.end();
  });
  ws.on('close', () => stdin?.end());
  ws.on('error', () => stdin?.end());

  const first = request.stdout ? stdoutChannel : request.stderr ? stderrChannel : statusChannel;
  ws.send(Buffer.from([first]));
  const stdout = request.stdout ? channelWriter(ws, stdoutChannel) : undefined;
  const stderr = request.stderr ? channelWriter(ws, stderrChannel) : undefined;
  const finish = async (status: Record<string, unknown>): Promise<void> => {
    // Everything the command wrote goes out before the status frame.
    await Promise.all([stdout, stderr].map((writer) => writer && (writer.writableEnded ? finished(writer) : new Promise((resolve) => writer.end(resolve))).catch(() => undefined)));
    if (ws.readyState !== ws.OPEN) return;
    if (jsonStatus) ws.send(Buffer.concat([Buffer.from([statusChannel]), Buffer.from(JSON.stringify(status))]));
    else if (status.status !== 'Success') ws.send(Buffer.concat([Buffer.from([statusChannel]), Buffer.from(String(status.message))]));
    ws.close(1000);
  };
  const { namespace, name } = request.pod.metadata;
  kubelet
    .exec(namespace, name, request.container, request.command, {
      ...(stdin ? { stdin } : {}),
      ...(stdout ? { stdout } : {}),
      ...(stderr ? { stderr } : {}),
    })
    .then(
      (code) => finish(exitStatus(request, code)),
      (error: unknown) => finish(errorStatus(error)),
    );
}
