// Small fetch helpers for the simulator's own tests (not a test file itself).
import type { Simulator } from './index.ts';

export const TIMEOUT_MS = 5000;

export interface ApiResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or null for an empty body. */
  body: any; // tests index freely into API JSON
}

export interface ApiOptions {
  token?: string | null;
  mv?: string;
  legacyMv?: string;
  body?: unknown;
  timeoutMs?: number;
}

export async function call(url: string, method = 'GET', o: ApiOptions = {}): Promise<ApiResult> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (o.token) headers['x-auth-token'] = o.token;
  if (o.mv) headers['openstack-api-version'] = `compute ${o.mv}`;
  if (o.legacyMv) headers['x-openstack-nova-api-version'] = o.legacyMv;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const r = await fetch(url, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body),
    signal: AbortSignal.timeout(o.timeoutMs ?? TIMEOUT_MS), redirect: 'manual' });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, body: text === '' ? null : JSON.parse(text) };
}

export const novaUrl = (sim: Simulator, path: string): string => `${sim.baseUrl}/compute/v2.1${path}`;
export const glanceUrl = (sim: Simulator, path: string): string => `${sim.baseUrl}/image${path}`;

/** Nova call with the simulator's admin token unless another is given. */
export function nova(sim: Simulator, method: string, path: string, o: ApiOptions = {}): Promise<ApiResult> {
  return call(novaUrl(sim, path), method, { token: sim.token(), ...o });
}

export function passwordAuth(user: string, password: string, project: string, domain = 'Default'): unknown {
  return { auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { name: domain }, password } } },
    scope: { project: { name: project, domain: { name: domain } } } } };
}

export const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** Polls until fn returns a value (not undefined), like an agent waiting on Nova. */
export async function waitFor<T>(fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error('waitFor: timed out');
    await sleep(10);
  }
}
