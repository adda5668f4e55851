import { randomToken } from './ids.ts';

export interface TokenRecord {
  id: string;
  userId: string;
  projectId: string | null;
  roles: string[];
  methods: string[];
  appCredentialId: string | null;
  issuedAt: Date;
  expiresAt: Date;
  auditId: string;
}

// Issued Keystone tokens. Nova and Glance accept a token while it is known and not expired.
export class TokenStore {
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #ttlMs: () => number;

  constructor(ttlMs: () => number) {
    this.#ttlMs = ttlMs;
  }

  issue(t: Omit<TokenRecord, 'id' | 'issuedAt' | 'expiresAt' | 'auditId'>): TokenRecord {
    const now = new Date();
    const rec: TokenRecord = { ...t, id: randomToken(), issuedAt: now, expiresAt: new Date(now.getTime() + this.#ttlMs()),
      auditId: randomToken(16).slice(6, 28) };
    this.#tokens.set(rec.id, rec);
    return rec;
  }

  get(id: string | undefined): TokenRecord | undefined {
    if (!id) return undefined;
    const t = this.#tokens.get(id);
    if (!t || t.expiresAt.getTime() <= Date.now()) return undefined;
    return t;
  }

  /** Every token issued so far stops working (fault kind expireToken). */
  revokeAll(): void {
    this.#tokens.clear();
  }
}
