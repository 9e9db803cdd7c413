// Right-click → pushed image: Dockerfile, context, destination, build args, credentials, then the engine.
// With `destinations` given (tests, other extensions) no question is asked.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx.ts';
import type { BuildEntry } from '../builds/buildStore.ts';
import { kubeTargetOf } from '../config/readSettings.ts';
import { resolveContextDir } from '../core/context/resolve-dir.ts';
import { toBuildRequest } from '../config/settings.ts';
import type { ClusterDescription } from '../engineLoader.ts';
import { pickDockerfile } from './pickDockerfile.ts';
import { pickDestination } from './pickDestination.ts';
import { askBuildArgs } from './askBuildArgs.ts';
import { ensurePushCredentials, existingSecret } from './registrySecret.ts';
import { confirmContextOutsideWorkspace, confirmContextSize } from './confirmContext.ts';
import type { PushCredentials } from './registrySecret.ts';

export interface BuildCommandOptions {
  readonly dockerfile: vscode.Uri | string;
  readonly destinations?: readonly string[];
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly contextDir?: string;
  readonly target?: string;
}

/** Workspace trust gate shared by every command that starts a build. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = vscode.l10n.t('Manage Workspace Trust');
  void vscode.window
    .showWarningMessage(vscode.l10n.t("Building is disabled in an untrusted workspace: the Dockerfile's RUN instructions would execute in your cluster namespace with your credentials."), manage)
    .then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

function asOptions(target: unknown): Partial<BuildCommandOptions> {
  if (target instanceof vscode.Uri) return { dockerfile: target };
  if (target && typeof target === 'object' && 'dockerfile' in target) return target as BuildCommandOptions;
  return {};
}

/** `kaniko.build` and `kaniko.buildImage`: the id of the started build, or undefined when stopped. */
export async function buildCommand(ctx: Ctx, target?: unknown): Promise<string | undefined> {
  if (!requireTrust()) return undefined;
  const options = asOptions(target);
  const uri = options.dockerfile ? (typeof options.dockerfile === 'string' ? vscode.Uri.file(options.dockerfile) : options.dockerfile) : await pickDockerfile();
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Save the Dockerfile to a folder first: the build context is packaged from files on disk.'));
    return undefined;
  }
  await vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString() && doc.isDirty)?.save();
  const dockerfile = uri.fsPath;
  const settings = ctx.settings(uri);
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  const contextDir = options.contextDir ?? resolveContextDir(dockerfile, workspaceFolder, settings.contextRoot);
  if (!options.contextDir && !(await confirmContextOutsideWorkspace(contextDir, workspaceFolder))) return undefined;
  const interactive = options.destinations === undefined;
  const state = ctx.extension.workspaceState;
  const kube = kubeTargetOf(settings);
  const engine = await ctx.engine();

  let cluster: ClusterDescription | undefined;
  let credentials: PushCredentials;
  let destinations = options.destinations;
  let buildArgs = options.buildArgs;
  if (interactive) {
    // A cluster that cannot be described is not an error here: the build reports it with the reason and the fix.
    cluster = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Kaniko: connecting to the cluster…') }, () => engine.describeCluster(kube).catch(() => undefined));
    destinations = await pickDestination(state, dockerfile, cluster, settings.defaultRegistry);
    if (!destinations) return undefined;
    buildArgs ??= await askBuildArgs(state, dockerfile, settings.buildArgs);
    if (!buildArgs) return undefined;
    if (!(await confirmContextSize(contextDir, dockerfile, settings.contextSizeWarningMb))) return undefined;
    const chosen = await ensurePushCredentials(engine, kube, settings.secretName, destinations, cluster, state);
    if (!chosen) return undefined;
    credentials = chosen;
  } else {
    credentials = await existingSecret(engine, kube, settings.secretName);
  }
  const request = toBuildRequest(settings, {
    dockerfile,
    contextDir,
    destinations: destinations ?? [],
    buildArgs,
    target: options.target,
    ...credentials,
  });
  const entry: BuildEntry = await ctx.runBuild(request, cluster?.context);
  return entry.record.snapshot.id;
}
