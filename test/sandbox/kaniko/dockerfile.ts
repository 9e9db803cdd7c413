// Just enough Dockerfile parsing to print kaniko's stage and instruction lines; buildah does the real build.
export interface Instruction {
  keyword: string;
  /** As kaniko prints it: `RUN echo hi`, `COPY . .` */
  text: string;
}

export interface Stage {
  index: number;
  /** The FROM image or the name of an earlier stage, ARGs expanded. */
  base: string;
  name?: string;
  /** Index of the stage this one builds on, or -1 for an image. */
  baseIndex: number;
  instructions: Instruction[];
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    if (!current && /^\s*#/.test(raw)) continue;
    if (/\\\s*$/.test(raw)) {
      current += raw.replace(/\\\s*$/, '') + ' ';
      continue;
    }
    current += raw;
    if (current.trim()) lines.push(current.trim());
    current = '';
  }
  if (current.trim()) lines.push(current.trim());
  return lines;
}

const expand = (value: string, args: Map<string, string>) => value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => args.get(a ?? b) ?? '');

export function parseDockerfile(text: string, buildArgs: string[]): Stage[] {
  const args = new Map<string, string>();
  const given = new Map(buildArgs.map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]));
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const match = /^(\w+)\s*(.*)$/s.exec(line);
    if (!match) continue;
    const keyword = match[1].toUpperCase();
    const rest = match[2];
    if (keyword === 'ARG' && stages.length === 0) {
      const [name, value] = rest.split('=');
      args.set(name.trim(), given.get(name.trim()) ?? value?.trim() ?? '');
      continue;
    }
    if (keyword === 'FROM') {
      const words = rest.split(/\s+/).filter((w) => !w.startsWith('--'));
      const base = expand(words[0] ?? '', args);
      const name = words[1]?.toUpperCase() === 'AS' ? words[2] : undefined;
      const baseIndex = stages.findIndex((s) => s.name !== undefined && s.name.toLowerCase() === base.toLowerCase());
      stages.push({ index: stages.length, base, name, baseIndex, instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push({ keyword, text: `${keyword} ${rest}` });
  }
  return stages;
}
