// Commands on builds that exist: cancel, show, rebuild, copy digest, open the instruction, delete the pod.
// Each accepts a tree node, a build id or nothing (then the latest, or a pick among running builds).
import * as vscode from 'vscode';
import type { Ctx } from '../ctx.ts';
import type { BuildEntry } from '../builds/buildStore.ts';
import type { BuildNode } from '../views/buildNodes.ts';
import { isRunning } from '../builds/buildRecord.ts';
import { imageShortName } from '../format.ts';
import { requireTrust } from './buildFlow.ts';
import { askBuildArgs } from './askBuildArgs.ts';
import { parseImageReference, repositoryOf } from '../core/registry/index.ts';

function entryFor(ctx: Ctx, target: unknown): BuildEntry | undefined {
  const id = typeof target === 'string' ? target : (target as BuildNode | undefined)?.buildId;
  return id ? ctx.store.get(id) : undefined;
}

async function pickBuild(entries: readonly BuildEntry[], placeHolder: string): Promise<BuildEntry | undefined> {
  if (entries.length <= 1) return entries[0];
  const picked = await vscode.window.showQuickPick(
    entries.map((entry) => ({ label: imageShortName(entry.record.snapshot.request.destinations[0] ?? ''), description: entry.record.snapshot.request.destinations.join(', '), entry })),
    { placeHolder },
  );
  return picked?.entry;
}

export async function cancelBuild(ctx: Ctx, target?: unknown): Promise<void> {
  const entry = entryFor(ctx, target) ?? (await pickBuild(ctx.store.running(), vscode.l10n.t('Build to cancel')));
  await entry?.session?.cancel();
}

export async function showBuildLog(ctx: Ctx, target?: unknown): Promise<void> {
  const entry = entryFor(ctx, target) ?? ctx.store.running()[0] ?? ctx.store.list()[0];
  if (!entry) return;
  if (entry.log) entry.log.show(false);
  else void vscode.window.showInformationMessage(vscode.l10n.t('The log of this build is no longer available (it ran before the window was reloaded).'));
}

/** Status bar click: the build in the tree and its log. */
export async function showBuild(ctx: Ctx, target?: unknown): Promise<void> {
  const entry = entryFor(ctx, target) ?? ctx.store.list()[0];
  if (!entry) return;
  const node = ctx.tree.nodes().find((root) => root.buildId === entry.record.snapshot.id);
  if (node) await ctx.treeView.reveal(node, { expand: true, select: true, focus: false });
  entry.log?.show(true);
}

export async function rebuild(ctx: Ctx, target?: unknown): Promise<void> {
  if (!requireTrust()) return;
  const entry = entryFor(ctx, target) ?? ctx.store.list()[0];
  if (!entry) return;
  const { request } = entry.record.snapshot;
  // History keeps no secret-looking build arguments: they are asked for again.
  const buildArgs = request.buildArgs ? await askBuildArgs(ctx.extension.workspaceState, request.dockerfile, request.buildArgs) : {};
  if (!buildArgs) return;
  await ctx.runBuild(request.buildArgs ? { ...request, buildArgs: { ...request.buildArgs, ...buildArgs } } : request, entry.record.context);
}

export async function copyDigest(ctx: Ctx, target?: unknown): Promise<void> {
  const result = entryFor(ctx, target)?.record.snapshot.result;
  const image = result?.images?.[0];
  if (!result?.digest) return;
  const reference = image ? `${repositoryOf(parseImageReference(image.reference))}@${image.digest}` : result.digest;
  await vscode.env.clipboard.writeText(reference);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', reference), 3000);
}

export async function openInstruction(_ctx: Ctx, node?: BuildNode): Promise<void> {
  if (!node?.location) return;
  const line = Math.max(0, node.location.line - 1);
  await vscode.window.showTextDocument(vscode.Uri.file(node.location.file), { selection: new vscode.Range(line, 0, line, 0), preview: true });
}

export async function deletePod(ctx: Ctx, target?: unknown): Promise<void> {
  const entry = entryFor(ctx, target);
  if (!entry?.record.snapshot.pod || isRunning(entry.record.snapshot)) return;
  const { pod, request } = entry.record.snapshot;
  await (await ctx.engine()).deleteBuildPod(request.kube ?? {}, pod.namespace, pod.name);
  ctx.store.remove(entry.record.snapshot.id);
}

export function clearHistory(ctx: Ctx): void {
  ctx.store.clearFinished();
}
