// Every command as data: id → handler. Registered in one place; package.json declares the same ids.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx.ts';
import { buildCommand } from './buildFlow.ts';
import { cancelBuild, clearHistory, copyDigest, deletePod, openInstruction, rebuild, showBuild, showBuildLog } from './buildCommands.ts';
import { cleanUpBuildPods, createRegistrySecretCommand, selectKubeContext, selectNamespace } from './clusterCommands.ts';
import type { BuildNode } from '../views/buildNodes.ts';

type Handler = (ctx: Ctx, ...args: never[]) => unknown;

export const COMMANDS: Readonly<Record<string, Handler>> = {
  'kaniko.build': buildCommand,
  'kaniko.buildImage': (ctx: Ctx) => buildCommand(ctx),
  'kaniko.rebuildLast': (ctx: Ctx) => rebuild(ctx),
  'kaniko.cancelBuild': (ctx: Ctx, target?: unknown) => cancelBuild(ctx, target),
  'kaniko.showBuildLog': (ctx: Ctx, target?: unknown) => showBuildLog(ctx, target),
  'kaniko.showBuild': showBuild,
  'kaniko.cleanUpBuildPods': cleanUpBuildPods,
  'kaniko.createRegistrySecret': createRegistrySecretCommand,
  'kaniko.selectKubeContext': selectKubeContext,
  'kaniko.selectNamespace': selectNamespace,
  'kaniko.clearHistory': clearHistory,
  'kaniko.tree.cancel': cancelBuild,
  'kaniko.tree.rebuild': rebuild,
  'kaniko.tree.showLog': showBuildLog,
  'kaniko.tree.copyDigest': copyDigest,
  'kaniko.tree.openInstruction': (ctx: Ctx, node?: BuildNode) => openInstruction(ctx, node),
  'kaniko.tree.deletePod': deletePod,
};

/** Engine failures a command did not handle itself become one readable notification. */
function reportErrors(id: string, run: () => unknown): unknown {
  const fail = (error: unknown): undefined => {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} failed: {1}', id, error instanceof Error ? error.message : String(error)));
    return undefined;
  };
  try {
    const value = run();
    return value instanceof Promise ? value.catch(fail) : value;
  } catch (error) {
    return fail(error);
  }
}

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => reportErrors(id, () => (handler as (ctx: Ctx, ...rest: unknown[]) => unknown)(ctx, ...args))),
  );
}
