// labelSelector and fieldSelector query parameters, parsed into predicates over objects.
import type { KubeObject } from '../contract.ts';
import { badRequest } from './status.ts';

export type Predicate = (object: KubeObject) => boolean;

/** Splits on commas that are not inside `in (a,b)` parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function labelTerm(term: string): (labels: Record<string, string>) => boolean {
  const set = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key, op, list] = set;
    const values = list.split(',').map((value) => value.trim());
    return op === 'in' ? (labels) => key in labels && values.includes(labels[key]) : (labels) => !(key in labels) || !values.includes(labels[key]);
  }
  const compare = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term);
  if (compare) {
    const [, key, op, value] = compare;
    return op === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  const exists = /^(!?)([\w./-]+)$/.exec(term);
  if (exists) return exists[1] ? (labels) => !(exists[2] in labels) : (labels) => exists[2] in labels;
  throw badRequest(`unable to parse requirement: ${term}`);
}

export function labelSelector(selector: string | null): Predicate {
  const tests = terms(selector ?? '').map(labelTerm);
  return (object) => tests.every((test) => test(object.metadata.labels ?? {}));
}

const fieldLabels: Record<string, string[]> = {
  pods: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'],
  secrets: ['metadata.name', 'metadata.namespace', 'type'],
  events: ['metadata.name', 'metadata.namespace', 'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
};

function fieldValue(object: KubeObject, path: string): string {
  let value: unknown = object;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value === undefined || value === null ? '' : String(value);
}

export function fieldSelector(resource: string, selector: string | null): Predicate {
  const allowed = fieldLabels[resource] ?? ['metadata.name', 'metadata.namespace'];
  const tests = terms(selector ?? '').map((term) => {
    const match = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, field, op, value] = match;
    if (!allowed.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return op === '!=' ? (object: KubeObject) => fieldValue(object, field) !== value : (object: KubeObject) => fieldValue(object, field) === value;
  });
  return (object) => tests.every((test) => test(object));
}
