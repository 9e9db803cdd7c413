// Test support: runs the seed recipe against the kubelet (init container waits, context arrives by exec tar, kaniko builds).
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Kubelet, KubeObject } from '../contract.ts';
import type { Json } from '../kubelet/json.ts';
import type { MemoryStore } from './memory-store.ts';

export interface BuildPodOptions {
  name: string;
  files: Record<string, string>;
  args: string[];
  image?: string;
  volumes?: Record<string, unknown>[];
  volumeMounts?: Record<string, unknown>[];
}

export interface BuildPodResult {
  pod: KubeObject | undefined;
  logs: string;
  main: Json;
}

export async function runBuildPod(store: MemoryStore, kubelet: Kubelet, options: BuildPodOptions): Promise<BuildPodResult> {
  const ns = 'default';
  const mount = { name: 'build-context', mountPath: '/kaniko/build-context' };
  store.createPod({
    metadata: { name: options.name, namespace: ns },
    spec: {
      restartPolicy: 'Never',
      initContainers: [{ name: 'kaniko-init', image: 'busybox:1.36', command: ['sh', '-c', 'while [ ! -f /tmp/complete ]; do sleep 0.2; done'], volumeMounts: [mount] }],
      containers: [{ name: 'kaniko', image: options.image ?? 'ghcr.io/osscontainertools/kaniko:v1.25.0', args: options.args, volumeMounts: [mount, ...(options.volumeMounts ?? [])] }],
      volumes: [{ name: 'build-context', emptyDir: {} }, ...(options.volumes ?? [])],
    },
  });
  await store.waitForPod(ns, options.name, (p) => p?.status?.initContainerStatuses?.[0]?.state?.running !== undefined);
  const source = await mkdtemp(join(tmpdir(), 'kaniko-context-'));
  for (const [path, content] of Object.entries(options.files)) {
    await mkdir(dirname(join(source, 'ctx', path)), { recursive: true });
    await writeFile(join(source, 'ctx', path), content);
  }
  const tarball = execFileSync('tar', ['-czf', '-', '-C', source, 'ctx']);
  await rm(source, { recursive: true, force: true });
  const sink = new PassThrough().resume();
  const extracted = await kubelet.exec(ns, options.name, 'kaniko-init', ['tar', '-xzf', '-', '-C', '/kaniko/build-context'], { stdin: Readable.from([tarball]), stdout: sink, stderr: sink });
  if (extracted !== 0) throw new Error(`tar exited ${extracted}`);
  await kubelet.exec(ns, options.name, 'kaniko-init', ['touch', '/tmp/complete'], {});
  await store.waitForPod(ns, options.name, (p) => p?.status?.containerStatuses?.[0]?.state?.running !== undefined || p?.status?.containerStatuses?.[0]?.state?.terminated !== undefined);
  const chunks: string[] = [];
  const stream = kubelet.logs(ns, options.name, 'kaniko', { follow: true, timestamps: false });
  for await (const chunk of stream ?? []) chunks.push(String(chunk));
  const pod = await store.waitForPod(ns, options.name, (p) => p?.status?.phase === 'Succeeded' || p?.status?.phase === 'Failed', 120_000);
  return { pod, logs: chunks.join(''), main: pod?.status.containerStatuses[0].state.terminated };
}
