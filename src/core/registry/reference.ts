// Image references parsed by docker/distribution's grammar (reference/regexp.go, normalize.go),
// so a destination the engine accepts is one kaniko and every registry accept too.

export interface ImageReference {
  /** Registry host, with port if any; `docker.io` for Docker Hub. */
  readonly domain: string;
  /** Repository path inside the registry (`library/alpine` for `alpine`). */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
  /** The fully qualified form: `docker.io/library/alpine:latest`. */
  readonly normalized: string;
}

export class ImageReferenceError extends Error {
  readonly input: string;
  constructor(input: string, message: string) {
    super(message);
    this.name = 'ImageReferenceError';
    this.input = input;
  }
}

const NAME_TOTAL_MAX = 255;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PORT = /^[0-9]+$/;
const IPV6 = /^\[(?:[a-fA-F0-9:]+)\]$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DEFAULT_DOMAIN = 'docker.io';

function validDomain(domain: string): boolean {
  const colon = domain.startsWith('[') ? domain.indexOf(']:') + 1 : domain.lastIndexOf(':');
  const host = colon > 0 ? domain.slice(0, colon) : domain;
  const port = colon > 0 ? domain.slice(colon + 1) : undefined;
  if (port !== undefined && !PORT.test(port)) return false;
  if (IPV6.test(host)) return true;
  return host.split('.').every((part) => DOMAIN_COMPONENT.test(part));
}

/** normalize.go's rule: the first component is a registry if it has a dot, a colon, is localhost, or has upper case. */
function splitDomain(name: string): { domain: string; remainder: string; explicit: boolean } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    return { domain: DEFAULT_DOMAIN, remainder: name, explicit: false };
  }
  return { domain: first === 'index.docker.io' ? DEFAULT_DOMAIN : first, remainder: name.slice(slash + 1), explicit: true };
}

/** Parses and normalises a reference, or throws ImageReferenceError saying what is wrong in plain words. */
export function parseImageReference(input: string): ImageReference {
  const ref = input.trim();
  if (ref === '') throw new ImageReferenceError(input, 'The image reference is empty.');
  if (/\s/.test(ref)) throw new ImageReferenceError(input, `"${input}" contains white space; an image reference cannot.`);
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ImageReferenceError(input, `"${digest}" is not a valid digest (expected algorithm:hex, e.g. sha256:<64 hex digits>).`);
    if (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      throw new ImageReferenceError(input, 'A sha256 digest has exactly 64 lower-case hex digits.');
    }
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) {
      throw new ImageReferenceError(input, `"${tag}" is not a valid tag: use up to 128 letters, digits, "_", "." and "-", not starting with "." or "-".`);
    }
  }
  if (rest === '') throw new ImageReferenceError(input, `"${input}" has no repository name.`);
  if (rest.length > NAME_TOTAL_MAX) throw new ImageReferenceError(input, `The repository name is longer than ${NAME_TOTAL_MAX} characters.`);
  const { domain, remainder, explicit } = splitDomain(rest);
  if (explicit && !validDomain(domain)) throw new ImageReferenceError(input, `"${domain}" is not a valid registry host name.`);
  if (remainder.toLowerCase() !== remainder) {
    throw new ImageReferenceError(input, `The repository name must be lower case: "${remainder}" (try "${remainder.toLowerCase()}").`);
  }
  const components = remainder.split('/');
  const bad = components.find((c) => !PATH_COMPONENT.test(c));
  if (bad !== undefined) {
    throw new ImageReferenceError(
      input,
      bad === '' ? `"${input}" has an empty path component (two "/" in a row or a trailing "/").` : `"${bad}" is not a valid repository path component: use lower-case letters and digits, separated by ".", "_", "__" or "-".`,
    );
  }
  const path = domain === DEFAULT_DOMAIN && components.length === 1 ? `library/${remainder}` : remainder;
  const normalized = `${domain}/${path}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`;
  return { domain, path, tag, digest, normalized };
}

/** The message of what is wrong, or undefined when the reference is valid (for input boxes). */
export function validateImageReference(input: string): string | undefined {
  try {
    parseImageReference(input);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** `host/repo` without tag or digest, the form kaniko prints in `Pushed host/repo@sha256:…`. */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** `busybox:1.36` → `docker.io/library/busybox:1.36`, as Docker normalises names; undefined when the name does not parse. */
export function fullyQualified(image: string): string | undefined {
  try {
    return parseImageReference(image).normalized;
  } catch {
    return undefined;
  }
}
