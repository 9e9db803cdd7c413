// Checks the context folder and the Dockerfile before anything is read, and works out
// which ignore file applies, exactly as kaniko does: `<Dockerfile>.dockerignore` next to
// the Dockerfile first, else `<context>/.dockerignore`.
import { leavesFolder } from './outside-workspace.ts';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ContextSource } from './model.ts';
import { ContextError, fromFsError } from './errors.ts';
import { readIgnoreFile } from './ignore-file.ts';
import { compileIgnoreRules } from './ignore-rules.ts';
import type { IgnoreRules } from './ignore-rules.ts';
import { matchingName } from './names.ts';

export interface ResolvedContext {
  /** The context folder with symbolic links resolved: the root of the walk. */
  readonly root: string;
  /** POSIX path of the Dockerfile inside the archive. */
  readonly dockerfileInArchive: string;
  /** POSIX path of the ignore file that applies, or undefined. */
  readonly ignoreFile?: string;
  readonly rules: IgnoreRules;
}

const toPosix = (path: string): string => path.split(sep).join('/');

async function resolveContextRoot(contextDir: string): Promise<string> {
  try {
    const info = await stat(contextDir);
    if (!info.isDirectory()) {
      throw new ContextError('NotADirectory', contextDir, 'The build context is a file, not a folder',
        'Choose a folder as the build context (setting kaniko.contextRoot), for example the folder that contains the Dockerfile.');
    }
    return await realpath(contextDir);
  } catch (error) {
    if (error instanceof ContextError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ContextError('ContextMissing', contextDir, 'The build context folder does not exist',
        'Create the folder or choose an existing context folder (setting kaniko.contextRoot).', { cause: error });
    }
    throw fromFsError(error, contextDir);
  }
}

async function resolveDockerfile(dockerfile: string, root: string, contextDir: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(dockerfile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ContextError('DockerfileMissing', dockerfile, 'The Dockerfile does not exist',
        'Save the Dockerfile first, or pick an existing one.', { cause: error });
    }
    throw fromFsError(error, dockerfile);
  }
  const rel = relative(root, real);
  if (rel === '' || leavesFolder(rel)) {
    throw new ContextError('DockerfileOutsideContext', dockerfile, `The Dockerfile is not inside the build context ${contextDir}`,
      'Choose a context folder that contains the Dockerfile (setting kaniko.contextRoot), or move the Dockerfile into the context.');
  }
  const info = await stat(real).catch((error: unknown) => { throw fromFsError(error, dockerfile); });
  if (!info.isFile()) {
    throw new ContextError('DockerfileMissing', dockerfile, 'The Dockerfile path is not a file',
      'Pick the Dockerfile itself, not a folder.');
  }
  return toPosix(rel);
}

/** The ignore file's text; stray bytes that are not UTF-8 read as U+FFFD each, as Docker's Go matcher reads them. */
async function readOptional(path: string): Promise<string | undefined> {
  try {
    return matchingName(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw fromFsError(error, path);
  }
}

export async function resolveContext(source: ContextSource, onWarning?: (warning: string) => void): Promise<ResolvedContext> {
  const root = await resolveContextRoot(source.contextDir);
  const dockerfileInArchive = await resolveDockerfile(source.dockerfile, root, source.contextDir);
  const candidates = [`${dockerfileInArchive}.dockerignore`, '.dockerignore'];
  for (const candidate of candidates) {
    const text = await readOptional(join(root, candidate));
    if (text === undefined) continue;
    const rules = compileIgnoreRules(readIgnoreFile(text), join(root, candidate), [dockerfileInArchive, candidate]);
    if (rules.patternsExclude(dockerfileInArchive)) {
      onWarning?.(`${candidate} excludes the Dockerfile ${dockerfileInArchive}; it is sent anyway (as Docker does) because kaniko needs it.`);
    }
    return { root, dockerfileInArchive, ignoreFile: candidate, rules };
  }
  return { root, dockerfileInArchive, rules: compileIgnoreRules([], '', [dockerfileInArchive]) };
}
