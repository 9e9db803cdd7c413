// The destination prompt: last destinations of this Dockerfile, the computed default, or a typed reference (validated).
import * as vscode from 'vscode';
import { validateImageReference } from '../core/registry/index.ts';
import { defaultDestination, rememberDestinations, splitDestinations } from './destinations.ts';

const KEY = 'kaniko.destinations';

function validate(text: string): string | undefined {
  const parts = splitDestinations(text);
  if (parts.length === 0) return vscode.l10n.t('Enter an image reference, e.g. quay.io/myorg/app:latest');
  for (const part of parts) {
    const problem = validateImageReference(part);
    if (problem) return `${part}: ${problem}`;
  }
  return undefined;
}

export async function pickDestination(
  state: vscode.Memento,
  dockerfile: string,
  cluster: { openshift: boolean; namespace: string } | undefined,
  defaultRegistry: string,
): Promise<string[] | undefined> {
  const remembered = state.get<Record<string, string[]>>(KEY, {});
  const previous = remembered[dockerfile] ?? [];
  const suggested = defaultDestination(dockerfile, cluster, defaultRegistry);
  const items: Array<vscode.QuickPickItem & { value?: string }> = [
    ...previous.map((value) => ({ label: value, description: vscode.l10n.t('last used'), value })),
    ...(suggested && !previous.includes(suggested) ? [{ label: suggested, description: cluster?.openshift ? vscode.l10n.t('OpenShift internal registry') : vscode.l10n.t('from kaniko.defaultRegistry'), value: suggested }] : []),
    { label: `$(edit) ${vscode.l10n.t('Enter image reference…')}`, alwaysShow: true },
  ];
  let chosen: string | undefined;
  if (items.length > 1) {
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Push the image to'), placeHolder: vscode.l10n.t('Image reference(s) to push') });
    if (!picked) return undefined;
    chosen = picked.value;
  }
  chosen ??= await vscode.window.showInputBox({
    title: vscode.l10n.t('Push the image to'),
    prompt: vscode.l10n.t('Image reference(s), separated by commas, e.g. quay.io/myorg/app:latest'),
    value: suggested ?? previous[0] ?? '',
    validateInput: validate,
    ignoreFocusOut: true,
  });
  if (!chosen || validate(chosen)) return undefined;
  const destinations = splitDestinations(chosen);
  await state.update(KEY, { ...remembered, [dockerfile]: rememberDestinations(previous, destinations) });
  return destinations;
}
