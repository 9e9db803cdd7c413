// The kaniko executor image, laid out as the fork's deploy/Dockerfile builds its `kaniko-executor` stage:
// FROM scratch, /kaniko (world-writable) with the executor, the CA bundle under /kaniko/ssl/certs, an empty
// /kaniko/.docker, /etc/nsswitch.conf and /workspace. The sandbox's kubelet uses it as a container's lower layer.
import { copyFile, chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** deploy/Dockerfile's ENV lines (kaniko-base-slim, kaniko-base) and its WORKDIR and ENTRYPOINT. */
export const kanikoImageConfig = {
  env: {
    HOME: '/root',
    USER: 'root',
    PATH: '/usr/local/bin:/kaniko',
    SSL_CERT_DIR: '/kaniko/ssl/certs',
    DOCKER_CONFIG: '/kaniko/.docker/',
    DOCKER_CREDENTIAL_GCR_CONFIG: '/kaniko/.config/gcloud/docker_credential_gcr_config.json',
  },
  workingDir: '/workspace',
  entrypoint: ['/kaniko/executor'],
};

/** The fork's files/nsswitch.conf: names resolve through /etc/hosts, then DNS. */
const nsswitch = 'passwd: compat\ngroup: compat\nshadow: compat\ngshadow: files\nhosts: files dns\nnetworks: files\nprotocols: db files\nservices: db files\nethers: db files\nrpc: db files\nnetgroup: nis\n';

/** The system CAs that deploy/Dockerfile copies from Debian's ca-certificates. */
const systemBundle = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Writes the image's root under `dir` once and returns it. `extraCaPem` (the sandbox registry's CA) joins the
 * system bundle, as a cluster's image would carry a company CA.
 */
export async function prepareKanikoImage(dir: string, executor: string, extraCaPem: string): Promise<string> {
  const root = join(dir, 'rootfs');
  if (existsSync(join(root, 'kaniko', 'executor'))) return root;
  await rm(root, { recursive: true, force: true });
  for (const sub of ['kaniko/ssl/certs', 'kaniko/.docker', 'etc', 'workspace']) await mkdir(join(root, sub), { recursive: true });
  await chmod(join(root, 'kaniko'), 0o777);
  const system = existsSync(systemBundle) ? await readFile(systemBundle, 'utf8') : '';
  await writeFile(join(root, 'kaniko', 'ssl', 'certs', 'ca-certificates.crt'), `${system}${system.endsWith('\n') || !system ? '' : '\n'}${extraCaPem}`);
  await writeFile(join(root, 'etc', 'nsswitch.conf'), nsswitch);
  // Last, so a half-written image is never taken for a finished one.
  await copyFile(executor, join(root, 'kaniko', 'executor.partial'));
  await chmod(join(root, 'kaniko', 'executor.partial'), 0o755);
  await rename(join(root, 'kaniko', 'executor.partial'), join(root, 'kaniko', 'executor'));
  return root;
}
