// "Nothing left behind", read straight from the sandbox's object store: build pods (by label) and new secrets.
import type { Sandbox } from '../sandbox/index.ts';

const MANAGED = 'app.kubernetes.io/managed-by';
const key = (o: { metadata: { namespace?: string; name?: string } }): string => `${o.metadata.namespace}/${o.metadata.name}`;

export function buildPods(sandbox: Sandbox): string[] {
  return sandbox.store.list('pods').filter((p) => p.metadata.labels?.[MANAGED] === 'kaniko-build').map(key);
}

/** The secrets that exist now, to tell a build's own secrets from the ones a test created on purpose. */
export function snapshotSecrets(sandbox: Sandbox): Set<string> {
  return new Set(sandbox.store.list('secrets').map(key));
}

/** Problems: build pods or new secrets still present after a grace period (deletes finish asynchronously). */
export async function leftovers(sandbox: Sandbox, secretsBefore: ReadonlySet<string>, graceMs = 5000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const pods = buildPods(sandbox);
    const secrets = [...snapshotSecrets(sandbox)].filter((s) => !secretsBefore.has(s));
    if ((pods.length === 0 && secrets.length === 0) || Date.now() > deadline) {
      return [...pods.map((p) => `pod ${p} left behind`), ...secrets.map((s) => `secret ${s} left behind`)];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
