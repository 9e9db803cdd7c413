// Which files count as Dockerfiles. One source for the menus' `when` clauses, the workspace search and the picker.

/**
 * File names VS Code's built-in `dockerfile` language does not always cover:
 * `Dockerfile`, `Containerfile`, `Dockerfile.<variant>` (not `.md`/`.txt` notes), `*.Dockerfile`, `*.containerfile`.
 */
export const DOCKERFILE_NAME_PATTERN =
  '^(Dockerfile|Containerfile)(\\.(?!(md|txt)$)[^.]+)*$|\\.(Dockerfile|dockerfile|Containerfile|containerfile)$';

/** The `when` clause of every Dockerfile menu entry (workspace trust is part of it: RUN lines execute in the user's namespace). */
export const DOCKERFILE_WHEN = `isWorkspaceTrusted && resourceScheme != untitled && (resourceLangId == dockerfile || resourceFilename =~ /${DOCKERFILE_NAME_PATTERN}/)`;

/** Glob for `workspaceContains` activation and the Build Image picker. */
export const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Containerfile.*,*.containerfile,*.Containerfile}';

const nameRegex = new RegExp(DOCKERFILE_NAME_PATTERN);

export function isDockerfileName(fileName: string): boolean {
  return nameRegex.test(fileName);
}
