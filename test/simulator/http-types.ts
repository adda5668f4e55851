import type { IncomingHttpHeaders } from 'node:http';

export type ServiceName = 'identity' | 'compute' | 'image';
export type InterfaceName = 'public' | 'internal' | 'admin';

/** A request as the service handlers see it. */
export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  bodyText: string;
  service: ServiceName;
  region: string;
  iface: InterfaceName;
  /** Absolute URL of the service root the client used, e.g. http://127.0.0.1:PORT/internal/compute */
  root: string;
  /** Path below that root, e.g. /v2.1/servers/detail */
  path: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised; undefined means an empty body. */
  body?: unknown;
  /** Sent as is instead of body. */
  rawBody?: string;
  /** Negotiated compute microversion, for the call log. */
  microversion?: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, body, headers: { 'content-type': 'application/json', ...headers } };
}

export function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Parsed JSON body; undefined when empty; throws SyntaxError when malformed. */
export function jsonBody(req: SimRequest): unknown {
  return req.bodyText.trim() === '' ? undefined : JSON.parse(req.bodyText);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
