// The contract between the context packager and its callers (engine, CLI, UI).

/** What to package: the folder kaniko sees as its context and the Dockerfile inside it. */
export interface ContextSource {
  /** Absolute path of the build context folder. */
  readonly contextDir: string;
  /** Absolute path of the Dockerfile; it must lie inside contextDir. */
  readonly dockerfile: string;
}

export interface PackOptions {
  readonly signal?: AbortSignal;
  /** gzip level 1-9, default 6 as GNU gzip; 0 writes the plain tar, no gzip at all. */
  readonly compressionLevel?: number;
  /** Keep real mtimes instead of normalising them (owner is always normalised to 0:0). */
  readonly keepTimestamps?: boolean;
  readonly onProgress?: (progress: PackProgress) => void;
  /** Skipped entries (sockets, FIFOs, devices) are reported here, never silently dropped. */
  readonly onWarning?: (warning: string) => void;
  /**
   * Diagnostics: called with the context-relative path of every folder whose listing is read
   * ('' for the context itself). Excluded folders that no `!` exception can reach never are.
   */
  readonly onDirectoryRead?: (path: string) => void;
}

export interface PackProgress {
  readonly files: number;
  /** Bytes of file content read so far. */
  readonly bytes: number;
}

/** What was sent, known once the archive is complete. */
export interface ContextManifest {
  /** Regular files and symbolic links sent (folders not counted). */
  readonly files: number;
  /** Bytes of regular-file content sent. */
  readonly bytes: number;
  /** The Dockerfile's path inside the archive, POSIX, relative (e.g. `app/Dockerfile`). */
  readonly dockerfileInArchive: string;
  /** The ignore file that applied, relative to the context, or undefined when none. */
  readonly ignoreFile?: string;
}

/** Shown before upload: what is about to be sent. */
export interface ContextSummary extends ContextManifest {
  /** Largest top-level folders by bytes included, biggest first (at most 5); files at the root count as '.'. */
  readonly largestDirs: ReadonlyArray<{ readonly path: string; readonly bytes: number; readonly files: number }>;
}
