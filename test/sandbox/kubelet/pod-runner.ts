// One pod's life on the sandbox node: scheduling, volumes, init containers in order, main containers, and its end.
import { unschedulableMessage } from './scheduling.ts';
import { isShortName } from './images.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, open, readlink, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { KubeletError, type ExecIO, type KubeObject, type LogOptions, type ObjectStore } from '../contract.ts';
import { buildRoot, launchScript, type BindMount, type ImageStore } from './container-root.ts';
import { resolveImage, normalizeImageName, type ImageConfig } from './images.ts';
import { LogWriter, readLog } from './log-file.ts';
import { writeStatus, type ContainerModel, type PodModel } from './pod-status.ts';
import { setUpVolumes } from './volumes.ts';
import type { Json } from './json.ts';

export interface RunnerContext {
  store: ObjectStore;
  /** The kubelet's root folder. */
  dir: string;
  images: Promise<ImageStore>;
  nodeName: string;
  failingImages: Set<string>;
  shortNames: { enforcing: boolean };
  /** Given to the kaniko stand-in (registry name mapping). */
  sandboxConfig: object;
  /** Executor images run the real kaniko executor (else the buildah stand-in). */
  realKaniko: boolean;
}

interface ContainerRun extends ContainerModel {
  spec: Json;
  image?: ImageConfig;
  env?: Record<string, string>;
  process?: ChildProcess;
  logFile?: string;
  logDrained: boolean;
  oomKill?: boolean;
  exited?: Promise<void>;
}

/** If the sandbox's Node process dies without stop(), the kernel kills the container and exec processes with it. */
const orphanGuard = ['--pdeathsig', 'KILL', '--'];
const scheduleDelayMs = 100;
const backOffDelayMs = 1000;
const timestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class PodRunner {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly podDir: string;
  private readonly ctx: RunnerContext;
  private pod: KubeObject;
  private readonly model: PodModel;
  private readonly containers: ContainerRun[];
  private readonly transitions = new Map<string, { status: string; at: string }>();
  private readonly execs = new Set<ChildProcess>();
  private halted = false;
  private finished = false;
  private silent = false;
  private haltSignal!: () => void;
  private readonly haltPromise = new Promise<void>((resolve) => (this.haltSignal = resolve));
  private deadlineTimer?: NodeJS.Timeout;
  private readonly eventsSent = new Set<string>();
  /** Resolves when run() has finished with every process gone. */
  readonly done: Promise<void>;

  constructor(ctx: RunnerContext, pod: KubeObject) {
    this.ctx = ctx;
    this.pod = pod;
    this.namespace = pod.metadata.namespace;
    this.name = pod.metadata.name;
    this.uid = pod.metadata.uid ?? randomBytes(8).toString('hex');
    this.podDir = join(ctx.dir, 'pods', this.uid);
    const toRun = (spec: Json, init: boolean): ContainerRun => ({
      name: spec.name,
      init,
      spec,
      imageName: normalizeImageName(String(spec.image ?? '')),
      state: { waiting: { reason: init || (pod.spec.initContainers ?? []).length ? 'PodInitializing' : 'ContainerCreating' } },
      logDrained: false,
    });
    this.containers = [...(pod.spec.initContainers ?? []).map((c: Json) => toRun(c, true)), ...(pod.spec.containers ?? []).map((c: Json) => toRun(c, false))];
    this.model = { scheduled: false, sandboxReady: false, containers: this.containers };
    this.done = this.run().finally(() => {
      this.finished = true;
      clearTimeout(this.deadlineTimer);
    });
  }

  get scheduled(): boolean {
    return this.model.scheduled;
  }

  private publish(): void {
    if (this.silent || !this.model.scheduled) return;
    this.ctx.store.updatePodStatus(this.namespace, this.name, (status) => writeStatus(status, this.model, this.transitions));
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    if (this.silent || this.eventsSent.has(reason + message)) return;
    this.eventsSent.add(reason + message);
    this.ctx.store.recordEvent?.(this.namespace, this.pod, type, reason, message);
  }

  private async run(): Promise<void> {
    await sleep(scheduleDelayMs);
    if (this.halted) return;
    // What does not fit the node is never bound: it waits, as with a real scheduler, until it is deleted.
    const unschedulable = unschedulableMessage(this.pod);
    if (unschedulable) {
      this.ctx.store.updatePodStatus(this.namespace, this.name, (status) => {
        status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: unschedulable, lastProbeTime: null, lastTransitionTime: timestamp() }];
      });
      this.ctx.store.recordEvent?.(this.namespace, this.pod, 'Warning', 'FailedScheduling', unschedulable);
      return;
    }
    this.ctx.store.bindPod?.(this.namespace, this.name, this.ctx.nodeName);
    this.pod = this.ctx.store.get('pods', this.namespace, this.name) ?? this.pod;
    this.model.scheduled = true;
    this.model.startTime = timestamp();
    this.publish();
    this.event('Normal', 'Scheduled', `Successfully assigned ${this.namespace}/${this.name} to ${this.ctx.nodeName}`);
    const deadline = Number(this.pod.spec.activeDeadlineSeconds);
    if (deadline > 0) this.deadlineTimer = setTimeout(() => void this.fail('DeadlineExceeded', 'Pod was active on the node longer than the specified deadline'), deadline * 1000);
    await mkdir(this.podDir, { recursive: true });
    const volumes = await this.setUpVolumes();
    if (!volumes) return;
    this.model.sandboxReady = true;
    this.publish();
    for (const container of this.containers.filter((c) => c.init)) {
      const code = await this.runContainer(container, volumes);
      if (code !== 0) return;
    }
    await Promise.all(this.containers.filter((c) => !c.init).map((c) => this.runContainer(c, volumes)));
  }

  /** Retries until every volume can be set up, as the kubelet does (with a FailedMount event meanwhile). */
  private async setUpVolumes(): Promise<Map<string, string> | undefined> {
    for (;;) {
      const result = await setUpVolumes(this.ctx.store, this.pod, this.podDir);
      if (result.ok) return result.paths;
      this.event('Warning', 'FailedMount', result.message);
      await Promise.race([sleep(500), this.haltPromise]);
      if (this.halted) return undefined;
    }
  }

  private async waitInBackOff(container: ContainerRun, reason: string, message: string): Promise<undefined> {
    container.state = { waiting: { reason, message } };
    this.publish();
    await this.haltPromise;
    return undefined;
  }

  /** Like the kubelet: ErrImagePull, then ImagePullBackOff with growing delays (1 s, 2 s, 4 s, max 8 s here) and retries. */
  private async pullImage(container: ContainerRun): Promise<ImageConfig | undefined> {
    const spec = container.spec;
    if (this.ctx.shortNames.enforcing && isShortName(String(spec.image ?? ''))) {
      // CRI-O's words (containers/image's short-name resolution) as the kubelet reports them; it retries in vain.
      const message = `Failed to inspect image "": rpc error: code = Unknown desc = short name mode is enforcing, but image name ${spec.image} returns ambiguous list`;
      this.event('Warning', 'InspectFailed', message);
      return this.waitInBackOff(container, 'ImageInspectError', message);
    }
    for (let delay = backOffDelayMs; !this.halted; delay = Math.min(delay * 2, 8 * backOffDelayMs)) {
      const image = resolveImage(String(spec.image ?? ''), this.ctx.realKaniko);
      if (image && !this.ctx.failingImages.has(spec.image) && !this.ctx.failingImages.has(container.imageName)) {
        this.event('Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
        return image;
      }
      const message = `failed to pull and unpack image "${container.imageName}": failed to resolve reference "${container.imageName}": ${container.imageName}: not found`;
      container.state = { waiting: { reason: 'ErrImagePull', message } };
      this.publish();
      this.event('Warning', 'Failed', `Failed to pull image "${spec.image}": ${message}`);
      await Promise.race([sleep(backOffDelayMs), this.haltPromise]);
      if (this.halted) break;
      container.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${spec.image}"` } };
      this.publish();
      this.event('Normal', 'BackOff', `Back-off pulling image "${spec.image}"`);
      await Promise.race([sleep(delay), this.haltPromise]);
    }
    return undefined;
  }

  /** Resolves with the exit code, or undefined when the container never started. */
  private async runContainer(container: ContainerRun, volumes: Map<string, string>): Promise<number | undefined> {
    if (this.halted) return undefined;
    const spec = container.spec;
    const image = await this.pullImage(container);
    if (!image) return undefined;
    container.image = image;
    container.imageID = image.imageID;
    const env = this.environment(container, image);
    if (typeof env === 'string') return this.waitInBackOff(container, 'CreateContainerConfigError', env);
    container.env = env;
    const containerDir = join(this.podDir, 'containers', container.name);
    const root = join(containerDir, 'root');
    await mkdir(root, { recursive: true });
    const rootfs = await buildRoot(containerDir, image.kind, await this.ctx.images, this.ctx.sandboxConfig);
    const mounts = [...rootfs.mounts, ...(await this.volumeMounts(spec, volumes))];
    const terminationLog = join(containerDir, 'termination-log');
    await writeFile(terminationLog, '');
    container.logFile = join(containerDir, 'container.log');
    await writeFile(container.logFile, '');
    const argv = [...(spec.command ?? image.entrypoint), ...(spec.args ?? (spec.command ? [] : image.cmd))] as string[];
    const script = launchScript({ root, lower: rootfs.lower, upper: join(containerDir, 'upper'), work: join(containerDir, 'work'), mounts, terminationLog: { source: terminationLog, target: spec.terminationMessagePath ?? '/dev/termination-log' }, workingDir: spec.workingDir || image.workingDir, hostname: this.name.slice(0, 63) });
    if (this.halted) return undefined;
    const child = spawn('/usr/bin/setpriv', [...orphanGuard, '/usr/bin/unshare', '--mount', '--uts', '--propagation', 'private', '/bin/sh', '-c', script, 'sh', ...argv], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    container.process = child;
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    // Attached before anything is awaited: a fast command's output (and its end) must not be missed.
    const writer = new LogWriter(container.logFile);
    const drained = Promise.all([writer.attach(child.stdout as Readable, 'stdout'), writer.attach(child.stderr as Readable, 'stderr')]);
    await new Promise((resolve) => (child.stdio[3] as Readable).once('close', resolve).resume());
    if (child.pid) await waitForRoot(child.pid, root);
    container.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    const startedAt = timestamp();
    container.state = { running: { startedAt } };
    this.publish();
    this.event('Normal', 'Created', `Created container: ${container.name}`);
    this.event('Normal', 'Started', `Started container ${container.name}`);
    const [code, signal] = await exited;
    await drained;
    await writer.close();
    container.logDrained = true;
    container.process = undefined;
    const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 9);
    const reason = container.oomKill ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    const message = await this.terminationMessage(spec, terminationLog, container.logFile, exitCode);
    container.state = { terminated: { exitCode, reason, ...(message ? { message } : {}), startedAt, finishedAt: timestamp(), containerID: container.containerID } };
    this.publish();
    return exitCode;
  }

  private environment(container: ContainerRun, image: ImageConfig): Record<string, string> | string {
    const env: Record<string, string> = { ...image.env, HOSTNAME: this.name };
    for (const entry of (container.spec.env ?? []) as Json[]) {
      const from = entry.valueFrom;
      if (!from) {
        env[entry.name] = String(entry.value ?? '');
        continue;
      }
      const ref = from.secretKeyRef ?? from.configMapKeyRef;
      if (ref) {
        const kind = from.secretKeyRef ? 'secret' : 'configmap';
        const object = this.ctx.store.get(from.secretKeyRef ? 'secrets' : 'configmaps', this.namespace, ref.name);
        const raw = object?.data?.[ref.key];
        if (raw === undefined) {
          if (ref.optional) continue;
          return object ? `couldn't find key ${ref.key} in ${from.secretKeyRef ? 'Secret' : 'ConfigMap'} ${this.namespace}/${ref.name}` : `${kind} "${ref.name}" not found`;
        }
        env[entry.name] = from.secretKeyRef ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      } else if (from.fieldRef?.fieldPath) {
        const fields: Record<string, string> = { 'metadata.name': this.name, 'metadata.namespace': this.namespace, 'metadata.uid': this.uid, 'spec.nodeName': this.ctx.nodeName, 'status.podIP': '127.0.0.1', 'status.hostIP': '127.0.0.1' };
        env[entry.name] = fields[from.fieldRef.fieldPath] ?? '';
      }
    }
    return env;
  }

  private async volumeMounts(spec: Json, volumes: Map<string, string>): Promise<BindMount[]> {
    const mounts: BindMount[] = [];
    for (const m of (spec.volumeMounts ?? []) as Json[]) {
      const volume = volumes.get(m.name);
      if (!volume) continue;
      const source = m.subPath ? join(volume, m.subPath) : volume;
      // The kubelet creates a missing subPath as a folder.
      if (m.subPath && !existsSync(source)) await mkdir(source, { recursive: true });
      mounts.push({ source, target: m.mountPath, readOnly: Boolean(m.readOnly) });
    }
    return mounts;
  }

  private async terminationMessage(spec: Json, file: string, logFile: string, exitCode: number): Promise<string> {
    const handle = await open(file, 'r');
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    await handle.close();
    const message = buffer.subarray(0, bytesRead).toString('utf8');
    if (message || exitCode === 0 || spec.terminationMessagePolicy !== 'FallbackToLogsOnError') return message;
    // FallbackToLogsOnError: the last 80 lines (at most 2048 bytes) of the log.
    const chunks: string[] = [];
    for await (const chunk of readLog(logFile, { follow: false, timestamps: false, tailLines: 80 }, () => true)) chunks.push(String(chunk));
    return chunks.join('').slice(-2048);
  }

  /** Kills every process: SIGTERM, then SIGKILL after the grace period. Resolves when run() is over. */
  async halt(graceSeconds: number): Promise<void> {
    for (const c of this.containers) if (c.process) this.event('Normal', 'Killing', `Stopping container ${c.name}`);
    this.halted = true;
    this.haltSignal();
    const signalAll = (signal: NodeJS.Signals) => {
      for (const child of [...this.containers.map((c) => c.process), ...this.execs]) {
        if (child?.pid && child.exitCode === null && child.signalCode === null) {
          try {
            process.kill(-child.pid, signal);
          } catch {
            // already gone
          }
        }
      }
    };
    signalAll(graceSeconds > 0 ? 'SIGTERM' : 'SIGKILL');
    const timer = graceSeconds > 0 ? setTimeout(() => signalAll('SIGKILL'), graceSeconds * 1000) : undefined;
    await this.done;
    await Promise.all([...this.execs].map((child) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined)));
    clearTimeout(timer);
  }

  /** The pod fails for a node reason (deadline, eviction): processes are stopped, phase Failed. */
  async fail(reason: string, message: string): Promise<void> {
    if (this.halted || this.finished) return;
    this.model.failure = { reason, message };
    this.publish();
    await this.halt(this.gracePeriod());
    this.publish();
  }

  gracePeriod(): number {
    const current = this.ctx.store.get('pods', this.namespace, this.name) ?? this.pod;
    return Number(current.metadata.deletionGracePeriodSeconds ?? current.spec.terminationGracePeriodSeconds ?? 30);
  }

  /** No more status updates: the pod is gone from the API or the kubelet is stopping. */
  silence(): void {
    this.silent = true;
  }

  async removeFolder(): Promise<void> {
    await assertNothingMounted(this.podDir);
    // A killed build's last writes (buildah's layer folders) can race the removal: ENOTEMPTY is retried.
    await rm(this.podDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }

  killContainer(name: string, signal: NodeJS.Signals | 'OOMKilled'): void {
    const container = this.containers.find((c) => c.name === name);
    if (!container?.process?.pid) throw new Error(`container ${name} of pod ${this.name} is not running`);
    container.oomKill = signal === 'OOMKilled';
    process.kill(-container.process.pid, signal === 'OOMKilled' ? 'SIGKILL' : signal);
  }

  /** The API server's and the kubelet's checks before an exec or a log request. */
  private container(name: string): ContainerRun {
    if (!this.model.scheduled) throw new KubeletError(400, `pod ${this.name} does not have a host assigned`);
    const mains = this.containers.filter((c) => !c.init);
    if (!name) {
      if (mains.length === 1) return mains[0];
      const inits = this.containers.filter((c) => c.init).map((c) => c.name);
      throw new KubeletError(400, `a container name must be specified for pod ${this.name}, choose one of: [${mains.map((c) => c.name).join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`);
    }
    const container = this.containers.find((c) => c.name === name);
    if (!container) throw new KubeletError(400, `container ${name} is not valid for pod ${this.name}`);
    return container;
  }

  async exec(containerName: string, command: string[], io: ExecIO): Promise<number> {
    const container = this.container(containerName);
    const target = container.process;
    if (!target?.pid || !container.env) throw new KubeletError(400, `unable to upgrade connection: container not found ("${container.name}")`);
    // Same mount and UTS namespaces, same chroot, same working directory as the container's main process.
    const child = spawn('/usr/bin/setpriv', [...orphanGuard, '/usr/bin/nsenter', '--target', String(target.pid), '--mount', '--uts', '--root', '--wd', '--', ...command], { env: container.env, detached: true, stdio: [io.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    this.execs.add(child);
    if (io.stdin && child.stdin) {
      child.stdin.on('error', () => undefined); // the command may exit before reading all its input
      io.stdin.pipe(child.stdin);
    }
    const stdout = child.stdout as Readable;
    const stderr = child.stderr as Readable;
    if (io.stdout) stdout.pipe(io.stdout, { end: false });
    else stdout.resume();
    if (io.stderr) stderr.pipe(io.stderr, { end: false });
    else stderr.resume();
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    this.execs.delete(child);
    if (io.stdin && child.stdin) io.stdin.unpipe(child.stdin);
    return code ?? 128 + (signal ? constants.signals[signal] : 9);
  }

  logs(containerName: string, options: LogOptions) {
    if (!this.model.scheduled) return undefined;
    const container = this.container(containerName);
    if (options.previous) throw new KubeletError(400, `previous terminated container "${container.name}" in pod "${this.name}" not found`);
    if ('waiting' in container.state || !container.logFile) {
      const reason = 'waiting' in container.state ? container.state.waiting.reason : 'ContainerCreating';
      const why = reason === 'ErrImagePull' ? 'trying and failing to pull image' : reason === 'ImagePullBackOff' ? "image can't be pulled" : reason;
      throw new KubeletError(400, `container "${container.name}" in pod "${this.name}" is waiting to start: ${why}`);
    }
    return readLog(container.logFile, options, () => container.logDrained);
  }
}

/** Resolves once the process has chrooted into `root` (or has gone): from then on exec enters the container's view. */
async function waitForRoot(pid: number, root: string): Promise<void> {
  for (;;) {
    const current = await readlink(`/proc/${pid}/root`).catch(() => undefined);
    if (current === undefined || current === root) return;
    await sleep(2);
  }
}

/** A safety net before deleting a pod folder: a leaked bind mount would make rm walk into the host's files. */
export async function assertNothingMounted(dir: string): Promise<void> {
  const handle = await open('/proc/self/mountinfo', 'r');
  const text = await handle.readFile('utf8');
  await handle.close();
  const leaked = text.split('\n').map((line) => line.split(' ')[4]).filter((mountPoint) => mountPoint && (mountPoint === dir || mountPoint.startsWith(dir + '/')));
  if (leaked.length) throw new Error(`refusing to delete ${dir}: still mounted at ${leaked.join(', ')}`);
}
