import type { Timers } from './timers.ts';

export type FaultKind = 'status' | 'delay' | 'trickle' | 'hang' | 'reset' | 'expireToken' | 'refuse' | 'holdAnswer';

export interface FaultSpec {
  kind: FaultKind;
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Tested against the request's path and query (e.g. /compute/v2.1/servers/detail?host=x); any when omitted. */
  path?: RegExp;
  /** Tested against the raw request body (e.g. /os-migrateLive/ among the server actions); any when omitted. */
  requestBody?: RegExp;
  /** Only the next N matching requests; until removed or cleared when omitted. */
  count?: number;
  /** status: the HTTP status (default 500). */
  status?: number;
  /** status: a JSON body instead of the service's own error shape. */
  body?: unknown;
  /** status: a raw body (e.g. a load balancer's HTML page) with this content type. */
  rawBody?: string;
  contentType?: string;
  /** delay: milliseconds before the request is handled; holdAnswer: after it was handled (omitted: never answered). */
  ms?: number;
  /** trickle: one body byte every intervalMs (default 100). */
  intervalMs?: number;
  /** refuse: reopen the listener after this long (default: when removed or cleared). */
  forMs?: number;
}

export interface FaultRule extends Readonly<FaultSpec> {
  readonly id: number;
  /** Requests this rule has answered so far. */
  readonly hits: number;
  remove(): Promise<void>;
}

/** What a refuse fault needs from the HTTP server. */
export interface ListenerControl {
  refuse(): void;
  reopen(): Promise<void>;
}

interface Rule extends FaultSpec { id: number; hits: number; left: number; remove(): Promise<void> }

// Fault injection: rules are checked in the order they were added; the first that matches a
// request decides its fate. "refuse" acts on the listener itself as soon as it is added.
export class Faults {
  #rules: Rule[] = [];
  #nextId = 1;
  #listener: ListenerControl | undefined;
  readonly #timers: Timers;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  attach(listener: ListenerControl): void {
    this.#listener = listener;
  }

  add(spec: FaultSpec): FaultRule {
    const rule: Rule = { ...spec, id: this.#nextId++, hits: 0, left: spec.count ?? Infinity,
      remove: () => this.#remove(rule) };
    this.#rules.push(rule);
    if (spec.kind === 'refuse') {
      this.#listener?.refuse();
      if (spec.forMs !== undefined) this.#timers.after(spec.forMs, () => void rule.remove());
    }
    return rule;
  }

  /** Removes every rule; resolves once the listener accepts connections again. */
  async clear(): Promise<void> {
    const wasRefusing = this.refusing;
    this.#rules = [];
    if (wasRefusing) await this.#listener?.reopen();
  }

  get rules(): readonly FaultRule[] {
    return this.#rules;
  }

  get refusing(): boolean {
    return this.#rules.some((r) => r.kind === 'refuse');
  }

  /** The rule that applies to this request, if any (consumes one of its count). */
  match(method: string, target: string, body = ''): FaultRule | undefined {
    const rule = this.#rules.find((r) => r.kind !== 'refuse'
      && (r.method === undefined || r.method.toUpperCase() === method.toUpperCase())
      && (r.path === undefined || r.path.test(target)) && (r.requestBody === undefined || r.requestBody.test(body)));
    if (!rule) return undefined;
    rule.hits++;
    if (--rule.left <= 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return rule;
  }

  async #remove(rule: Rule): Promise<void> {
    const before = this.refusing;
    this.#rules = this.#rules.filter((r) => r !== rule);
    if (before && !this.refusing) await this.#listener?.reopen();
  }
}
