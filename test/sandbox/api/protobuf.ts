// kubectl sends built-in types such as SelfSubjectAccessReview as protobuf (`k8s\0` + runtime.Unknown).
// Only the fields the sandbox reads are decoded; field numbers are those of k8s.io/api's generated.proto.

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

/** SelfSubjectAccessReview.spec as JSON, from the protobuf envelope. */
export function accessReviewSpec(body: Buffer): Record<string, unknown> {
  const unknown = fields(body.subarray(4)); // after the `k8s\0` magic
  const raw = unknown.get(2)?.[0];
  if (!Buffer.isBuffer(raw)) return {};
  const spec = message(fields(raw), 2);
  const resource = spec && message(spec, 1);
  if (!resource) return { nonResourceAttributes: { path: text(spec && message(spec, 2), 1), verb: text(spec && message(spec, 2), 2) } };
  const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
  return { resourceAttributes: Object.fromEntries(names.map((name, index) => [name, text(resource, index + 1)]).filter(([, value]) => value)) };
}
