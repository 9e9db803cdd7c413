// Warnings about Dockerfiles that are valid but known to fail or surprise under kaniko.
import type { ParsedDockerfile } from './parse.ts';

export interface DockerfileHint {
  readonly line: number;
  readonly severity: 'warning' | 'info';
  readonly message: string;
}

const ROOT_USERS = new Set(['root', '0', '0:0', 'root:root', 'root:0', '0:root']);

export function dockerfileHints(parsed: ParsedDockerfile): DockerfileHint[] {
  const hints: DockerfileHint[] = [];
  if (parsed.stages.length === 0) {
    hints.push({ line: 1, severity: 'warning', message: 'The Dockerfile has no FROM instruction; kaniko cannot build it.' });
  }
  for (const stage of parsed.stages) {
    let user: { name: string; line: number } | undefined;
    let warned = false;
    for (const ins of parsed.instructions.filter((i) => i.stage === stage.index)) {
      if (ins.keyword === 'USER') {
        const name = ins.args.split(/\s+/)[0] ?? '';
        user = ROOT_USERS.has(name) ? undefined : { name, line: ins.line };
        warned = false;
      } else if (user && !warned && (ins.keyword === 'COPY' || ins.keyword === 'ADD' || ins.keyword === 'RUN')) {
        // The seed article: a non-root USER before COPY/RUN causes permission errors under kaniko.
        hints.push({
          line: ins.line,
          severity: 'warning',
          message: `${ins.keyword} runs as "${user.name}" (USER on line ${user.line}); kaniko builds as root, and files or commands may fail with "permission denied". Move USER after the ${ins.keyword} or use COPY --chown.`,
        });
        warned = true;
      }
    }
  }
  return hints;
}
