import type { Keystone } from './keystone.ts';
import { HttpError, type HttpRequest, type HttpResponse } from '../http.ts';

// An authenticated OpenStack service endpoint: adds the token (re-issued once on 401), the
// service's own headers, and retries idempotent requests on transient failures. A POST is
// never retried here: whoever sends one decides (evacuate must happen exactly once).

export interface ServiceRequest {
  method: HttpRequest['method'];
  /** Path below the endpoint, e.g. "/os-services?binary=nova-compute". */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  what: string;
}

const TRANSIENT_STATUS = new Set([502, 503, 504]);
const RETRY_DELAYS_MS = [300, 1000];

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
    const retries = req.method === 'POST' ? [] : RETRY_DELAYS_MS;
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.keystone.token();
      try {
        return await this.keystone.http.request<T>({ method: req.method, url, body: req.body, what: req.what, headers: { ...req.headers, 'X-Auth-Token': token } });
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        if (e.status === 401 && !reauthenticated) {
          this.keystone.invalidate(token);
          reauthenticated = true;
          attempt--;
          continue;
        }
        const transient = e.status === undefined ? !/no complete answer/.test(e.message) : TRANSIENT_STATUS.has(e.status);
        const delay = retries[attempt];
        if (!transient || delay === undefined) throw e;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
