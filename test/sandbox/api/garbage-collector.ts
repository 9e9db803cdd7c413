// Background garbage collection: when an object goes, the objects in its namespace that name it in
// ownerReferences go too (what `propagationPolicy: Background` does on a real cluster).
import type { ClusterStore } from './store.ts';

const dependentResources = ['pods', 'secrets', 'configmaps', 'serviceaccounts'];

export function collectGarbage(store: ClusterStore): () => void {
  return store.subscribe((event) => {
    if (event.type !== 'DELETED') return;
    const uid = event.object.metadata.uid;
    for (const resource of dependentResources) {
      for (const object of store.list(resource, event.namespace)) {
        if ((object.metadata.ownerReferences ?? []).some((owner: { uid: string }) => owner.uid === uid)) store.remove(resource, event.namespace, object.metadata.name);
      }
    }
  });
}
