// How many instructions kaniko will print for a Dockerfile (every one but FROM and global ARGs), for "step 4/9".
import { readFile } from 'node:fs/promises';
import { parseDockerfile } from '../core/dockerfile/index.ts';

export async function countSteps(dockerfile: string): Promise<number | undefined> {
  const text = await readFile(dockerfile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const steps = parseDockerfile(text).instructions.filter((ins) => ins.stage >= 0 && ins.keyword !== 'FROM').length;
  return steps > 0 ? steps : undefined;
}
