import type { AuthConfig } from './config.ts';
import { ConfigError } from './errors.ts';
import { HttpClient, HttpError } from '../http.ts';
import { registerSecret } from '../secrets.ts';
import type { CachedToken, TokenCache } from './token-cache.ts';

// Keystone v3: one token per agent run (re-issued once if a service says it expired), and
// endpoints from its catalog by service type, interface and region. With a TokenCache, one
// token for every process of the machine logging in as the same identity (fence_compute).

interface CatalogEndpoint { interface: string; region?: string; region_id?: string; url: string }
interface CatalogEntry { type: string; name?: string; endpoints: CatalogEndpoint[] }
interface TokenBody { token: { expires_at?: string; catalog?: CatalogEntry[] } }
interface VersionsBody { versions?: { values?: { id: string; status?: string; links?: { rel: string; href: string }[] }[] } }

export interface KeystoneOptions {
  warn?: (line: string) => void;
  debug?: (line: string) => void;
  /** Shares the token with other processes of this machine. */
  cache?: TokenCache;
}

/** A shared token is taken only while valid this much longer: a whole fencing action. */
const CACHE_MARGIN_MS = 5 * 60_000;

export class Keystone {
  readonly http: HttpClient;
  private readonly config: AuthConfig;
  private readonly options: KeystoneOptions;
  private current: { token: string; expiresAt: number; catalog: CatalogEntry[] } | undefined;
  private pending: Promise<string> | undefined;

  constructor(config: AuthConfig, http: HttpClient, options: KeystoneOptions = {}) {
    this.config = config;
    this.http = http;
    this.options = options;
  }

  /** A valid token, issuing one when there is none or it expires within a minute. */
  async token(): Promise<string> {
    if (this.current && this.current.expiresAt - Date.now() > 60_000) return this.current.token;
    // Concurrent callers share one authentication.
    this.pending ??= (this.options.cache ? this.shared(this.options.cache) : this.authenticate()).finally(() => { this.pending = undefined; });
    return this.pending;
  }

  /** A service answered 401: the token is gone (revoked, expired early). */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
    this.options.cache?.drop(token);
  }

  /** The cached token; else one login for all the processes waiting on the cache's lock (bounded). */
  private async shared(cache: TokenCache): Promise<string> {
    let found: CachedToken | undefined;
    const fresh = () => {
      found ??= cache.read(CACHE_MARGIN_MS);
      return found !== undefined;
    };
    const adopt = (c: CachedToken) => {
      registerSecret(c.token);
      this.current = { token: c.token, expiresAt: c.expiresAt, catalog: c.catalog as CatalogEntry[] };
      this.options.debug?.(`token cache: a shared token, valid ${Math.round((c.expiresAt - Date.now()) / 1000)} s more`);
      return c.token;
    };
    if (fresh()) return adopt(found!);
    // The login itself: version discovery and one POST, each within timeoutMs.
    const release = await cache.lock(2 * this.config.timeoutMs + 1000, fresh);
    try {
      if (fresh()) return adopt(found!);
      const token = await this.authenticate();
      if (this.current) cache.write(this.current);
      return token;
    } finally {
      release?.();
    }
  }

  async endpoint(serviceType: string): Promise<string> {
    await this.token();
    const entry = this.current?.catalog.find((c) => c.type === serviceType);
    if (!entry) throw new ConfigError(`Keystone catalog has no ${serviceType} service`);
    const region = this.config.regionName;
    const candidates = entry.endpoints.filter((e) => e.interface === this.config.interface
      && (!region || e.region_id === region || e.region === region));
    const chosen = candidates[0];
    if (!chosen) {
      throw new ConfigError(`Keystone catalog has no ${this.config.interface} ${serviceType} endpoint${region ? ` in region ${region}` : ''}`);
    }
    return chosen.url.replace(/\/+$/, '');
  }

  private async authenticate(): Promise<string> {
    const base = await this.v3Url();
    const res = await this.http.request<TokenBody>({ method: 'POST', url: `${base}/auth/tokens`, body: this.authBody(), what: 'Keystone: authenticate' })
      .catch((e: unknown) => {
        if (e instanceof HttpError && e.status === 401) throw new HttpError('Keystone: authentication failed (HTTP 401): check the user, password and project', 401);
        throw e;
      });
    const token = res.headers['x-subject-token'];
    if (!token) throw new HttpError('Keystone: authentication answer has no X-Subject-Token header', res.status);
    registerSecret(token);
    const expiresAt = Date.parse(res.body?.token?.expires_at ?? '') || Date.now() + 3600_000;
    this.current = { token, expiresAt, catalog: res.body?.token?.catalog ?? [] };
    return token;
  }

  /** auth_url may name v3, the retired v2.0, or only the server: find v3. */
  private async v3Url(): Promise<string> {
    const url = this.config.authUrl.replace(/\/+$/, '');
    if (/\/v3$/.test(url)) return url;
    if (/\/v2\.0$/.test(url)) {
      this.options.warn?.('auth_url names Keystone v2.0, which is retired: using v3 on the same server');
      return url.replace(/\/v2\.0$/, '/v3');
    }
    const res = await this.http.request<VersionsBody>({ method: 'GET', url, what: 'Keystone: version discovery' })
      .catch((e: unknown) => {
        // 300 Multiple Choices is Keystone's normal answer here.
        if (e instanceof HttpError && e.status === 300) return { status: 300, headers: {}, body: e.body as VersionsBody };
        throw e;
      });
    const v3 = res.body?.versions?.values?.find((v) => v.id.startsWith('v3'));
    const self = v3?.links?.find((l) => l.rel === 'self')?.href;
    return (self ?? `${url}/v3`).replace(/\/+$/, '');
  }

  private authBody(): unknown {
    const c = this.config;
    if (c.appCredentialId || c.appCredentialName) {
      const cred = c.appCredentialId
        ? { id: c.appCredentialId, secret: c.appCredentialSecret }
        : { name: c.appCredentialName, secret: c.appCredentialSecret, user: userRef(c) };
      return { auth: { identity: { methods: ['application_credential'], application_credential: cred } } };
    }
    if (!c.password) throw new ConfigError('no password (password, password_script, clouds.yaml or OS_PASSWORD)');
    const project = c.projectId
      ? { id: c.projectId }
      : { name: c.projectName, domain: c.projectDomainId ? { id: c.projectDomainId } : { name: c.projectDomainName ?? 'Default' } };
    return {
      auth: {
        identity: { methods: ['password'], password: { user: { ...userRef(c), password: c.password } } },
        ...(c.projectId || c.projectName ? { scope: { project } } : {}),
      },
    };
  }
}

function userRef(c: AuthConfig): Record<string, unknown> {
  if (c.userId) return { id: c.userId };
  if (!c.username) throw new ConfigError('no user (username or user_id)');
  return { name: c.username, domain: c.userDomainId ? { id: c.userDomainId } : { name: c.userDomainName ?? 'Default' } };
}
