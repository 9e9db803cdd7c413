// Pod volumes as real folders, laid out like the kubelet's: emptyDir, and secret/configMap via the atomic writer's `..data` links.
import { chmod, mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { KubeObject, ObjectStore } from '../contract.ts';
import type { Json } from './json.ts';

export type VolumeResult = { ok: true; paths: Map<string, string> } | { ok: false; volume: string; message: string };

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** Materialises every volume of the pod under podDir/volumes; reports the first one that cannot be set up yet. */
export async function setUpVolumes(store: ObjectStore, pod: KubeObject, podDir: string): Promise<VolumeResult> {
  const paths = new Map<string, string>();
  const namespace = pod.metadata.namespace as string;
  for (const volume of (pod.spec?.volumes ?? []) as Json[]) {
    const name = volume.name as string;
    if (volume.secret || volume.configMap) {
      const kind = volume.secret ? 'secret' : 'configmap';
      const source = volume.secret ?? volume.configMap;
      const objectName = (volume.secret ? source.secretName : source.name) as string;
      const object = store.get(volume.secret ? 'secrets' : 'configmaps', namespace, objectName);
      const dir = join(podDir, 'volumes', `kubernetes.io~${kind}`, name);
      if (!object && !source.optional) return { ok: false, volume: name, message: `MountVolume.SetUp failed for volume "${name}" : ${kind} "${objectName}" not found` };
      const data = object ? objectData(object, Boolean(volume.secret)) : new Map<string, Buffer>();
      const items = (source.items ?? [...data.keys()].map((key) => ({ key, path: key }))) as KeyToPath[];
      const missing = items.find((item) => !data.has(item.key));
      if (missing && !source.optional) {
        const why = volume.secret ? `references non-existent secret key: ${missing.key}` : `configmap references non-existent config key: ${missing.key}`;
        return { ok: false, volume: name, message: `MountVolume.SetUp failed for volume "${name}" : ${why}` };
      }
      const files = items.filter((item) => data.has(item.key)).map((item) => ({ path: item.path, content: data.get(item.key) as Buffer, mode: item.mode ?? source.defaultMode ?? 0o644 }));
      await writeAtomically(dir, files);
      paths.set(name, dir);
    } else {
      // emptyDir and anything this sandbox does not model: an empty folder shared by the pod's containers.
      const dir = join(podDir, 'volumes', 'kubernetes.io~empty-dir', name);
      await mkdir(dir, { recursive: true, mode: 0o777 });
      await chmod(dir, 0o777);
      paths.set(name, dir);
    }
  }
  return { ok: true, paths };
}

function objectData(object: KubeObject, isSecret: boolean): Map<string, Buffer> {
  const data = new Map<string, Buffer>();
  if (isSecret) {
    for (const [key, value] of Object.entries((object.data ?? {}) as Record<string, string>)) data.set(key, Buffer.from(value, 'base64'));
    return data;
  }
  for (const [key, value] of Object.entries((object.data ?? {}) as Record<string, string>)) data.set(key, Buffer.from(value, 'utf8'));
  for (const [key, value] of Object.entries((object.binaryData ?? {}) as Record<string, string>)) data.set(key, Buffer.from(value, 'base64'));
  return data;
}

/** The kubelet's AtomicWriter layout: files in a timestamped folder, `..data` pointing at it, and top-level links through `..data`. */
async function writeAtomically(dir: string, files: { path: string; content: Buffer; mode: number }[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:T]/g, '_').replace(/\..*/, '');
  const payload = `..${stamp}.${process.hrtime.bigint() % 1_000_000_000n}`;
  for (const file of files) {
    const target = join(dir, payload, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
    await chmod(target, file.mode);
  }
  await mkdir(join(dir, payload), { recursive: true });
  await symlink(payload, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  const topLevel = new Set(files.map((file) => file.path.split('/')[0]));
  for (const name of topLevel) await symlink(join('..data', name), join(dir, name)).catch(() => undefined);
}
