// One Debian `docker-registry serve` process on a free 127.0.0.1 port, stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { registryGet } from './http.ts';

export interface RegistryProcessOptions {
  /** Storage, config and log live here. */
  dir: string;
  tls?: { certFile: string; keyFile: string; caPem: string };
  htpasswdFile?: string;
}

export interface RegistryProcess {
  host: string;
  storageDir: string;
  stop(): Promise<void>;
}

export async function startRegistryProcess(options: RegistryProcessOptions): Promise<RegistryProcess> {
  await mkdir(options.dir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      // Another process may have taken the port between freePort() and the registry's bind.
      if (attempt >= 5) throw error;
    }
  }
}

async function startOnce(options: RegistryProcessOptions, port: number): Promise<RegistryProcess> {
  const host = `127.0.0.1:${port}`;
  const storageDir = join(options.dir, 'storage');
  const configFile = join(options.dir, 'config.yml');
  await writeFile(configFile, configYaml(host, storageDir, options));
  const log = await open(join(options.dir, 'registry.log'), 'a');
  const child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  const exited = once(child, 'exit');
  try {
    await waitUntilServing(host, options.tls?.caPem, exited);
  } catch (error) {
    await stopChild(child);
    const tail = await readFile(join(options.dir, 'registry.log'), 'utf8').catch(() => '');
    throw new Error(`docker-registry on ${host} did not start: ${(error as Error).message}\n${tail.slice(-2000)}`, { cause: error });
  }
  return { host, storageDir, stop: () => stopChild(child) };
}

function configYaml(host: string, storageDir: string, options: RegistryProcessOptions): string {
  const lines = [
    'version: 0.1',
    'log: {level: info, accesslog: {disabled: true}}',
    'storage:',
    `  filesystem: {rootdirectory: ${JSON.stringify(storageDir)}}`,
    '  delete: {enabled: true}',
    'http:',
    `  addr: ${host}`,
  ];
  if (options.tls) lines.push(`  tls: {certificate: ${JSON.stringify(options.tls.certFile)}, key: ${JSON.stringify(options.tls.keyFile)}}`);
  if (options.htpasswdFile) lines.push('auth:', `  htpasswd: {realm: sandbox-registry, path: ${JSON.stringify(options.htpasswdFile)}}`);
  return lines.join('\n') + '\n';
}

async function waitUntilServing(host: string, caPem: string | undefined, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error('the process exited');
    try {
      const response = await registryGet({ host, caPem }, '/v2/');
      response.resume();
      if (response.statusCode === 200 || response.statusCode === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no answer on /v2/ within 15 s');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
