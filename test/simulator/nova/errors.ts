import type { SimResponse } from '../http-types.ts';
import { versionHeaders } from './microversion.ts';

// nova/api/openstack/wsgi.py Fault: the body key depends on the status code.
const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest', 401: 'unauthorized', 403: 'forbidden', 404: 'itemNotFound', 405: 'badMethod',
  409: 'conflictingRequest', 413: 'overLimit', 415: 'badMediaType', 429: 'overLimit', 501: 'notImplemented',
  503: 'serviceUnavailable',
};

/** Thrown by Nova handlers; turned into Nova's error body. */
export class NovaError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export function faultBody(status: number, message: string): unknown {
  return { [FAULT_NAMES[status] ?? 'computeFault']: { code: status, message } };
}

/** Nova's error responses carry charset=UTF-8, its successes do not (see the fixtures). */
export function novaError(status: number, message: string, echoVersion?: string): SimResponse {
  return {
    status, body: faultBody(status, message), microversion: echoVersion,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...(echoVersion ? versionHeaders(echoVersion) : {}) },
  };
}

/** keystonemiddleware's answer to a missing, unknown or expired token (no microversion headers). */
export function unauthorized(wwwAuthenticate: string): SimResponse {
  return {
    status: 401,
    body: { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } },
    headers: { 'content-type': 'application/json', 'www-authenticate': `Keystone uri="${wwwAuthenticate}"` },
  };
}

export const policyError = (rule: string): NovaError => new NovaError(403, `Policy doesn't allow ${rule} to be performed.`);
