// Loads kubeconfig the way kubectl does. client-node's loadFromDefault lets a later KUBECONFIG file's
// current-context win; kubectl takes the first file that sets it, and first-wins for every map entry.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import type { KubeTarget } from '../build/model.ts';
import { KubeconfigError } from './errors.ts';

/** A usable cluster connection: the client-node config with the chosen context current. */
export interface KubeConnection {
  readonly config: KubeConfig;
  readonly context: string;
  readonly cluster: Cluster;
  readonly user: User;
  readonly namespace: string;
  /** The files it came from, for messages. */
  readonly files: readonly string[];
}

/** kubectl's precedence: an explicit path, else every file in KUBECONFIG that exists, else ~/.kube/config. */
export function kubeconfigFiles(explicit?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit) return [explicit];
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  if (list.length > 0) return [...new Set(list)].filter((f) => existsSync(f));
  return [join(env.HOME ?? homedir(), '.kube', 'config')];
}

function loadFile(file: string): KubeConfig {
  if (!existsSync(file)) throw new KubeconfigError(`The kubeconfig file ${file} does not exist.`, 'Log in to your cluster (oc login / kubectl config use-context) or choose another kubeconfig.');
  if (statSync(file).isDirectory()) throw new KubeconfigError(`The kubeconfig path ${file} is a folder, not a file.`);
  const config = new KubeConfig();
  if (readFileSync(file, 'utf8').trim() === '') return config;
  try {
    config.loadFromFile(file);
  } catch (error) {
    throw new KubeconfigError(`The kubeconfig file ${file} cannot be read: ${(error as Error).message}`);
  }
  return config;
}

function firstWins<T extends { name: string }>(into: Map<string, T>, items: readonly T[] | undefined): void {
  for (const item of items ?? []) if (!into.has(item.name)) into.set(item.name, item);
}

/** Merges files in order with kubectl's rules; the result's current context is the first one set. */
export function mergeKubeconfigs(files: readonly string[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const file of files) {
    const config = loadFile(file);
    firstWins(clusters, config.getClusters());
    firstWins(users, config.getUsers());
    firstWins(contexts, config.getContexts());
    if (!currentContext) currentContext = config.getCurrentContext() ?? '';
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return merged;
}

export function listContexts(kubeconfig?: string): { current?: string; contexts: Array<{ name: string; cluster: string; namespace?: string }> } {
  const config = mergeKubeconfigs(kubeconfigFiles(kubeconfig));
  const current = config.getCurrentContext() || undefined;
  return { current, contexts: config.getContexts().map((c) => ({ name: c.name, cluster: c.cluster, ...(c.namespace ? { namespace: c.namespace } : {}) })) };
}

export function connect(target: KubeTarget = {}, env: NodeJS.ProcessEnv = process.env): KubeConnection {
  const files = kubeconfigFiles(target.kubeconfig, env);
  const config = mergeKubeconfigs(files);
  const names = config.getContexts().map((c) => c.name);
  if (names.length === 0) {
    throw new KubeconfigError(`No kube context is configured (looked in ${files.join(', ') || 'KUBECONFIG'}).`, 'Log in with `oc login <server>` or `kubectl config set-context`, or choose a kubeconfig file.');
  }
  const name = target.context ?? config.getCurrentContext();
  if (!name) throw new KubeconfigError('The kubeconfig has no current context.', `kubectl config use-context ${names[0]}`);
  const context = config.getContextObject(name);
  if (!context) throw new KubeconfigError(`The kube context "${name}" does not exist; known contexts: ${names.join(', ')}.`, `kubectl config use-context ${names[0]}`);
  config.setCurrentContext(name);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeconfigError(`The kube context "${name}" names the cluster "${context.cluster}", which is not in the kubeconfig.`);
  const user = config.getCurrentUser();
  if (!user) throw new KubeconfigError(`The kube context "${name}" names the user "${context.user}", which is not in the kubeconfig.`);
  return { config, context: name, cluster, user, namespace: target.namespace || context.namespace || 'default', files };
}
