// kubectl's typed commands (auth can-i, create secret/configmap/namespace/serviceaccount) send protobuf
// (`k8s\0` + runtime.Unknown). Only the fields the sandbox uses are decoded; field numbers are those of
// k8s.io/api's and apimachinery's generated.proto.
import type { KubeObject } from '../contract.ts';
import type { JsonObject } from './json.ts';

type Fields = Map<number, Array<Buffer | number>>;

function varint(buffer: Buffer, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = buffer[position++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, position];
    shift += 7;
  }
}

function fields(buffer: Buffer): Fields {
  const out: Fields = new Map();
  let offset = 0;
  while (offset < buffer.length) {
    const [key, next] = varint(buffer, offset);
    offset = next;
    const [field, wire] = [Math.floor(key / 8), key & 7];
    let value: Buffer | number;
    if (wire === 0) [value, offset] = varint(buffer, offset);
    else if (wire === 2) {
      const [length, start] = varint(buffer, offset);
      value = buffer.subarray(start, start + length);
      offset = start + length;
    } else if (wire === 1) [value, offset] = [0, offset + 8];
    else if (wire === 5) [value, offset] = [0, offset + 4];
    else throw new Error(`unsupported protobuf wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const message = (from: Fields, field: number): Fields | undefined => {
  const value = from.get(field)?.[0];
  return Buffer.isBuffer(value) ? fields(value) : undefined;
};
const text = (from: Fields | undefined, field: number): string => {
  const value = from?.get(field)?.[0];
  return Buffer.isBuffer(value) ? value.toString('utf8') : '';
};

export const isProtobuf = (contentType: string | undefined): boolean => (contentType ?? '').startsWith('application/vnd.kubernetes.protobuf');

const messages = (from: Fields | undefined, field: number): Fields[] => (from?.get(field) ?? []).filter(Buffer.isBuffer).map((value) => fields(value as Buffer));

/** A map<string, string|bytes> field: repeated entries with key 1 and value 2. */
function map(from: Fields | undefined, field: number, asBase64 = false): Record<string, string> | undefined {
  const entries = messages(from, field);
  if (!entries.length) return undefined;
  return Object.fromEntries(
    entries.map((entry) => {
      const value = entry.get(2)?.[0];
      const bytes = Buffer.isBuffer(value) ? value : Buffer.alloc(0);
      return [text(entry, 1), asBase64 ? bytes.toString('base64') : bytes.toString('utf8')];
    }),
  );
}

function compact(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== ''));
}

function objectMeta(meta: Fields | undefined): JsonObject {
  const owners = messages(meta, 13).map((owner) => compact({ kind: text(owner, 1), name: text(owner, 3), uid: text(owner, 4), apiVersion: text(owner, 5) }));
  return compact({
    name: text(meta, 1),
    generateName: text(meta, 2),
    namespace: text(meta, 3),
    labels: map(meta, 11),
    annotations: map(meta, 12),
    ownerReferences: owners.length ? owners : undefined,
  });
}

const references = (from: Fields, field: number): JsonObject[] | undefined => {
  const list = messages(from, field).map((reference) => ({ name: text(reference, 3) || text(reference, 1) }));
  return list.length ? list : undefined;
};

/** The runtime.Unknown envelope: kind and the raw message. */
function envelope(body: Buffer): { kind: string; raw: Fields } {
  const unknown = fields(body.subarray(4)); // after the `k8s\0` magic
  const raw = unknown.get(2)?.[0];
  return { kind: text(message(unknown, 1), 2), raw: Buffer.isBuffer(raw) ? fields(raw) : new Map() };
}

/** Secrets, ConfigMaps, Namespaces and ServiceAccounts sent as protobuf, as the JSON the server works on. */
export function decodeObject(body: Buffer): KubeObject {
  const { kind, raw } = envelope(body);
  const metadata = objectMeta(message(raw, 1));
  switch (kind) {
    case 'Secret':
      return compact({ apiVersion: 'v1', kind, metadata, data: map(raw, 2, true), type: text(raw, 3), stringData: map(raw, 4) }) as KubeObject;
    case 'ConfigMap':
      return compact({ apiVersion: 'v1', kind, metadata, data: map(raw, 2), binaryData: map(raw, 3, true) }) as KubeObject;
    case 'Namespace':
      return { apiVersion: 'v1', kind, metadata };
    case 'ServiceAccount':
      return compact({ apiVersion: 'v1', kind, metadata, secrets: references(raw, 2), imagePullSecrets: references(raw, 3) }) as KubeObject;
    default:
      throw new Error(`the sandbox cannot read ${kind || 'this object'} as protobuf; send JSON`);
  }
}

/** SelfSubjectAccessReview.spec as JSON, from the protobuf envelope. */
export function accessReviewSpec(body: Buffer): Record<string, unknown> {
  const { raw } = envelope(body);
  const spec = message(raw, 2);
  const resource = spec && message(spec, 1);
  if (!resource) return { nonResourceAttributes: { path: text(spec && message(spec, 2), 1), verb: text(spec && message(spec, 2), 2) } };
  const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
  return { resourceAttributes: Object.fromEntries(names.map((name, index) => [name, text(resource, index + 1)]).filter(([, value]) => value)) };
}
