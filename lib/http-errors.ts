import { squeezed } from './text.ts';

// What went wrong with a request, as one line, and whether it may pass (lib/openstack/service.ts
// retries a GET that failed for a passing reason).

/** A request that did not get a 2xx answer; one line saying what, where and why. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number | undefined;
  readonly body: unknown;
  /** A failure that may pass (500/502/503/504, a refused or reset connection, a timeout): worth a retry where that is safe. */
  readonly transient: boolean;
  constructor(message: string, status?: number, body?: unknown, transient = false) {
    super(message);
    this.status = status;
    this.body = body;
    this.transient = transient;
  }
}

export const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
// Not TLS or name errors: they do not pass within seconds.
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

type TransportFailure = { code?: string; name?: string; message?: string; cause?: { code?: string } };

function parts(e: unknown, timeoutMs: number, elapsed: number): { err: TransportFailure; code: string | undefined; timedOut: boolean } {
  const err = e as TransportFailure;
  const code = err.code ?? err.cause?.code;
  const timedOut = err.name === 'CanceledError' || err.name === 'AbortError' || code === 'ERR_CANCELED' || code === 'ETIMEDOUT' || code === 'ECONNABORTED' || elapsed >= timeoutMs;
  return { err, code, timedOut };
}

export function transientTransport(e: unknown, timeoutMs: number, elapsed: number): boolean {
  const { err, code, timedOut } = parts(e, timeoutMs, elapsed);
  return timedOut || (code !== undefined && TRANSIENT_CODES.has(code)) || /socket hang up/i.test(err.message ?? '');
}

export function transportReason(e: unknown, timeoutMs: number, elapsed: number): string {
  const { err, code, timedOut } = parts(e, timeoutMs, elapsed);
  if (timedOut) {
    return `no complete answer within ${timeoutMs / 1000} s`;
  }
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by the server',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed',
    EHOSTUNREACH: 'host unreachable',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed (set cacert, or insecure=1)',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is not trusted (set cacert)',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified (set cacert)',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
    CERT_HAS_EXPIRED: 'TLS certificate has expired',
    ERR_FR_MAX_BODY_LENGTH_EXCEEDED: 'answer too large',
  };
  return (code && known[code]) ?? squeezed(err.message ?? String(e));
}
