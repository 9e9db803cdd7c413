// ARGs without a default and not set in settings are asked for; answers are remembered per Dockerfile.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { buildArgNames, parseDockerfile } from '../core/dockerfile/index.ts';

const KEY = 'kaniko.buildArgs';
// kaniko fills these itself (platform ARGs).
const AUTOMATIC = new Set(['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT']);

/** Undefined when the user dismissed a prompt (the build is not started). */
export async function askBuildArgs(state: vscode.Memento, dockerfile: string, configured: Readonly<Record<string, string>>): Promise<Record<string, string> | undefined> {
  const text = await readFile(dockerfile, 'utf8').catch(() => '');
  const wanted = buildArgNames(parseDockerfile(text)).filter((arg) => arg.defaultValue === undefined && !AUTOMATIC.has(arg.name) && !(arg.name in configured));
  const remembered = state.get<Record<string, Record<string, string>>>(KEY, {});
  const values: Record<string, string> = { ...remembered[dockerfile] };
  for (const arg of wanted) {
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Build argument {0}', arg.name),
      prompt: vscode.l10n.t('ARG {0} (line {1}) has no default. Value to pass with --build-arg:', arg.name, arg.line),
      value: values[arg.name] ?? '',
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    values[arg.name] = value;
  }
  const asked = Object.fromEntries(wanted.map((arg) => [arg.name, values[arg.name]]));
  if (wanted.length > 0) await state.update(KEY, { ...remembered, [dockerfile]: { ...remembered[dockerfile], ...asked } });
  return asked;
}
