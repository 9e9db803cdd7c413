// The sandbox's image table: which real root a container image name maps to, and that image's config.
import { createHash } from 'node:crypto';
import { kanikoImageConfig } from './kaniko-image.ts';

/** `kaniko` is the real executor image; `kaniko-stand-in` the buildah stand-in, where the real one cannot be built. */
export type ImageKind = 'busybox' | 'kaniko' | 'kaniko-stand-in';

export interface ImageConfig {
  kind: ImageKind;
  /** The fully qualified name, as the kubelet reports it in containerStatuses[].image. */
  name: string;
  imageID: string;
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  workingDir: string;
}

const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** An image named without its registry (`busybox:1.36`, `team/app`), which short-name resolution must resolve. */
export function isShortName(image: string): boolean {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  return !(first.includes('.') || first.includes(':') || first === 'localhost');
}

/** `busybox` → `docker.io/library/busybox:latest`, as the container runtime normalises names. */
export function normalizeImageName(image: string): string {
  let name = isShortName(image) ? `docker.io/${image.includes('/') ? '' : 'library/'}${image}` : image;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':') && !name.includes('@')) name += ':latest';
  return name;
}

function repositoryOf(name: string): string {
  const at = name.indexOf('@');
  const withoutDigest = at < 0 ? name : name.slice(0, at);
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

const busyboxRepositories = /^docker\.io\/library\/(busybox|ubuntu)$/;
const kanikoRepositories = /^(gcr\.io\/kaniko-project\/executor|ghcr\.io\/osscontainertools\/kaniko(\/[a-z0-9-]+)?|docker\.io\/martizih\/kaniko(-[a-z0-9-]+)?)$/;

/** Undefined for an image the sandbox cannot "pull". `realKaniko`: executor images run the real executor. */
export function resolveImage(image: string, realKaniko: boolean): ImageConfig | undefined {
  const name = normalizeImageName(image);
  const repository = repositoryOf(name);
  const imageID = `${repository}@sha256:${createHash('sha256').update(name).digest('hex')}`;
  if (busyboxRepositories.test(repository)) {
    return { kind: 'busybox', name, imageID, entrypoint: [], cmd: ['sh'], env: { PATH: defaultPath }, workingDir: '/' };
  }
  if (kanikoRepositories.test(repository) && realKaniko) {
    return { kind: 'kaniko', name, imageID, cmd: [], ...kanikoImageConfig };
  }
  if (kanikoRepositories.test(repository)) {
    return {
      kind: 'kaniko-stand-in',
      name,
      imageID,
      entrypoint: ['/kaniko/executor'],
      cmd: [],
      env: { PATH: `/usr/local/bin:/kaniko:${defaultPath}`, HOME: '/root', USER: 'root', SSL_CERT_DIR: '/kaniko/ssl/certs', DOCKER_CONFIG: '/kaniko/.docker/' },
      workingDir: '/workspace',
    };
  }
  return undefined;
}
