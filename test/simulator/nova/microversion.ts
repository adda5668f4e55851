import type { IncomingHttpHeaders } from 'node:http';

/** A compute API microversion like 2.53. */
export class Microversion {
  readonly major: number;
  readonly minor: number;

  constructor(major: number, minor: number) {
    this.major = major;
    this.minor = minor;
  }

  static parse(s: string): Microversion | undefined {
    const m = /^(\d+)\.(\d+)$/.exec(s.trim());
    return m ? new Microversion(Number(m[1]), Number(m[2])) : undefined;
  }

  static of(s: string): Microversion {
    const v = Microversion.parse(s);
    if (!v) throw new Error(`simulator: bad microversion ${s}`);
    return v;
  }

  compare(o: Microversion): number {
    return this.major - o.major || this.minor - o.minor;
  }

  /** True when this version is at least s (e.g. mv.ge('2.53')). */
  ge(s: string): boolean {
    return this.compare(Microversion.of(s)) >= 0;
  }

  lt(s: string): boolean {
    return !this.ge(s);
  }

  toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

export const MIN_VERSION = new Microversion(2, 1);

export type Negotiation =
  | { ok: true; version: Microversion }
  | { ok: false; status: number; message: string; echo: string };

// Like microversion_parse.get_version(): OpenStack-API-Version "compute X.Y" wins over the
// legacy X-OpenStack-Nova-API-Version; no header means the minimum, "latest" the maximum.
export function negotiate(headers: IncomingHttpHeaders, max: Microversion): Negotiation {
  const requested = requestedVersion(headers);
  if (requested === undefined) return { ok: true, version: MIN_VERSION };
  if (requested.toLowerCase() === 'latest') return { ok: true, version: max };
  const v = Microversion.parse(requested);
  if (!v) {
    return { ok: false, status: 400, echo: requested,
      message: `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.` };
  }
  if (v.compare(MIN_VERSION) < 0 || v.compare(max) > 0) {
    return { ok: false, status: 406, echo: requested,
      message: `Version ${requested} is not supported by the API. Minimum is ${MIN_VERSION} and maximum is ${max}.` };
  }
  return { ok: true, version: v };
}

function requestedVersion(headers: IncomingHttpHeaders): string | undefined {
  const modern = headers['openstack-api-version'];
  for (const part of (Array.isArray(modern) ? modern.join(',') : modern ?? '').split(',')) {
    const [service, value] = part.trim().split(/\s+/);
    if (service?.toLowerCase() === 'compute' && value) return value;
  }
  const legacy = headers['x-openstack-nova-api-version'];
  const v = Array.isArray(legacy) ? legacy[0] : legacy;
  return v?.trim() || undefined;
}

export function versionHeaders(v: string): Record<string, string> {
  return {
    'openstack-api-version': `compute ${v}`,
    'x-openstack-nova-api-version': v,
    vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
  };
}
