// Every failure of the packager is a ContextError: a code callers can switch on,
// the path concerned, and a plain-words fix the UI can show as is.
import { displayPath, shellWord } from './names.ts';
import type { FsPath } from './names.ts';

export type ContextErrorCode =
  | 'ContextMissing'
  | 'NotADirectory'
  | 'DockerfileMissing'
  | 'DockerfileOutsideContext'
  | 'Unreadable'
  | 'Vanished'
  | 'FileChanged'
  | 'SymlinkLoop'
  | 'NameTooLong'
  | 'BadIgnorePattern';

export class ContextError extends Error {
  readonly code: ContextErrorCode;
  /** The path concerned, absolute (or the ignore file for BadIgnorePattern). */
  readonly path: string;
  /** What the user should do, in plain words. */
  readonly fix: string;

  constructor(code: ContextErrorCode, path: string, message: string, fix: string, options?: { cause?: unknown }) {
    super(`${message} (${path}). ${fix}`, options);
    this.name = 'ContextError';
    this.code = code;
    this.path = path;
    this.fix = fix;
  }
}

/** The cancellation error: `name` is 'AbortError' like fetch and node streams. */
export function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error('Packing the build context was cancelled', { cause: signal?.reason });
  error.name = 'AbortError';
  return error;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/**
 * Turns a Node fs error met while reading `at` into a ContextError with a fix.
 * Errors that are not about the file system (no errno code) are returned unchanged.
 */
export function fromFsError(error: unknown, at: FsPath): unknown {
  const path = displayPath(at);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new ContextError('Unreadable', path, 'Cannot read a file of the build context: permission denied',
        `Give yourself read access (for example \`chmod u+r ${shellWord(at)}\`, and u+x for a folder) or add it to .dockerignore.`, { cause: error });
    case 'ENOENT':
    case 'ENOTDIR':
      return new ContextError('Vanished', path, 'A file of the build context disappeared while it was being packed',
        'Wait until the tool writing into the context folder has finished, then build again.', { cause: error });
    case 'ELOOP':
      return new ContextError('SymlinkLoop', path, 'A symbolic link points to itself in a loop',
        `Fix or remove the link (\`ls -l ${shellWord(at)}\` shows its target).`, { cause: error });
    case 'ENAMETOOLONG':
      return new ContextError('NameTooLong', path, 'A path in the build context is longer than this system allows (ENAMETOOLONG)',
        'Add the deep folder to .dockerignore, or shorten its folder names.', { cause: error });
    case 'EIO':
    case 'EISDIR':
    case 'EMFILE':
    case 'ENFILE':
      return new ContextError('Unreadable', path, `Cannot read a file of the build context (${code})`,
        'Check the disk and that the file can be opened, or add it to .dockerignore.', { cause: error });
    default:
      return error;
  }
}

export function fileChanged(path: FsPath, expected: number, actual: string): ContextError {
  return new ContextError('FileChanged', displayPath(path), `A file changed size while it was being packed (expected ${expected} bytes, ${actual})`,
    'Wait until the tool writing this file has finished (or add it to .dockerignore), then build again.');
}
