// Loads kubeconfig the way kubectl does (clientcmd's loader.go): an explicit file, else every file in
// KUBECONFIG that exists, else ~/.kube/config; merged first-wins for every named entry and current-context.
import { proxyEnvironment, proxyFor } from './proxy-from-environment.ts';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeTarget } from '../build/model.ts';
import { KubeconfigError } from './errors.ts';
import type { ClusterEntry, ContextEntry, KubeconfigFile, UserEntry } from './kubeconfig-file.ts';
import { readKubeconfigFile } from './kubeconfig-file.ts';
import { validateConnection } from './kubeconfig-validation.ts';

export type { ClusterEntry, ContextEntry, ExecConfig, UserEntry } from './kubeconfig-file.ts';

/** A usable cluster connection: the chosen context's cluster and user, checked as kubectl checks them. */
export interface KubeConnection {
  readonly context: string;
  readonly cluster: ClusterEntry;
  readonly user: UserEntry;
  readonly namespace: string;
  /** The files it came from, for messages. */
  readonly files: readonly string[];
  /** The proxy to the API server: the cluster's proxy-url, else HTTPS_PROXY/NO_PROXY's choice as kubectl's; none for loopback. */
  readonly proxyUrl?: string;
}

/** kubectl's precedence: an explicit path, else every file in KUBECONFIG that exists, else ~/.kube/config. */
export function kubeconfigFiles(explicit?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit) return [explicit];
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  if (list.length > 0) return [...new Set(list)].filter((f) => existsSync(f));
  return [join(env.HOME ?? homedir(), '.kube', 'config')];
}

function loadFile(file: string): KubeconfigFile {
  if (!existsSync(file)) throw new KubeconfigError(`The kubeconfig file ${file} does not exist.`, 'Log in to your cluster (oc login / kubectl config use-context) or choose another kubeconfig.');
  if (statSync(file).isDirectory()) throw new KubeconfigError(`The kubeconfig path ${file} is a folder, not a file.`, 'Choose the kubeconfig file itself, e.g. ~/.kube/config.');
  return readKubeconfigFile(file);
}

function firstWins<T extends { name: string }>(into: Map<string, T>, items: readonly T[]): void {
  for (const item of items) if (!into.has(item.name)) into.set(item.name, item);
}

export interface MergedKubeconfig {
  readonly clusters: ReadonlyMap<string, ClusterEntry>;
  readonly users: ReadonlyMap<string, UserEntry>;
  readonly contexts: ReadonlyMap<string, ContextEntry>;
  readonly currentContext?: string;
}

/** Merges files in order with kubectl's rules: the first file to name an entry or set current-context wins. */
export function mergeKubeconfigs(files: readonly string[]): MergedKubeconfig {
  const clusters = new Map<string, ClusterEntry>();
  const users = new Map<string, UserEntry>();
  const contexts = new Map<string, ContextEntry>();
  let currentContext: string | undefined;
  for (const file of files) {
    const config = loadFile(file);
    firstWins(clusters, config.clusters);
    firstWins(users, config.users);
    firstWins(contexts, config.contexts);
    currentContext ??= config.currentContext;
  }
  return { clusters, users, contexts, ...(currentContext ? { currentContext } : {}) };
}

export function listContexts(kubeconfig?: string): { current?: string; contexts: Array<{ name: string; cluster: string; namespace?: string }> } {
  const config = mergeKubeconfigs(kubeconfigFiles(kubeconfig));
  return { current: config.currentContext, contexts: [...config.contexts.values()].map((c) => ({ name: c.name, cluster: c.cluster, ...(c.namespace ? { namespace: c.namespace } : {}) })) };
}

export function connect(target: KubeTarget = {}, env: NodeJS.ProcessEnv = process.env): KubeConnection {
  const files = kubeconfigFiles(target.kubeconfig, env);
  const config = mergeKubeconfigs(files);
  const names = [...config.contexts.keys()];
  if (names.length === 0) {
    throw new KubeconfigError(`No kube context is configured (looked in ${files.join(', ') || 'KUBECONFIG'}).`, 'Log in with `oc login <server>` or `kubectl config set-context`, or choose a kubeconfig file.');
  }
  const name = target.context ?? config.currentContext;
  if (!name) throw new KubeconfigError('The kubeconfig has no current context.', `kubectl config use-context ${names[0]}`);
  const context = config.contexts.get(name);
  if (!context) throw new KubeconfigError(`The kube context "${name}" does not exist; known contexts: ${names.join(', ')}.`, `kubectl config use-context ${names[0]}`);
  const cluster = config.clusters.get(context.cluster);
  if (!cluster) throw new KubeconfigError(`The kube context "${name}" names the cluster "${context.cluster}", which is not in the kubeconfig.`, `kubectl config set-context ${name} --cluster=<a cluster of kubectl config get-clusters>`);
  const user = config.users.get(context.user);
  if (!user) throw new KubeconfigError(`The kube context "${name}" names the user "${context.user}", which is not in the kubeconfig.`, `kubectl config set-context ${name} --user=<a user of kubectl config get-users>`);
  validateConnection(name, cluster, user);
  const proxyUrl = cluster.proxyUrl ?? (cluster.server.startsWith('https:') ? proxyFor(cluster.server, target.proxy ?? proxyEnvironment(env))?.href : undefined);
  return { context: name, cluster, user, namespace: target.namespace || context.namespace || 'default', files, ...(proxyUrl ? { proxyUrl } : {}) };
}
