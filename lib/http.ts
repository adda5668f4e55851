import type { AxiosInstance, AxiosResponse } from 'axios';
import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { squeezed } from './text.ts';
import { HttpError, TRANSIENT_STATUS, transientTransport, transportReason } from './http-errors.ts';

export { HttpError };

// The one place HTTP happens. Every request has ONE deadline covering name resolution,
// connect, TLS and the whole body (an AbortSignal, not axios' socket-idle timeout, which a
// server trickling a byte a second would keep resetting). TLS is verified unless insecure.

export interface HttpOptions {
  timeoutMs: number;
  insecure?: boolean;
  /** PEM bundle (path) to verify servers with instead of the system store. */
  cacert?: string;
  /** Redacts secrets from error text. */
  mask?: (s: string) => string;
  /** One debug line per request (method, URL, status, time); never headers or bodies. */
  debug?: (line: string) => void;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** What the caller is doing, for error messages: "Nova: list services". */
  what: string;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

const MAX_BODY = 64 * 1024 * 1024;

export class HttpClient {
  private readonly options: HttpOptions;
  private axios: AxiosInstance | undefined;

  constructor(options: HttpOptions) {
    this.options = options;
  }

  private async client(): Promise<AxiosInstance> {
    if (this.axios) return this.axios;
    const { default: axios } = await import('axios');
    const ca = this.options.cacert ? readFileSync(this.options.cacert) : undefined;
    this.axios = axios.create({
      // keepAlive: one TLS handshake per agent run, not per request.
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64, rejectUnauthorized: !this.options.insecure, ...(ca ? { ca } : {}) }),
      maxContentLength: MAX_BODY,
      maxRedirects: 0,
      proxy: false,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
    });
    return this.axios;
  }

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const axios = await this.client();
    const t0 = Date.now();
    const timeoutMs = this.options.timeoutMs;
    let res: AxiosResponse;
    try {
      res = await axios.request({
        method: req.method,
        url: req.url,
        headers: { Accept: 'application/json', ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...req.headers },
        data: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(timeoutMs),
        timeout: timeoutMs,
        responseType: 'text',
        transformResponse: (d: unknown) => d,
      });
    } catch (e) {
      const elapsed = Date.now() - t0;
      this.options.debug?.(`${req.method} ${redactUrl(req.url)} failed after ${elapsed} ms`);
      throw new HttpError(this.mask(`${req.what}: ${transportReason(e, timeoutMs, elapsed)} (${req.method} ${redactUrl(req.url)})`), undefined, undefined, transientTransport(e, timeoutMs, elapsed));
    }
    this.options.debug?.(`${req.method} ${redactUrl(req.url)} -> ${res.status} in ${Date.now() - t0} ms`);
    const body = parseBody(res.data);
    const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    if (res.status < 200 || res.status >= 300) {
      throw new HttpError(this.mask(`${req.what}: HTTP ${res.status}${errorText(body)} (${req.method} ${redactUrl(req.url)})`), res.status, body, TRANSIENT_STATUS.has(res.status));
    }
    return { status: res.status, headers, body: body as T };
  }

  /** One debug line, where this client writes its own. */
  debug(line: string): void {
    this.options.debug?.(line);
  }

  private mask(s: string): string {
    return this.options.mask ? this.options.mask(s) : s;
  }
}

function parseBody(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data ?? null;
  try { return JSON.parse(data); } catch { return data; }
}

/** Nova, Keystone and Glance put the reason in different places. */
function errorText(body: unknown): string {
  if (body && typeof body === 'object') {
    for (const v of Object.values(body as Record<string, unknown>)) {
      if (v && typeof v === 'object' && 'message' in v) return `: ${squeezed(String((v as { message: unknown }).message))}`;
    }
    if ('message' in body) return `: ${squeezed(String((body as { message: unknown }).message))}`;
  }
  if (typeof body === 'string' && body.trim()) return `: ${squeezed(body.replace(/<[^>]*>/g, ' '))}`;
  return '';
}

/** Query strings may carry nothing secret here, but user:pass@ in a URL would. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//****@');
}
