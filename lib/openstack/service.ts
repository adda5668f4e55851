import type { Keystone } from './keystone.ts';
import { HttpError, type HttpRequest, type HttpResponse } from '../http.ts';
import { expBackoff, retry } from '../retry.ts';

// An authenticated OpenStack service endpoint: adds the token (re-issued once on 401), the
// service's own headers, and retries a GET that failed for a passing reason (HttpError.transient:
// 5xx, a refused or reset connection, a timeout), so that a busy Nova or Glance costs one more
// call, not the caller's whole read. Only GET: a POST, PUT or DELETE is sent once (an evacuate
// must never be sent twice); whoever sends one decides. Each try keeps its own request deadline,
// so a GET takes at most 3 × request_timeout + 1.5 s.

export interface ServiceRequest {
  method: HttpRequest['method'];
  /** Path below the endpoint, e.g. "/os-services?binary=nova-compute". */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  what: string;
}

/** Retries of a GET (after 0.5 s, then 1 s, both jittered). */
const GET_RETRIES = 2;

export class ServiceEndpoint {
  private readonly keystone: Keystone;
  private readonly serviceType: string;
  private base: string | undefined;

  constructor(keystone: Keystone, serviceType: string) {
    this.keystone = keystone;
    this.serviceType = serviceType;
  }

  async url(): Promise<string> {
    this.base ??= await this.keystone.endpoint(this.serviceType);
    return this.base;
  }

  /** Absolute URLs (e.g. a `next` link) are used as they are. */
  async request<T>(req: ServiceRequest): Promise<HttpResponse<T>> {
    const url = /^https?:\/\//.test(req.path) ? req.path : `${await this.url()}${req.path}`;
    let reauthenticated = false;
    const send = async (): Promise<HttpResponse<T>> => {
      const token = await this.keystone.token();
      try {
        return await this.keystone.http.request<T>({ method: req.method, url, body: req.body, what: req.what, headers: { ...req.headers, 'X-Auth-Token': token } });
      } catch (e) {
        if (!(e instanceof HttpError) || e.status !== 401 || reauthenticated) throw e;
        this.keystone.invalidate(token);
        reauthenticated = true;
        return send();
      }
    };
    let tries = 1;
    const http = this.keystone.http;
    return retry(send, {
      delays: req.method === 'GET' ? expBackoff(GET_RETRIES) : [],
      retryable: (e) => e instanceof HttpError && e.transient,
      onRetry: (e, n, ms) => { tries++; http.debug(`retry ${n} of ${GET_RETRIES} in ${ms} ms: ${(e as Error).message}`); },
    }).catch((e: unknown) => {
      if (tries > 1 && e instanceof HttpError) throw new HttpError(`${e.message} after ${tries} tries`, e.status, e.body, e.transient);
      throw e;
    });
  }
}
