// A container's view of the filesystem: an overlay root per container (the image as its lower layer, a writable
// upper layer, as containerd's overlayfs snapshotter gives), plus bind mounts, all made inside a private mount
// namespace (so every mount vanishes with the container's processes), entered with `unshare --root`.
import { execFile } from 'node:child_process';
import { chmod, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ImageKind } from './images.ts';
import { prepareKanikoImage } from './kaniko-image.ts';

const run = promisify(execFile);

/** The project checkout; the kaniko stand-in runs from it inside the kaniko container. */
export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
const kanikoStandIn = join(projectRoot, 'test/sandbox/kaniko/main.ts');

export interface BindMount {
  source: string;
  /** Path inside the container. */
  target: string;
  readOnly: boolean;
}

export interface ImageStore {
  busyboxBin: string;
  /** The real kaniko executor image's root, when the executor was built. */
  kanikoRoot?: string;
}

/** What the real executor image is made of: the built executor and the sandbox registry's CA. */
export interface KanikoImageSource {
  executor: string;
  caPem: string;
}

/** Shared, read-only image content: a busybox `bin` with its applet links (from Debian's busybox-static), the kaniko image. */
export async function prepareImages(dir: string, kaniko?: KanikoImageSource): Promise<ImageStore> {
  const busyboxBin = join(dir, 'images', 'busybox', 'bin');
  await mkdir(busyboxBin, { recursive: true });
  if ((await readdir(busyboxBin)).length === 0) {
    await run('cp', ['/usr/bin/busybox', join(busyboxBin, 'busybox')]);
    const { stdout } = await run('/usr/bin/busybox', ['--list']);
    for (const applet of stdout.split('\n').filter((name) => name && name !== 'busybox')) await symlink('busybox', join(busyboxBin, applet));
  }
  if (!kaniko) return { busyboxBin };
  return { busyboxBin, kanikoRoot: await prepareKanikoImage(join(dir, 'images', 'kaniko'), kaniko.executor, kaniko.caPem) };
}

const etcFiles: Record<string, string> = {
  passwd: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
  group: 'root:x:0:\nnobody:x:65534:\n',
  hosts: '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n',
};

/** A container's root: the overlay's lower layer and the image's own bind mounts. */
export interface ContainerRoot {
  lower: string;
  mounts: BindMount[];
}

/** The real kaniko image is shared as it is; the other kinds get a skeleton of their own in `containerDir/image`. */
export async function buildRoot(containerDir: string, kind: ImageKind, images: ImageStore, sandboxConfig: object): Promise<ContainerRoot> {
  if (kind === 'kaniko') {
    if (!images.kanikoRoot) throw new Error('the kaniko executor image was not prepared');
    return { lower: images.kanikoRoot, mounts: [] };
  }
  const root = join(containerDir, 'image');
  return { lower: root, mounts: await buildSkeleton(root, kind, images, sandboxConfig) };
}

/** Creates the root skeleton for the busybox image or the kaniko stand-in and returns the image's own bind mounts. */
async function buildSkeleton(root: string, kind: ImageKind, images: ImageStore, sandboxConfig: object): Promise<BindMount[]> {
  for (const sub of ['dev', 'proc', 'sys', 'tmp', 'root', 'etc', 'var/tmp', 'run', 'usr']) await mkdir(join(root, sub), { recursive: true });
  await chmod(join(root, 'tmp'), 0o1777);
  await chmod(join(root, 'var/tmp'), 0o1777);
  if (kind === 'busybox') {
    await mkdir(join(root, 'bin'));
    for (const [name, content] of Object.entries(etcFiles)) await writeFile(join(root, 'etc', name), content);
    return [{ source: images.busyboxBin, target: '/bin', readOnly: true }];
  }
  // kaniko: the machine's /usr (buildah, node's libraries) and /etc, the stand-in as /kaniko/executor.
  for (const link of ['bin', 'sbin', 'lib', 'lib64']) await symlink(`usr/${link}`, join(root, link));
  for (const sub of ['kaniko/ssl/certs', 'kaniko/.docker', 'workspace', 'var/lib/containers']) await mkdir(join(root, sub), { recursive: true });
  await writeFile(join(root, 'kaniko', 'executor'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(kanikoStandIn)} "$@"\n`, { mode: 0o755 });
  await writeFile(join(root, 'kaniko', '.sandbox.json'), JSON.stringify(sandboxConfig));
  const mounts: BindMount[] = [
    { source: '/usr', target: '/usr', readOnly: true },
    { source: '/etc', target: '/etc', readOnly: true },
    { source: '/etc/ssl/certs', target: '/kaniko/ssl/certs', readOnly: true },
    { source: projectRoot, target: projectRoot, readOnly: true },
  ];
  const nodeDir = dirname(dirname(process.execPath));
  if (relative(projectRoot, nodeDir).startsWith('..')) mounts.push({ source: nodeDir, target: nodeDir, readOnly: true });
  return mounts;
}

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface LaunchOptions {
  /** Where the overlay is mounted: `upper` and `work` beside it in the container's folder. */
  root: string;
  lower: string;
  upper: string;
  work: string;
  mounts: BindMount[];
  terminationLog: { source: string; target: string };
  workingDir: string;
  hostname: string;
}

/**
 * The shell script run under `unshare --mount --uts --propagation private`: mounts the overlay root, builds /dev,
 * /proc, /sys, the binds (parents first), the termination-message file, then execs the container command ("$@")
 * chrooted. The image needs no shell: the host's unshare does the last exec.
 */
export function launchScript(options: LaunchOptions): string {
  const r = (path: string) => shellQuote(join(options.root, path));
  const lines = [
    'set -e',
    'container_path=$PATH',
    'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
    `hostname ${shellQuote(options.hostname)}`,
    // An overlay root, as containerd's snapshotter makes: tools like buildah remount "/" and need a mount point,
    // and kaniko's checkContained() (pkg/util/proc) takes an overlay on "/" for a container runtime.
    `mkdir -p ${r('/')} ${shellQuote(options.upper)} ${shellQuote(options.work)}`,
    `mount -t overlay overlay -o ${shellQuote(`lowerdir=${options.lower},upperdir=${options.upper},workdir=${options.work}`)} ${r('/')}`,
    `mkdir -p ${r('/dev')} ${r('/proc')} ${r('/sys')}`,
    `mount -t tmpfs -o mode=755,size=16m tmpfs ${r('/dev')}`,
    ...['null', 'zero', 'full', 'random', 'urandom', 'tty'].map((d) => `touch ${r(`/dev/${d}`)} && mount --bind /dev/${d} ${r(`/dev/${d}`)}`),
    ...[['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'], ['stderr', '/proc/self/fd/2']].map(([name, target]) => `ln -s ${target} ${r(`/dev/${name}`)}`),
    `mkdir ${r('/dev/shm')} && mount -t tmpfs -o mode=1777,size=64m shm ${r('/dev/shm')}`,
    `mount -t proc proc ${r('/proc')}`,
    `mount --rbind /sys ${r('/sys')}`,
  ];
  const binds = [...options.mounts].sort((a, b) => a.target.split('/').length - b.target.split('/').length);
  for (const bind of binds) {
    const target = r(bind.target);
    lines.push(`if [ -d ${shellQuote(bind.source)} ]; then mkdir -p ${target}; else mkdir -p "$(dirname ${target})"; touch ${target}; fi`);
    lines.push(`mount --bind ${shellQuote(bind.source)} ${target}`);
    if (bind.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
  }
  const log = r(options.terminationLog.target);
  lines.push(`mkdir -p "$(dirname ${log})" && touch ${log} && mount --bind ${shellQuote(options.terminationLog.source)} ${log}`);
  lines.push(`mkdir -p ${r(options.workingDir)}`);
  // Closing fd 3 tells the kubelet that the mounts are complete; it then waits for the chroot (waitForRoot).
  lines.push('exec 3>&-');
  lines.push(`PATH=$container_path exec /usr/bin/unshare --root=${shellQuote(options.root)} --wd=${shellQuote(options.workingDir)} -- "$@"`);
  return lines.join('\n');
}
