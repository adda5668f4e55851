import { HttpClient, HttpError, type HttpRequest, type HttpResponse } from '../../../lib/http.ts';

// Our own HTTP client (lib/openstack/http.ts), keeping every answer it got: the live contract
// suite drives the agents' real clients and checks the raw bodies they parsed.

export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  status: number;
  /** Lower-case names; empty for non-2xx answers (HttpError keeps only status and body). */
  headers: Record<string, string>;
  body: unknown;
}

export class RecordingHttpClient extends HttpClient {
  readonly exchanges: Exchange[] = [];

  override async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const base = { method: req.method, url: req.url, requestHeaders: req.headers ?? {} };
    try {
      const res = await super.request<T>(req);
      this.exchanges.push({ ...base, status: res.status, headers: res.headers, body: res.body });
      return res;
    } catch (e) {
      if (e instanceof HttpError && e.status !== undefined) this.exchanges.push({ ...base, status: e.status, headers: {}, body: e.body });
      throw e;
    }
  }

  /** The exchanges recorded since `mark` (an earlier length of `exchanges`). */
  since(mark: number): Exchange[] {
    return this.exchanges.slice(mark);
  }
}
