// kaniko's executor command line (v1.24 spelling), parsed the way cobra/pflag does, with cobra's error texts.
export interface KanikoFlags {
  dockerfile: string;
  context: string;
  contextSubPath: string;
  destinations: string[];
  buildArgs: string[];
  labels: string[];
  target: string;
  digestFile: string;
  imageNameWithDigestFile: string;
  imageNameTagWithDigestFile: string;
  cache: boolean;
  cacheRepo: string;
  insecure: boolean;
  insecurePull: boolean;
  insecureRegistries: string[];
  skipTlsVerify: boolean;
  skipTlsVerifyPull: boolean;
  skipTlsVerifyRegistries: string[];
  registryCertificates: Map<string, string>;
  verbosity: string;
  logFormat: string;
  logTimestamp: boolean;
  noPush: boolean;
  pushRetry: number;
  ignorePaths: string[];
  compression: string;
  skipPushPermissionCheck: boolean;
  positional: string[];
}

type Kind = 'string' | 'bool' | 'list' | 'int' | 'map' | 'ignored-string' | 'ignored-bool';
interface FlagSpec {
  key?: keyof KanikoFlags;
  kind: Kind;
  short?: string;
}

const spec: Record<string, FlagSpec> = {
  dockerfile: { key: 'dockerfile', kind: 'string', short: 'f' },
  context: { key: 'context', kind: 'string', short: 'c' },
  'context-sub-path': { key: 'contextSubPath', kind: 'string' },
  destination: { key: 'destinations', kind: 'list', short: 'd' },
  'build-arg': { key: 'buildArgs', kind: 'list' },
  label: { key: 'labels', kind: 'list' },
  target: { key: 'target', kind: 'string' },
  'digest-file': { key: 'digestFile', kind: 'string' },
  'image-name-with-digest-file': { key: 'imageNameWithDigestFile', kind: 'string' },
  'image-name-tag-with-digest-file': { key: 'imageNameTagWithDigestFile', kind: 'string' },
  cache: { key: 'cache', kind: 'bool' },
  'cache-repo': { key: 'cacheRepo', kind: 'string' },
  insecure: { key: 'insecure', kind: 'bool' },
  'insecure-pull': { key: 'insecurePull', kind: 'bool' },
  'insecure-registry': { key: 'insecureRegistries', kind: 'list' },
  'skip-tls-verify': { key: 'skipTlsVerify', kind: 'bool' },
  'skip-tls-verify-pull': { key: 'skipTlsVerifyPull', kind: 'bool' },
  'skip-tls-verify-registry': { key: 'skipTlsVerifyRegistries', kind: 'list' },
  'registry-certificate': { key: 'registryCertificates', kind: 'map' },
  verbosity: { key: 'verbosity', kind: 'string', short: 'v' },
  'log-format': { key: 'logFormat', kind: 'string' },
  'log-timestamp': { key: 'logTimestamp', kind: 'bool' },
  'no-push': { key: 'noPush', kind: 'bool' },
  'push-retry': { key: 'pushRetry', kind: 'int' },
  'ignore-path': { key: 'ignorePaths', kind: 'list' },
  compression: { key: 'compression', kind: 'string' },
  'skip-push-permission-check': { key: 'skipPushPermissionCheck', kind: 'bool' },
  // Accepted and without effect in the sandbox.
  'snapshot-mode': { kind: 'ignored-string' },
  'cache-dir': { kind: 'ignored-string' },
  'cache-ttl': { kind: 'ignored-string' },
  'custom-platform': { kind: 'ignored-string' },
  'tar-path': { kind: 'ignored-string' },
  'kaniko-dir': { kind: 'ignored-string' },
  'registry-mirror': { kind: 'ignored-string' },
  'registry-map': { kind: 'ignored-string' },
  'image-download-retry': { kind: 'ignored-string' },
  'compression-level': { kind: 'ignored-string' },
  'cache-copy-layers': { kind: 'ignored-bool' },
  'cache-run-layers': { kind: 'ignored-bool' },
  'compressed-caching': { kind: 'ignored-bool' },
  'single-snapshot': { kind: 'ignored-bool' },
  reproducible: { kind: 'ignored-bool' },
  'skip-unused-stages': { kind: 'ignored-bool' },
  'use-new-run': { kind: 'ignored-bool' },
  cleanup: { kind: 'ignored-bool' },
  force: { kind: 'ignored-bool' },
  'ignore-var-run': { kind: 'ignored-bool' },
  'no-push-cache': { kind: 'ignored-bool' },
};

/** What cobra prints for a bad command line; the executor then exits 1. */
export class FlagError extends Error {}

function defaults(): KanikoFlags {
  return {
    dockerfile: 'Dockerfile',
    context: '/workspace/',
    contextSubPath: '',
    destinations: [],
    buildArgs: [],
    labels: [],
    target: '',
    digestFile: '',
    imageNameWithDigestFile: '',
    imageNameTagWithDigestFile: '',
    cache: false,
    cacheRepo: '',
    insecure: false,
    insecurePull: false,
    insecureRegistries: [],
    skipTlsVerify: false,
    skipTlsVerifyPull: false,
    skipTlsVerifyRegistries: [],
    registryCertificates: new Map(),
    verbosity: 'info',
    logFormat: 'color',
    logTimestamp: false,
    noPush: false,
    pushRetry: 0,
    ignorePaths: [],
    compression: 'gzip',
    skipPushPermissionCheck: false,
    positional: [],
  };
}

function assign(flags: KanikoFlags, name: string, flag: FlagSpec, value: string): void {
  const target = flags as unknown as Record<string, unknown>;
  if (!flag.key) return;
  switch (flag.kind) {
    case 'string':
      target[flag.key] = value;
      break;
    case 'bool':
      if (!/^(true|false|1|0|t|f|TRUE|FALSE|True|False)$/.test(value)) throw new FlagError(`invalid argument "${value}" for "--${name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
      target[flag.key] = /^(true|1|t|TRUE|True)$/.test(value);
      break;
    case 'int':
      if (!/^-?\d+$/.test(value)) throw new FlagError(`invalid argument "${value}" for "--${name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
      target[flag.key] = Number(value);
      break;
    case 'list':
      (target[flag.key] as string[]).push(value);
      break;
    case 'map': {
      const eq = value.indexOf('=');
      if (eq < 0) throw new FlagError(`invalid argument "${value}" for "--${name}" flag: key value pair must be in the form key=value`);
      (target[flag.key] as Map<string, string>).set(value.slice(0, eq), value.slice(eq + 1));
      break;
    }
    default:
      break;
  }
}

const takesValue = (flag: FlagSpec) => flag.kind !== 'bool' && flag.kind !== 'ignored-bool';

export function parseFlags(argv: string[]): KanikoFlags {
  const flags = defaults();
  const shorts = new Map(Object.entries(spec).filter(([, f]) => f.short).map(([name, f]) => [f.short as string, name]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      flags.positional.push(...argv.slice(i + 1));
      break;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (!spec[name]) throw new FlagError(`unknown flag: --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      const letter = arg[1];
      const long = shorts.get(letter);
      if (!long) throw new FlagError(`unknown shorthand flag: '${letter}' in ${arg}`);
      name = long;
      const rest = arg.slice(2);
      inline = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
    } else {
      flags.positional.push(arg);
      continue;
    }
    const flag = spec[name];
    if (!takesValue(flag)) {
      assign(flags, name, flag, inline ?? 'true');
      continue;
    }
    if (inline === undefined) {
      if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: --${name}`);
      inline = argv[++i];
    }
    assign(flags, name, flag, inline);
  }
  return flags;
}
