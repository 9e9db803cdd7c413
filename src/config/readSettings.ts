// Reads `kaniko.*` into the typed settings value (defaults come from package.json).
import * as vscode from 'vscode';
import type { KanikoSettings } from './settings.ts';
import type { KubeTarget } from '../core/build/model.ts';

export function readSettings(scope?: vscode.Uri): KanikoSettings {
  const config = vscode.workspace.getConfiguration('kaniko', scope);
  const get = <T>(key: keyof KanikoSettings, fallback: T): T => config.get<T>(key, fallback);
  return {
    executorImage: get('executorImage', ''),
    initImage: get('initImage', ''),
    namespace: get('namespace', ''),
    kubeconfig: get('kubeconfig', ''),
    kubeContext: get('kubeContext', ''),
    serviceAccount: get('serviceAccount', ''),
    secretName: get('secretName', 'regcred'),
    contextRoot: get('contextRoot', 'workspaceFolder'),
    defaultRegistry: get('defaultRegistry', ''),
    extraExecutorArgs: get('extraExecutorArgs', []),
    buildArgs: get('buildArgs', {}),
    cache: get('cache', false),
    cacheRepo: get('cacheRepo', ''),
    resources: get('resources', undefined),
    deadlineSeconds: get('deadlineSeconds', 1800),
    scheduleTimeoutSeconds: get('scheduleTimeoutSeconds', 300),
    cleanupPolicy: get('cleanupPolicy', 'delete'),
    keepFailedMinutes: get('keepFailedMinutes', 30),
    compressionLevel: get('compressionLevel', 0),
    contextSizeWarningMb: get('contextSizeWarningMb', 100),
    historySize: get('historySize', 20),
    ...vsCodeProxy(),
  };
}

/** VS Code's own proxy settings, which a user behind a proxy sets once for every extension. */
function vsCodeProxy(): Pick<KanikoSettings, 'proxy'> {
  const http = vscode.workspace.getConfiguration('http');
  const proxy = http.get<string>('proxy', '').trim();
  if (!proxy) return {};
  return { proxy: { httpsProxy: proxy, httpProxy: proxy, noProxy: http.get<string[]>('noProxy', []).join(',') } };
}

/** The cluster the settings point at; empty fields mean kubectl's defaults. */
export function kubeTargetOf(settings: KanikoSettings): KubeTarget {
  const value = (text: string): string | undefined => text.trim() || undefined;
  return { kubeconfig: value(settings.kubeconfig), context: value(settings.kubeContext), namespace: value(settings.namespace), ...(settings.proxy ? { proxy: settings.proxy } : {}) };
}

/** Settings chosen by the pickers go to the workspace when one is open, else to the user settings. */
export function settingsTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}
