// One declaration per parameter. Every surface — stdin/CLI/OCF parsing, validation,
// metadata XML, man page and README table — is generated from these records.

export type ParamType = 'string' | 'boolean' | 'integer' | 'second' | 'select';

export interface ParamSpec {
  /** Canonical name: stdin key, OCF_RESKEY_ suffix, metadata name. */
  readonly name: string;
  /** Older names still accepted; fence metadata lists them with deprecated="1". */
  readonly deprecatedNames?: readonly string[];
  /** CLI short flag letter (fence agents only). */
  readonly short?: string;
  /** CLI long flag without dashes; defaults to the name with '_' → '-'. */
  readonly long?: string;
  /** Further long CLI flags that mean the same (e.g. --compute-domain for domain). */
  readonly cliAliases?: readonly string[];
  /** Placeholder shown in getopt help, e.g. "url" in --auth-url=[url]. */
  readonly valueName?: string;
  readonly type: ParamType;
  readonly choices?: readonly string[];
  /** Bounds of an integer or second value: at least min, more than above, at most max. */
  readonly min?: number;
  readonly above?: number;
  readonly max?: number;
  /** Default as the protocol spells it (metadata shows it verbatim). */
  readonly default?: string;
  readonly required?: boolean;
  /** Never logged, never passed to a child, never shown with its value. */
  readonly secret?: boolean;
  /** On the CLI a flag that takes no value (booleans, -v, -q). */
  readonly flag?: boolean;
  /** CLI flag that counts repetitions (-v -v) into this integer parameter. */
  readonly countsInto?: string;
  /** Accepted for compatibility but without effect in this agent; the reason. */
  readonly noEffect?: string;
  /** New in instance-ha-agents (not in the reference agent). */
  readonly added?: boolean;
  readonly shortdesc: string;
  readonly longdesc?: string;
}

export type ParamValue = string | number | boolean;

/** Parsed values by canonical name; absent when neither given nor defaulted. */
export type ParamValues = Readonly<Record<string, ParamValue | undefined>>;

export class ParamError extends Error {
  override name = 'ParamError';
}

export function longFlag(p: ParamSpec): string {
  return p.long ?? p.name.replaceAll('_', '-');
}

/** '-' and '_' are interchangeable in stdin and OCF names. */
export function normalizeKey(key: string): string {
  return key.trim().toLowerCase().replaceAll('-', '_');
}

/** Index by every accepted (normalized) name. Throws on a clash in a declaration. */
export function indexParams(params: readonly ParamSpec[]): ReadonlyMap<string, ParamSpec> {
  const index = new Map<string, ParamSpec>();
  for (const p of params) {
    for (const n of [p.name, ...(p.deprecatedNames ?? [])]) {
      const key = normalizeKey(n);
      const other = index.get(key);
      if (other && other !== p) throw new Error(`parameter name ${n} declared twice (${other.name}, ${p.name})`);
      index.set(key, p);
    }
  }
  return index;
}
