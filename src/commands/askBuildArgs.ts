// ARGs without a default and not set in settings are asked for; answers are remembered per Dockerfile, except for
// secret-looking names (NPM_TOKEN, DB_PASSWORD, …): those go in a password box, are never remembered, and the prompt
// says that build arguments are visible in the pod spec.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { buildArgNames, parseDockerfile } from '../core/dockerfile/index.ts';
import { looksSecret, withoutSecretArgs } from '../core/build/secret-args.ts';

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
    const secret = looksSecret(arg.name);
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Build argument {0}', arg.name),
      prompt: secret
        ? vscode.l10n.t('ARG {0} (line {1}) looks like a secret. Its value will be visible in the pod spec and may stay in the image history; prefer a build secret (RUN --mount=type=secret). Value:', arg.name, arg.line)
        : vscode.l10n.t('ARG {0} (line {1}) has no default. Value to pass with --build-arg:', arg.name, arg.line),
      value: secret ? '' : (values[arg.name] ?? ''),
      password: secret,
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    values[arg.name] = value;
  }
  const asked = Object.fromEntries(wanted.map((arg) => [arg.name, values[arg.name]]));
  if (wanted.length > 0) await state.update(KEY, { ...remembered, [dockerfile]: withoutSecretArgs({ ...remembered[dockerfile], ...asked }) });
  return asked;
}
