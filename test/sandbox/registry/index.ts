// The sandbox's two registries: a plain HTTP one and a TLS one with bcrypt htpasswd credentials.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pushBaseImages } from './base-images.ts';
import { makeServingCertificate } from './certificates.ts';
import { startRegistryProcess } from './docker-registry.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { startUntrustedProxy } from './untrusted-proxy.ts';

const run = promisify(execFile);

export interface Registries {
  /** Holds the base images of base-images.ts (`FROM ${plain.host}/library/busybox:1.36`). */
  plain: { host: string; storageDir: string };
  tls: { host: string; user: string; password: string; caFile: string; caPem: string; storageDir: string };
  /** The TLS registry behind a certificate whose CA nobody trusts (Go's x509 error at push). */
  untrusted: { host: string };
  /** While on, the TLS registry refuses the sandbox user's password (as after a rotated token). */
  rejectCredentials(on: boolean): Promise<void>;
  /** The plain registry answers the next `count` manifest pushes with 500 (it sits behind a small proxy). */
  failPushes(count: number): void;
  /** Stops both registries and removes `dir` (storage, certificates, htpasswd). */
  stop(): Promise<void>;
}

export async function startRegistries(dir: string): Promise<Registries> {
  await mkdir(join(dir, 'tls'), { recursive: true });
  const certificate = await makeServingCertificate(join(dir, 'tls'));
  const user = 'sandbox';
  const password = randomBytes(18).toString('base64url');
  const htpasswdFile = join(dir, 'htpasswd');
  await writeHtpasswd(htpasswdFile, user, password);
  const plainRegistry = await startRegistryProcess({ dir: join(dir, 'plain') });
  await pushBaseImages({ host: plainRegistry.host }).catch(async (error: unknown) => {
    await plainRegistry.stop();
    throw error;
  });
  const proxy = await startFaultProxy(plainRegistry.host);
  const plain = {
    host: proxy.host,
    storageDir: plainRegistry.storageDir,
    stop: async () => {
      await Promise.all([proxy.stop(), plainRegistry.stop()]);
    },
  };
  const tls = await startRegistryProcess({ dir: join(dir, 'tls-registry'), tls: certificate, htpasswdFile }).catch(async (error: unknown) => {
    await plain.stop();
    throw error;
  });
  const untrustedDir = join(dir, 'untrusted');
  await mkdir(untrustedDir);
  const untrustedCertificate = await makeServingCertificate(untrustedDir);
  const untrusted = await startUntrustedProxy(
    { ...untrustedCertificate, certPem: await readFile(untrustedCertificate.certFile, 'utf8'), keyPem: await readFile(untrustedCertificate.keyFile, 'utf8') },
    { host: tls.host, caPem: certificate.caPem },
  ).catch(async (error: unknown) => {
    await Promise.all([plain.stop(), tls.stop()]);
    throw error;
  });
  return {
    plain: { host: plain.host, storageDir: plain.storageDir },
    untrusted: { host: untrusted.host },
    tls: { host: tls.host, user, password, caFile: certificate.caFile, caPem: certificate.caPem, storageDir: tls.storageDir },
    failPushes: (count) => proxy.failPushes(count),
    // docker-registry 2.8 rereads the htpasswd file whenever its modification time changes.
    rejectCredentials: (on) => writeHtpasswd(htpasswdFile, user, on ? randomBytes(18).toString('base64url') : password),
    stop: async () => {
      await Promise.all([plain.stop(), tls.stop(), untrusted.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function writeHtpasswd(file: string, user: string, password: string): Promise<void> {
  // -i reads the password from stdin so it never shows in a process list.
  const child = run('htpasswd', ['-niB', user]);
  child.child.stdin?.end(password + '\n');
  const { stdout } = await child;
  await writeFile(file + '.new', stdout, { mode: 0o600 });
  await rename(file + '.new', file);
  // A fresh, distinct mtime even for two swaps within the same second.
  const stamp = new Date(Date.now() + Math.floor(Math.random() * 1e6));
  await utimes(file, stamp, stamp);
}
