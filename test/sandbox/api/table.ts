// Server-side Table output (meta.k8s.io/v1 Table), which kubectl asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.
import type { KubeObject } from '../contract.ts';
import { podCells } from './pod-printer.ts';

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

const column = (name: string, description: string, priority = 0, format = ''): Column => ({ name, type: 'string', format, description, priority });
const nameColumn = column('Name', 'Name must be unique within a namespace.', 0, 'name');
const ageColumn = column('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/** apimachinery's duration.HumanDuration, which kubectl's AGE column shows. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const both = (big: number, bigUnit: string, small: number, smallUnit: string): string => (small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit}${small}${smallUnit}`);
  if (minutes < 10) return both(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return both(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return both(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  if (hours < 24 * 365 * 8) return both(Math.floor(days / 365), 'y', days % 365, 'd');
  return `${Math.floor(days / 365)}y`;
}

const age = (object: KubeObject): string => humanDuration(Date.now() - Date.parse(object.metadata.creationTimestamp));
const dataCount = (object: KubeObject): number => Object.keys(object.data ?? {}).length + Object.keys(object.binaryData ?? {}).length;

interface Printer {
  columns: Column[];
  cells(object: KubeObject): unknown[];
}

const none = '<none>';
const printers: Record<string, Printer> = {
  pods: {
    columns: [
      nameColumn,
      column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      column('Status', 'The aggregate status of the containers in this pod.'),
      column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      ageColumn,
      column('IP', 'podIP address allocated to the pod.', 1),
      column('Node', 'NodeName indicates in which node this pod is scheduled.', 1),
      column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
      column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
    ],
    cells(pod) {
      const { ready, status, restarts } = podCells(pod);
      return [pod.metadata.name, ready, status, String(restarts), age(pod), pod.status?.podIP || none, pod.spec?.nodeName || none, none, none];
    },
  },
  secrets: {
    columns: [nameColumn, column('Type', 'The type of the secret'), column('Data', 'The number of entries in the secret'), ageColumn],
    cells: (secret) => [secret.metadata.name, secret.type ?? 'Opaque', dataCount(secret), age(secret)],
  },
  configmaps: {
    columns: [nameColumn, column('Data', 'The number of entries in the configmap'), ageColumn],
    cells: (map) => [map.metadata.name, dataCount(map), age(map)],
  },
  serviceaccounts: {
    columns: [nameColumn, column('Secrets', 'The number of secrets'), ageColumn],
    cells: (account) => [account.metadata.name, (account.secrets ?? []).length, age(account)],
  },
  events: {
    columns: [
      column('Last Seen', 'Time when this event was last seen'),
      column('Type', 'Type of this event (Normal, Warning)'),
      column('Reason', 'Why the action was taken'),
      column('Object', 'The object this event is about'),
      column('Message', 'A human-readable description of the status of this operation'),
    ],
    cells: (event) => [
      humanDuration(Date.now() - Date.parse(event.lastTimestamp ?? event.metadata.creationTimestamp)),
      event.type ?? '',
      event.reason ?? '',
      `${String(event.involvedObject?.kind ?? '').toLowerCase()}/${event.involvedObject?.name ?? ''}`,
      event.message ?? '',
    ],
  },
  namespaces: {
    columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
    cells: (namespace) => [namespace.metadata.name, namespace.status?.phase ?? 'Active', age(namespace)],
  },
};

export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

/** includeObject: None, Metadata (default: PartialObjectMetadata) or Object. */
function rowObject(object: KubeObject, includeObject: string): KubeObject | undefined {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function toTable(resource: string, objects: KubeObject[], resourceVersion: string, includeObject: string, withColumns = true): KubeObject {
  const printer = printers[resource] ?? { columns: [nameColumn, ageColumn], cells: (object: KubeObject) => [object.metadata.name, age(object)] };
  const rows = objects.map((object) => {
    const finished = resource === 'pods' && ['Succeeded', 'Failed'].includes(object.status?.phase);
    const embedded = rowObject(object, includeObject);
    return {
      cells: printer.cells(object),
      ...(finished ? { conditions: [{ type: 'Completed', status: 'True' }] } : {}),
      ...(embedded ? { object: embedded } : {}),
    };
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion }, ...(withColumns ? { columnDefinitions: printer.columns } : {}), rows };
}
