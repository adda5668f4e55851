import { createHash, randomBytes, scryptSync } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthConfig } from './config.ts';
import { sleep } from '../time.ts';

// A Keystone token shared by the fence_compute processes of one machine: with
// pcmk_action_limit=-1 a mass fencing starts one per target at once, and without it each would
// log in. One file per identity and credential, named by a hash (a changed or wrong password
// finds no token: it logs in, and fails as it should), holding
// the token, its expiry and the catalog; root-only (0600 in a 0700 directory we own, else not
// used: the catalog says where the token is sent). Written whole (temp file + rename). A lock
// file (O_EXCL) lets one process log in while the others wait, bounded, and read its token.
// Nothing here fails a fencing: any problem means a normal login, and one debug line.

export const TOKEN_CACHE_DIR = '/run/instance-ha/tokens';

export interface CachedToken { token: string; expiresAt: number; catalog: unknown[] }

const MAX_FILE = 4 * 1024 * 1024;
const POLL_MS = 50;

/** The file name: a hash of the identity and of a slow hash of its secret (never the secret itself). */
export function identityKey(c: AuthConfig): string {
  const who = [c.authUrl.replace(/\/+$/, ''), c.userId, c.username, c.userDomainId, c.userDomainName, c.projectId, c.projectName,
    c.projectDomainId, c.projectDomainName, c.appCredentialId, c.appCredentialName, c.regionName, c.interface];
  const id = createHash('sha256').update(JSON.stringify(who)).digest();
  // scrypt, salted by the identity: the name tells nobody the password, yet differs with it (~20 ms)
  const secret = scryptSync(c.password ?? c.appCredentialSecret ?? '', id, 32, { N: 2 ** 14 });
  return createHash('sha256').update(id).update(secret).digest('hex').slice(0, 32);
}

export class TokenCache {
  private readonly file: string;
  private readonly lockFile: string;
  private readonly dir: string;
  private readonly debug: (line: string) => void;

  constructor(dir: string, key: string, debug: (line: string) => void) {
    this.dir = dir;
    this.file = join(dir, `${key}.json`);
    this.lockFile = join(dir, `${key}.lock`);
    this.debug = debug;
  }

  /** The cached token if it is still valid for more than marginMs. */
  read(marginMs: number): CachedToken | undefined {
    return this.quietly('read', () => {
      let fd: number;
      try { fd = openSync(this.file, constants.O_RDONLY | constants.O_NOFOLLOW); } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      try {
        const st = fstatSync(fd);
        if (!st.isFile() || st.uid !== process.getuid?.() || (st.mode & 0o077) !== 0 || st.size > MAX_FILE) throw new Error('not a root-only file');
        const entry = parse(readFileSync(fd, 'utf8'));
        return entry && entry.expiresAt - Date.now() > marginMs ? entry : undefined;
      } finally { closeSync(fd); }
    });
  }

  write(entry: CachedToken): void {
    this.quietly('write', () => {
      this.ownDir();
      const tmp = join(this.dir, `.${randomBytes(6).toString('hex')}.tmp`);
      try {
        writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600, flag: 'wx' });
        renameSync(tmp, this.file);
      } catch (e) { try { unlinkSync(tmp); } catch { /* gone */ } throw e; }
    });
  }

  /** A service refused this token (401): nobody may use it again. */
  drop(token: string): void {
    this.quietly('drop', () => { if (this.read(-Infinity)?.token === token) unlinkSync(this.file); });
  }

  /**
   * The lock for one login, or undefined once waitMs passed or `ready()` (another process's
   * token arrived) — the caller then logs in without it. A lock older than waitMs is a dead
   * holder's: it is taken over.
   */
  async lock(waitMs: number, ready: () => boolean): Promise<(() => void) | undefined> {
    const end = Date.now() + waitMs;
    for (let first = true; ; first = false) {
      const held = this.quietly('lock', () => {
        if (first) this.ownDir();
        try {
          closeSync(openSync(this.lockFile, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
          return true;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
          if (Date.now() - statSync(this.lockFile).mtimeMs > waitMs) unlinkSync(this.lockFile);
          return false;
        }
      });
      if (held) return () => this.quietly('unlock', () => unlinkSync(this.lockFile));
      if (held === undefined || ready() || Date.now() >= end) return undefined;
      await sleep(POLL_MS / 2 + Math.random() * POLL_MS);
    }
  }

  /** The directory: created 0700, used only when it is ours and nobody else's. */
  private ownDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(this.dir);
    if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o077) !== 0) throw new Error(`${this.dir} is not a directory only its owner may use`);
  }

  /** Runs fn; a failure is one debug line (its code or our own words: never file contents). */
  private quietly<T>(what: string, fn: () => T): T | undefined {
    try { return fn(); } catch (e) {
      const err = e as NodeJS.ErrnoException;
      this.debug(`token cache: ${what} failed (${err.code ?? (e instanceof SyntaxError ? 'not JSON' : err.message)}); logging in without it`);
      return undefined;
    }
  }
}

function parse(text: string): CachedToken | undefined {
  const v = JSON.parse(text) as Partial<CachedToken>;
  if (typeof v.token !== 'string' || typeof v.expiresAt !== 'number' || !Array.isArray(v.catalog)) throw new Error('not a token entry');
  return { token: v.token, expiresAt: v.expiresAt, catalog: v.catalog };
}
