import type { InterfaceName, ServiceName } from './http-types.ts';
import type { FaultKind } from './faults.ts';

export interface CallRecord {
  seq: number;
  /** Date.now() when the request arrived. */
  time: number;
  method: string;
  /** Full path as sent, e.g. /internal/compute/v2.1/servers/detail */
  path: string;
  /** Path below the service root, e.g. /v2.1/servers/detail */
  apiPath: string;
  query: Record<string, string>;
  service: ServiceName | null;
  region: string | null;
  iface: InterfaceName | null;
  /** Negotiated compute microversion (null outside Nova or before negotiation). */
  microversion: string | null;
  /** 0 when no response was sent (hang, reset). */
  status: number;
  durationMs: number;
  fault: FaultKind | null;
  /** Parsed JSON request body (secrets of Keystone requests masked). */
  body: unknown;
}

/** A request's kind for counting: service, method and API path with ids as {id}. */
export const callClass = (c: CallRecord): string => `${c.service ?? 'other'} ${c.method} ${c.apiPath.replace(/\/[0-9a-f-]{32,36}(?=\/|$)/g, '/{id}')}`;

const SECRET_KEYS = /^(password|secret|adminpass)$/i;

function mask(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(mask);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEYS.test(k) ? '***' : mask(x)]));
  }
  return v;
}

/** Every request the simulator received, in arrival order. */
export class CallLog {
  #records: CallRecord[] = [];

  get all(): readonly CallRecord[] {
    return this.#records;
  }

  /** Starts a record; the caller fills status etc. when it answers. */
  begin(r: Omit<CallRecord, 'seq' | 'status' | 'durationMs' | 'fault' | 'microversion' | 'body'> & { bodyText: string }): CallRecord {
    let body: unknown = null;
    if (r.bodyText) {
      try {
        body = JSON.parse(r.bodyText);
      } catch {
        body = r.bodyText;
      }
    }
    const { bodyText: _ignored, ...rest } = r;
    const rec: CallRecord = { ...rest, seq: this.#records.length + 1, status: 0, durationMs: 0, fault: null,
      microversion: null, body: r.service === 'identity' ? mask(body) : body };
    this.#records.push(rec);
    return rec;
  }

  /** Requests with this method whose full path or API path matches. */
  filter(method: string, path: RegExp): CallRecord[] {
    return this.#records.filter((r) => r.method === method.toUpperCase() && (path.test(r.path) || path.test(r.apiPath)));
  }

  count(method: string, path: RegExp): number {
    return this.filter(method, path).length;
  }

  /** Evacuate requests for one server (accepted or not: check .status). */
  evacuations(serverId: string): CallRecord[] {
    return this.filter('POST', new RegExp(`/servers/${serverId}/action$`))
      .filter((r) => typeof r.body === 'object' && r.body !== null && 'evacuate' in r.body);
  }

  clear(): void {
    this.#records = [];
  }
}
