// Kube context, namespace, registry secret and clean-up: the cluster side of the palette.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx.ts';
import { kubeTargetOf, settingsTarget } from '../config/readSettings.ts';
import { createRegistrySecret } from './registrySecret.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export async function selectKubeContext(ctx: Ctx): Promise<void> {
  const settings = ctx.settings();
  const engine = await ctx.engine();
  let listed;
  try {
    listed = engine.listContexts(settings.kubeconfig.trim() || undefined);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot read the kubeconfig: {0}', error instanceof Error ? error.message : String(error)));
    return;
  }
  const current = settings.kubeContext || listed.current;
  const items = [
    { label: vscode.l10n.t('Current context of the kubeconfig'), description: listed.current, value: '' },
    ...listed.contexts.map((context) => ({ label: context.name, description: [context.cluster, context.namespace].filter(Boolean).join(' · '), picked: context.name === current, value: context.name })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Select Kube Context'), placeHolder: current });
  if (!picked) return;
  await vscode.workspace.getConfiguration('kaniko').update('kubeContext', picked.value, settingsTarget());
}

export async function selectNamespace(ctx: Ctx): Promise<void> {
  const settings = ctx.settings();
  const engine = await ctx.engine();
  // Listing namespaces is often forbidden on shared clusters: then the name is typed.
  const names = await engine.listNamespaces(kubeTargetOf({ ...settings, namespace: '' })).catch(() => [] as string[]);
  const typedLabel = `$(edit) ${vscode.l10n.t('Enter a namespace…')}`;
  let value: string | undefined;
  if (names.length > 0) {
    const picked = await vscode.window.showQuickPick([{ label: vscode.l10n.t("The context's namespace"), value: '' }, ...names.map((name) => ({ label: name, value: name })), { label: typedLabel, value: undefined }], {
      title: vscode.l10n.t('Select Namespace'),
    });
    if (!picked) return;
    value = picked.value;
  }
  value ??= await vscode.window.showInputBox({
    title: vscode.l10n.t('Select Namespace'),
    prompt: vscode.l10n.t('Namespace (OpenShift project) for build pods; empty uses the context namespace'),
    value: settings.namespace,
    validateInput: (v) => (v === '' || (DNS_LABEL.test(v) && v.length <= 63) ? undefined : vscode.l10n.t('A namespace is a DNS label: lower-case letters, digits and "-".')),
  });
  if (value === undefined) return;
  await vscode.workspace.getConfiguration('kaniko').update('namespace', value, settingsTarget());
}

export async function createRegistrySecretCommand(ctx: Ctx): Promise<void> {
  const settings = ctx.settings();
  const engine = await ctx.engine();
  try {
    await createRegistrySecret(engine, kubeTargetOf(settings), settings.secretName);
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot create the secret: {0}', error instanceof Error ? error.message : String(error)));
  }
}

export async function cleanUpBuildPods(ctx: Ctx): Promise<void> {
  const engine = await ctx.engine();
  try {
    const removed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deleting finished build pods…') }, () => engine.cleanUpBuildPods(kubeTargetOf(ctx.settings())));
    const count = Array.isArray(removed) ? removed.length : typeof removed === 'number' ? removed : undefined;
    void vscode.window.showInformationMessage(count === undefined ? vscode.l10n.t('Finished build pods deleted.') : vscode.l10n.t('{0} build pods deleted.', count));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Cannot clean up build pods: {0}', error instanceof Error ? error.message : String(error)));
  }
}
