// A deliberate break of the simulator's fidelity: JSON keys renamed in every answer. The live
// contract suite (test/contract/live.openstack.ts) runs against a simulator started with one to
// prove that its checks fail when an answer no longer carries a field the agents read.

export type FieldRenames = Readonly<Record<string, string>>;

/** The body with every key named in `renames` (at any depth) renamed. */
export function renameFields(body: unknown, renames: FieldRenames): unknown {
  if (Array.isArray(body)) return body.map((v) => renameFields(v, renames));
  if (body === null || typeof body !== 'object') return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [renames[k] ?? k, renameFields(v, renames)]));
}
