// The sandbox's kaniko executor: kaniko's command line, messages and exit codes; buildah does the build and the push.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BuildOutput } from './build-output.ts';
import { Buildah } from './buildah.ts';
import { parseDockerfile } from './dockerfile.ts';
import { FlagError, parseFlags, type KanikoFlags } from './flags.ts';
import { Logger } from './logger.ts';
import { checkPushPermission, isSandboxRegistry, offlineError, parseReference, readCredentials, resolveTransport, type Reference, type Transport } from './registry-access.ts';

const usage = 'Usage:\n  executor [flags]\n  executor [command]\n\nAvailable Commands:\n  help        Help about any command\n  version     Print the version number of kaniko\n\nUse "executor [command] --help" for more information about a command.\n';

/** A PersistentPreRunE failure: cobra prints `Error: …` and the usage; main exits 1. */
function preRunFailure(message: string): never {
  process.stderr.write(`Error: ${message}\n${usage}`);
  process.exit(1);
}

/** kaniko's exit(): the error on stderr, the failed command's exit code or 1. */
function fail(message: string, code = 1): never {
  process.stderr.write(message + '\n');
  process.exit(code);
}

function sandboxConfig(): { registryMap: Record<string, string> } {
  try {
    return JSON.parse(readFileSync('/kaniko/.sandbox.json', 'utf8'));
  } catch {
    return { registryMap: {} };
  }
}

/** dir://, tar://path and tar://stdin (gzip) as kaniko's buildcontext package resolves them. */
async function resolveContext(flags: KanikoFlags): Promise<string> {
  const context = flags.context;
  if (!context) preRunFailure('error resolving source context: please specify a path to the build context with the --context flag or a bucket with the --bucket flag');
  if (!context.includes('://')) return context;
  let dir: string;
  if (context.startsWith('dir://')) {
    dir = context.slice('dir://'.length);
  } else if (context.startsWith('tar://')) {
    dir = '/kaniko/buildcontext';
    await mkdir(dir, { recursive: true });
    const source = context.slice('tar://'.length);
    try {
      execFileSync('tar', ['-xzf', source === 'stdin' ? '-' : source, '-C', dir], { stdio: [source === 'stdin' ? 'inherit' : 'ignore', 'ignore', 'pipe'] });
    } catch (error) {
      preRunFailure(`error resolving source context: ${(error as Error).message}`);
    }
  } else {
    preRunFailure(`error resolving source context: the sandbox's kaniko supports dir:// and tar:// contexts, not ${context.split('://')[0]}://`);
  }
  if (flags.contextSubPath) {
    dir = join(dir, flags.contextSubPath);
    if (!existsSync(dir)) preRunFailure(`error resolving source context: stat ${dir}: no such file or directory`);
  }
  return dir;
}

function resolveDockerfile(flags: KanikoFlags, context: string): string {
  if (existsSync(flags.dockerfile)) return resolve(flags.dockerfile);
  const inContext = join(context, flags.dockerfile);
  if (existsSync(inContext)) return resolve(inContext);
  return preRunFailure('error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile');
}

/** kaniko's util.Retry: 1 s, 2 s, 4 s… between attempts, a warning before each retry. Resolves with the last error, if any. */
async function retry(retries: number, logger: Logger, attempt: () => Promise<string | undefined>): Promise<string | undefined> {
  let error = await attempt();
  for (let count = 0; error !== undefined && count < retries; count++) {
    const delay = 2 ** count;
    logger.warn(`Retrying operation after ${delay}s due to ${error}`);
    await new Promise((resolve) => setTimeout(resolve, delay * 1000));
    error = await attempt();
  }
  return error === undefined || retries === 0 ? error : `unable to complete operation after ${retries + 1} attempts, last error: ${error}`;
}

async function main(): Promise<void> {
  let flags: KanikoFlags;
  try {
    flags = parseFlags(process.argv.slice(2));
  } catch (error) {
    if (error instanceof FlagError) preRunFailure(error.message);
    throw error;
  }
  if (flags.positional[0] === 'version') {
    process.stdout.write('Kaniko version :  v1.24.0 (kaniko-build sandbox stand-in)\n');
    return;
  }
  let logger: Logger;
  try {
    logger = new Logger({ verbosity: flags.verbosity, format: flags.logFormat, timestamps: flags.logTimestamp });
  } catch (error) {
    return preRunFailure((error as Error).message);
  }
  if (!flags.noPush && flags.destinations.length === 0) preRunFailure('you must provide --destination, or use --no-push');
  if (flags.cache && !flags.cacheRepo && flags.noPush) preRunFailure('cache flags invalid: if using cache with --no-push, specify cache repo with --cache-repo');
  const context = await resolveContext(flags);
  const dockerfile = resolveDockerfile(flags, context);
  if (flags.destinations.length === 0 && flags.imageNameWithDigestFile) preRunFailure('you must provide --destination if setting ImageNameDigestFile');

  const { registryMap } = sandboxConfig();
  const credentials = readCredentials(process.env.DOCKER_CONFIG ?? '/kaniko/.docker/');
  const destinations = flags.destinations.map((d) => ({ name: d, ref: parseReference(d, registryMap) }));
  const transports = new Map<string, Transport>();
  const transportFor = async (ref: Reference) => {
    const known = transports.get(ref.registry);
    if (known) return known;
    const transport = await resolveTransport(flags, ref);
    transports.set(ref.registry, transport);
    return transport;
  };
  if (!flags.noPush && !flags.skipPushPermissionCheck) {
    for (const { name, ref } of destinations) {
      try {
        await checkPushPermission(await transportFor(ref), ref, credentials.get(ref.registry));
      } catch (error) {
        // The fork's root.go: a warning first, then the wrapped error (v1.24 put the advice inside the error).
        logger.warn('make sure you entered the correct tag name, that you are authenticated correctly, and try again.');
        fail(`error checking push permissions: checking push permission for "${name}": ${(error as Error).message}`);
      }
    }
  }

  const stages = parseDockerfile(await readFile(dockerfile, 'utf8'), flags.buildArgs);
  const buildah = new Buildah('/var/lib/kaniko-standin');
  // go-containerregistry (name.Registry.Scheme) lets loopback registries answer over plain HTTP: so may bases here.
  const loopbackBases = stages.map((stage) => parseReference(stage.base, registryMap).connectTo).filter(isSandboxRegistry);
  await buildah.prepare(registryMap, loopbackBases);
  const dockerignore = existsSync(`${dockerfile}.dockerignore`) ? `${dockerfile}.dockerignore` : existsSync(join(context, '.dockerignore')) ? join(context, '.dockerignore') : undefined;
  if (dockerignore) logger.info(`Using dockerignore file: ${dockerignore}`);
  const stageNames = new Set(stages.map((s) => s.name?.toLowerCase()));
  for (const stage of stages) {
    if (stage.base === 'scratch' || stageNames.has(stage.base.toLowerCase())) continue;
    logger.info(`Retrieving image manifest ${stage.base}`);
    const base = parseReference(stage.base, registryMap);
    if (!(await buildah.provideBaseImage(stage.base)) && !isSandboxRegistry(base.connectTo)) {
      // The sandbox has no network: only its own registries (127.0.0.1) can serve a base image.
      fail(`error building image: unable to complete operation after 0 attempts, last error: ${offlineError(base.registry)}`);
    }
    logger.info(`Retrieving image ${stage.base} from registry ${base.registry}`);
  }
  logger.info('Built cross stage deps: map[]');

  // Pull settings for bases in the sandbox registries: credentials and certificates by registry name, as kaniko takes them.
  const pullAuth = new Map<string, string>();
  for (const [host, auth] of credentials) {
    pullAuth.set(host, auth);
    if (registryMap[host]) pullAuth.set(registryMap[host], auth);
  }
  const budArgs = ['bud', '--isolation', 'chroot', '--layers=false', '--pull=missing', '-f', dockerfile, '-t', 'localhost/kaniko-standin:build', '--authfile', await buildah.writeAuthFile(pullAuth)];
  if (flags.insecurePull || flags.skipTlsVerifyPull) budArgs.push('--tls-verify=false');
  if (flags.registryCertificates.size) budArgs.push('--cert-dir', await buildah.certDir('pull', [...flags.registryCertificates.values()]));
  for (const arg of flags.buildArgs) budArgs.push('--build-arg', arg);
  for (const label of flags.labels) budArgs.push('--label', label);
  if (flags.target) budArgs.push('--target', flags.target);
  if (dockerignore) budArgs.push('--ignorefile', dockerignore);
  budArgs.push(context);
  const cacheRepo = flags.cache ? flags.cacheRepo || (destinations[0] ? `${destinations[0].ref.registry}/${destinations[0].ref.repository}/cache` : undefined) : undefined;
  const output = new BuildOutput(stages, logger, cacheRepo);
  const built = await buildah.run(budArgs, (line) => output.stdoutLine(line), (line) => output.stderrLine(line));
  output.end();
  if (built.code !== 0) {
    await buildah.cleanUp();
    const runExit = /exit status (\d+)$/.exec(output.lastError);
    if (runExit && /building at STEP "RUN/.test(output.lastError)) fail(`error building image: error building stage: failed to execute command: waiting for process to exit: exit status ${runExit[1]}`, Number(runExit[1]));
    fail(`error building image: ${output.lastError || built.stderr.split('\n').at(-1)}`);
  }

  let digest = '';
  if (flags.noPush) {
    const images = await buildah.run(['images', '--digests', '--format', '{{.Digest}}', 'localhost/kaniko-standin:build'], (line) => (digest ||= line.trim()));
    if (images.code !== 0) fail(`error building image: ${images.stderr}`);
    logger.info('Skipping push to container registry due to --no-push flag');
  }
  for (const { name, ref } of flags.noPush ? [] : destinations) {
    const transport = await transportFor(ref);
    const pushArgs = ['push', '--retry', '0', '--digestfile', join(buildah.work, 'digest')];
    const auth = credentials.get(ref.registry);
    pushArgs.push('--authfile', await buildah.writeAuthFile(new Map(auth ? [[ref.connectTo, auth]] : [])));
    if (transport.scheme === 'http' || !transport.verify) pushArgs.push('--tls-verify=false');
    const certificate = flags.registryCertificates.get(ref.registry);
    if (certificate && transport.scheme === 'https' && transport.verify) pushArgs.push('--cert-dir', await buildah.certDir(ref.registry.replace(/[^\w.-]/g, '_'), [certificate]));
    if (flags.compression === 'zstd') pushArgs.push('--compression-format', 'zstd');
    pushArgs.push('localhost/kaniko-standin:build', `docker://${ref.connectTo}/${ref.repository}:${ref.tag}`);
    logger.info(`Pushing image to ${name}`);
    const error = await retry(flags.pushRetry, logger, async () => {
      const pushed = await buildah.run(pushArgs);
      return pushed.code === 0 ? undefined : (pushed.stderr.split('\n').filter(Boolean).at(-1)?.replace(/^Error: /, '') ?? `exit status ${pushed.code}`);
    });
    if (error) {
      await buildah.cleanUp();
      fail(`error pushing image: failed to push to destination ${name}: ${error}`);
    }
    digest = (await readFile(join(buildah.work, 'digest'), 'utf8')).trim();
    logger.info(`Pushed ${ref.registry}/${ref.repository}@${digest}`);
  }
  await buildah.cleanUp();
  if (flags.digestFile) writeFileSync(flags.digestFile, digest);
  const named = (withTag: boolean) => destinations.map(({ ref }) => `${ref.registry}/${ref.repository}${withTag ? `:${ref.tag}` : ''}@${digest}\n`).join('');
  if (flags.imageNameWithDigestFile) writeFileSync(flags.imageNameWithDigestFile, named(false));
  if (flags.imageNameTagWithDigestFile) writeFileSync(flags.imageNameTagWithDigestFile, named(true));
}

await main();
