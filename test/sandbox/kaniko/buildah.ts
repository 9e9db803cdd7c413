// The real builder behind the stand-in: buildah with vfs storage and chroot isolation, all inside the kaniko container.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdir, readFile, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeImageName, resolveImage } from '../kubelet/images.ts';

export interface RunResult {
  code: number;
  stderr: string;
}

/** Registries outside the sandbox are blocked so that no build ever reaches the network. */
const blockedRegistries = ['docker.io', 'quay.io', 'gcr.io', 'ghcr.io', 'registry.k8s.io', 'mcr.microsoft.com', 'public.ecr.aws', 'registry.access.redhat.com', 'registry.redhat.io'];

export class Buildah {
  private readonly storage: string[];
  private readonly env: NodeJS.ProcessEnv;
  readonly work: string;

  constructor(work: string) {
    this.work = work;
    this.storage = ['--root', join(work, 'storage'), '--runroot', join(work, 'runroot'), '--storage-driver', 'vfs'];
    this.env = { ...process.env, CONTAINERS_REGISTRIES_CONF: join(work, 'registries.conf'), CONTAINERS_CONF: join(work, 'containers.conf'), TMPDIR: join(work, 'tmp'), BUILDAH_ISOLATION: 'chroot' };
  }

  /** `insecureHosts`: registries that may answer over HTTP (or with any certificate), as kaniko allows for loopback. */
  async prepare(registryMap: Record<string, string>, insecureHosts: string[] = []): Promise<void> {
    await mkdir(join(this.work, 'tmp'), { recursive: true });
    const lines = ['unqualified-search-registries = ["docker.io"]', 'short-name-mode = "permissive"'];
    for (const [prefix, location] of Object.entries(registryMap)) lines.push('[[registry]]', `prefix = ${JSON.stringify(prefix)}`, `location = ${JSON.stringify(location)}`);
    for (const location of new Set(insecureHosts)) lines.push('[[registry]]', `location = ${JSON.stringify(location)}`, 'insecure = true');
    for (const location of blockedRegistries) lines.push('[[registry]]', `location = ${JSON.stringify(location)}`, 'blocked = true');
    await writeFile(join(this.work, 'registries.conf'), lines.join('\n') + '\n');
    // The image's /etc is read-only: buildah's network state goes to the writable work folder.
    await writeFile(join(this.work, 'containers.conf'), `[network]\nnetwork_config_dir = ${JSON.stringify(join(this.work, 'networks'))}\n`);
  }

  run(args: string[], onStdout: (line: string) => void = () => undefined, onStderr: (line: string) => void = () => undefined): Promise<RunResult> {
    const child = spawn('buildah', [...this.storage, ...args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const errors: string[] = [];
    createInterface({ input: child.stdout }).on('line', onStdout);
    createInterface({ input: child.stderr }).on('line', (line) => {
      errors.push(line);
      onStderr(line);
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code: code ?? 1, stderr: errors.join('\n') }));
    });
  }

  /** The sandbox's busybox/ubuntu stand-in, built locally under the name the Dockerfile uses (no registry needed). */
  async provideBaseImage(image: string): Promise<boolean> {
    if (resolveImage(image, false)?.kind !== 'busybox') return false;
    const rootfs = join(this.work, 'base-rootfs');
    await mkdir(join(rootfs, 'bin'), { recursive: true });
    await mkdir(join(rootfs, 'tmp'), { recursive: true });
    await copyFile('/usr/bin/busybox', join(rootfs, 'bin', 'busybox')).catch(() => undefined);
    const applets = ['sh', 'ls', 'cat', 'echo', 'mkdir', 'touch', 'test', 'tar', 'cp', 'mv', 'rm', 'env', 'sleep', 'true', 'false', 'printf', 'grep', 'sed', 'wc', 'chmod', 'id', 'pwd', 'stat'];
    for (const applet of applets) await symlink('busybox', join(rootfs, 'bin', applet)).catch(() => undefined);
    const dockerfile = 'FROM scratch\nCOPY . /\nENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nCMD ["sh"]\n';
    await writeFile(join(this.work, 'base.Dockerfile'), dockerfile);
    const result = await this.run(['bud', '--isolation', 'chroot', '-q', '-f', join(this.work, 'base.Dockerfile'), '-t', normalizeImageName(image), rootfs]);
    if (result.code !== 0) throw new Error(`building the sandbox base image ${image}: ${result.stderr}`);
    return true;
  }

  async writeAuthFile(entries: Map<string, string>): Promise<string> {
    const file = join(this.work, 'auth.json');
    const auths = Object.fromEntries([...entries].map(([host, auth]) => [host, { auth }]));
    await writeFile(file, JSON.stringify({ auths }), { mode: 0o600 });
    return file;
  }

  /** A --cert-dir holding the given CA files. */
  async certDir(name: string, caFiles: string[]): Promise<string> {
    const dir = join(this.work, 'certs', name);
    await mkdir(dir, { recursive: true });
    for (const [index, file] of caFiles.entries()) await writeFile(join(dir, `ca-${index}.crt`), await readFile(file));
    return dir;
  }

  async cleanUp(): Promise<void> {
    await rm(join(this.work, 'auth.json'), { force: true });
  }
}
