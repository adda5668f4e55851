import { createHash, randomBytes } from 'node:crypto';

// Deterministic identifiers: the same seed always yields the same sequence, so a test that
// builds the same model twice sees the same UUIDs (handy in failure messages and snapshots).
export class IdSource {
  #seed: string;
  #n = 0;

  constructor(seed: string) {
    this.#seed = seed;
  }

  #digest(): string {
    return createHash('sha256').update(`${this.#seed}:${this.#n++}`).digest('hex');
  }

  /** A version-4-shaped UUID (Nova, Glance). */
  uuid(): string {
    const h = this.#digest();
    const variant = (8 + (parseInt(h.charAt(16), 16) & 3)).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** 32 hex digits without dashes (Keystone ids). */
  hex(): string {
    return this.#digest().slice(0, 32);
  }
}

/** Unpredictable secrets (tokens, generated passwords) never come from the seed. */
export function randomToken(bytes = 96): string {
  return 'gAAAAA' + randomBytes(bytes).toString('base64url');
}

export function randomPassword(length = 12): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const raw = randomBytes(length);
  let out = '';
  for (const b of raw) out += alphabet.charAt(b % alphabet.length);
  return out;
}
