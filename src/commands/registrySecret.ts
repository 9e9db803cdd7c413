// Push credentials: create the docker-registry secret (typed or from ~/.docker/config.json), or on OpenShift use the
// internal registry with a builder token. Passwords go only to the cluster secret: never logged, stored or echoed.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseImageReference, toDockerConfigJson } from '../core/registry/index.ts';
import type { KubeTarget } from '../core/build/model.ts';
import type { ClusterDescription, Engine } from '../engineLoader.ts';
import { isOpenShiftInternal } from './destinations.ts';

const ANONYMOUS_KEY = 'kaniko.anonymousRegistries';
const DNS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

interface LocalCredential {
  readonly server: string;
  readonly username: string;
  readonly password: string;
  readonly email?: string;
}

/** Entries of the local Docker config that carry a user name and password (credential helpers are not read). */
async function localCredentials(): Promise<LocalCredential[]> {
  const file = join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (!text) return [];
  try {
    return Object.entries(toDockerConfigJson(text).auths).flatMap(([server, entry]) => {
      const decoded = typeof entry.auth === 'string' ? Buffer.from(entry.auth, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      const username = typeof entry.username === 'string' ? entry.username : colon > 0 ? decoded.slice(0, colon) : '';
      const password = typeof entry.password === 'string' ? entry.password : colon > 0 ? decoded.slice(colon + 1) : '';
      return username && password ? [{ server, username, password, email: typeof entry.email === 'string' ? entry.email : undefined }] : [];
    });
  } catch {
    return [];
  }
}

async function typedCredential(server: string | undefined): Promise<LocalCredential | undefined> {
  const title = vscode.l10n.t('Create Registry Secret');
  const serverValue = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Registry server, e.g. quay.io'), value: server ?? '', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the registry server.')) });
  if (!serverValue) return undefined;
  const username = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('User name for {0}', serverValue), ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the user name.')) });
  if (!username) return undefined;
  const password = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('Password or token for {0}', username), password: true, ignoreFocusOut: true, validateInput: (v) => (v ? undefined : vscode.l10n.t('Enter the password.')) });
  if (!password) return undefined;
  const email = await vscode.window.showInputBox({ title, prompt: vscode.l10n.t('E-mail (optional)'), ignoreFocusOut: true });
  if (email === undefined) return undefined;
  return { server: serverValue.trim(), username: username.trim(), password, email: email.trim() || undefined };
}

/** Asks for credentials and creates the secret; returns its name, or undefined when the user stopped. */
export async function createRegistrySecret(engine: Engine, kube: KubeTarget, defaultName: string, server?: string): Promise<string | undefined> {
  const local = await localCredentials();
  let credential: LocalCredential | undefined;
  if (local.length > 0) {
    const typed = { label: `$(key) ${vscode.l10n.t('Enter server, user name and password…')}` };
    const items: Array<vscode.QuickPickItem & { entry?: LocalCredential }> = [typed, ...local.map((entry) => ({ label: entry.server, description: vscode.l10n.t('from local Docker config, user {0}', entry.username), entry }))];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Create Registry Secret'), placeHolder: vscode.l10n.t('Credentials to store in the cluster secret') });
    if (!picked) return undefined;
    credential = picked.entry ?? (await typedCredential(server));
  } else {
    credential = await typedCredential(server);
  }
  if (!credential) return undefined;
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Create Registry Secret'),
    prompt: vscode.l10n.t('Name of the docker-registry secret'),
    value: defaultName,
    ignoreFocusOut: true,
    validateInput: (v) => (DNS_NAME.test(v) && v.length <= 253 ? undefined : vscode.l10n.t('Use lower-case letters, digits, "-" and ".".')),
  });
  if (!name) return undefined;
  const input = { name, ...credential };
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating secret {0}…', name) }, () => engine.createRegistrySecret(kube, input));
  void vscode.window.showInformationMessage(vscode.l10n.t('Secret {0} for {1} created.', name, credential.server));
  return name;
}

export interface PushCredentials {
  readonly secretName?: string;
  readonly openshiftInternalRegistry?: boolean;
}

/** Without questions (tasks, tests): mount the configured secret when it exists, else push without credentials. */
export async function existingSecret(engine: Engine, kube: KubeTarget, secretName: string): Promise<PushCredentials> {
  // When the check itself fails (cluster unreachable), keep the secret: the build then reports the real cause.
  const exists = await engine.secretExists(kube, secretName).catch(() => true);
  return exists ? { secretName } : {};
}

/**
 * Before a build: the configured secret if it exists; else offer to create it, the OpenShift internal registry
 * (zero config), or pushing without credentials. Undefined: the user stopped.
 */
export async function ensurePushCredentials(
  engine: Engine,
  kube: KubeTarget,
  secretName: string,
  destinations: readonly string[],
  cluster: ClusterDescription | undefined,
  state: vscode.Memento,
): Promise<PushCredentials | undefined> {
  const exists = await engine.secretExists(kube, secretName).catch(() => true);
  if (exists) return { secretName };
  // "Push without credentials" is remembered per registry, so an anonymous registry is asked about once.
  const registries = destinations.map((destination) => parseImageReference(destination).domain);
  const anonymous = state.get<string[]>(ANONYMOUS_KEY, []);
  if (registries.every((registry) => anonymous.includes(registry))) return {};
  const internal = cluster?.openshift === true && destinations.every(isOpenShiftInternal);
  const choices = [
    ...(internal ? [{ label: `$(zap) ${vscode.l10n.t('Use the OpenShift internal registry')}`, detail: vscode.l10n.t('A short-lived token of the builder service account, no secret to manage.'), id: 'internal' as const }] : []),
    { label: `$(key) ${vscode.l10n.t('Create secret {0}…', secretName)}`, detail: vscode.l10n.t('Store your registry login in the cluster, like oc create secret docker-registry.'), id: 'create' as const },
    { label: `$(arrow-right) ${vscode.l10n.t('Push without credentials')}`, detail: vscode.l10n.t('For registries that accept anonymous pushes.'), id: 'none' as const },
  ];
  const picked = await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Secret {0} not found in the namespace', secretName), ignoreFocusOut: true });
  switch (picked?.id) {
    case undefined:
      return undefined;
    case 'internal':
      return { openshiftInternalRegistry: true };
    case 'none':
      await state.update(ANONYMOUS_KEY, [...new Set([...anonymous, ...registries])]);
      return {};
    case 'create': {
      const created = await createRegistrySecret(engine, kube, secretName, registries[0]);
      return created ? { secretName: created } : undefined;
    }
  }
}
