// kaniko-build: the engine from a terminal. Prints phases and kaniko's log; the last line is the digest
// on success, or the reason and the fix on failure (exit code 1; 130 when interrupted).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBuild } from './core/engine.ts';
import type { BuildEvent, BuildRequest, BuildSession } from './core/build/model.ts';

const USAGE = `Usage: kaniko-build build --dockerfile FILE --destination IMAGE... [options]

Builds FILE with kaniko in a pod on the current kube context and pushes it.

Options:
  --dockerfile F          the Dockerfile (required)
  --context DIR           the build context (default: the Dockerfile's folder)
  --destination IMG       image to push; repeat for several (required)
  --namespace NS          namespace (default: the context's, else "default")
  --kubeconfig PATH       kubeconfig file (default: KUBECONFIG, else ~/.kube/config)
  --context-name CTX      kube context (default: the current context)
  --build-arg K=V         build argument; repeatable
  --target T              target stage
  --secret NAME           docker-registry secret to mount (default: regcred, if present)
  --executor-arg ARG      extra kaniko flag, e.g. --executor-arg=--cache=true; repeatable
  --executor-image IMG    kaniko executor image
  --init-image IMG        image of the init container (needs sh and tar)
  --compression-level N   0 uploads a plain tar (default); 1-9 gzip it first, for a slow link
  --keep-pod              keep the pod after the build
  -h, --help              this text`;

function buildArgs(values: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new Error(`--build-arg needs KEY=VALUE, got "${value}"`);
    args[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return args;
}

function compressionLevel(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]$/.test(value)) throw new Error(`--compression-level needs a number from 0 to 9, got "${value}"`);
  return Number(value);
}

function requestFrom(argv: string[]): BuildRequest | undefined {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dockerfile: { type: 'string' },
      context: { type: 'string' },
      destination: { type: 'string', multiple: true, default: [] },
      namespace: { type: 'string' },
      kubeconfig: { type: 'string' },
      'context-name': { type: 'string' },
      'build-arg': { type: 'string', multiple: true, default: [] },
      target: { type: 'string' },
      secret: { type: 'string' },
      'executor-arg': { type: 'string', multiple: true, default: [] },
      'executor-image': { type: 'string' },
      'init-image': { type: 'string' },
      'compression-level': { type: 'string' },
      'keep-pod': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals[0] !== 'build') return undefined;
  if (!values.dockerfile) throw new Error('--dockerfile is required');
  if (values.destination.length === 0) throw new Error('at least one --destination is required');
  const dockerfile = resolve(values.dockerfile);
  return {
    dockerfile,
    contextDir: resolve(values.context ?? resolve(dockerfile, '..')),
    destinations: values.destination,
    buildArgs: buildArgs(values['build-arg']),
    ...(values.target ? { target: values.target } : {}),
    ...(values.secret !== undefined ? { secretName: values.secret } : {}),
    ...(values['executor-image'] ? { executorImage: values['executor-image'] } : {}),
    ...(values['init-image'] ? { initImage: values['init-image'] } : {}),
    extraArgs: values['executor-arg'],
    kube: { kubeconfig: values.kubeconfig, context: values['context-name'], namespace: values.namespace },
    cleanup: { policy: values['keep-pod'] ? 'keep' : 'delete' },
    compressionLevel: compressionLevel(values['compression-level']),
  };
}

function print(event: BuildEvent): void {
  switch (event.type) {
    case 'phase':
      if (event.state !== 'pending') process.stderr.write(`==> ${event.phase}: ${event.state}${event.detail ? ` (${event.detail})` : ''}\n`);
      break;
    case 'log':
      process.stderr.write(`${event.source === 'engine' ? '--> ' : ''}${event.line}\n`);
      break;
    case 'pod':
      process.stderr.write(`--> pod ${event.namespace}/${event.name}\n`);
      break;
    default:
      break;
  }
}

/** How long a second signal still waits for the cancel (the pod's delete) in flight before the CLI gives up. */
const SECOND_SIGNAL_PATIENCE_MS = 10_000;

/**
 * Ctrl-C, SIGTERM and a closed terminal (SIGHUP) cancel the build, which deletes its pod. A second signal does not
 * kill the CLI mid-delete: it names the command that deletes the pod by hand and waits a bounded time for the delete.
 */
function handleSignals(session: BuildSession): void {
  let pod: { name: string; namespace: string } | undefined;
  session.onEvent((event) => {
    if (event.type === 'pod') pod = { name: event.name, namespace: event.namespace };
  });
  // A closed terminal makes every write fail (EIO, EPIPE); the build's clean-up must outlive its output.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  let signals = 0;
  const interrupt = (): void => {
    signals += 1;
    if (signals === 1) {
      void session.cancel();
      return;
    }
    if (signals === 2) {
      const command = pod ? `kubectl delete pod ${pod.name} -n ${pod.namespace}` : undefined;
      process.stderr.write(`kaniko-build: still cancelling${command ? `; if it does not finish, delete the pod with: ${command}` : ''}\n`);
      setTimeout(() => process.exit(130), SECOND_SIGNAL_PATIENCE_MS).unref();
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, interrupt);
}

async function main(argv: string[]): Promise<number> {
  let request: BuildRequest | undefined;
  try {
    request = requestFrom(argv);
  } catch (error) {
    process.stderr.write(`kaniko-build: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!request) {
    process.stdout.write(`${USAGE}\n`);
    return argv.includes('-h') || argv.includes('--help') ? 0 : 2;
  }
  const session = startBuild(request);
  session.onEvent(print);
  handleSignals(session);
  const result = await session.done;
  if (result.outcome === 'succeeded') {
    for (const image of result.images ?? []) process.stderr.write(`pushed ${image.reference}@${image.digest}\n`);
    process.stdout.write(`${result.digest}\n`);
    return 0;
  }
  process.stderr.write(`${result.outcome === 'cancelled' ? 'cancelled' : `failed (${result.reason})`}: ${result.message}\n`);
  if (result.fix) process.stderr.write(`fix: ${result.fix}\n`);
  return result.outcome === 'cancelled' ? 130 : 1;
}

// No top-level await: the CLI is bundled as CommonJS.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
