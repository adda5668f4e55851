import { jsonBody } from '../http-types.ts';
import type { SimRequest, SimResponse } from '../http-types.ts';
import type { CloudModel } from '../model.ts';
import type { LiveMigrator } from '../live-migration.ts';
import type { Evacuator } from '../rebuild.ts';
import type { TokenRecord } from '../tokens.ts';
import { NovaError, policyError } from './errors.ts';
import type { Microversion } from './microversion.ts';
import { versionHeaders } from './microversion.ts';

/** Everything a Nova handler needs for one request. */
export interface NovaCtx {
  req: SimRequest;
  model: CloudModel;
  token: TokenRecord;
  mv: Microversion;
  query: URLSearchParams;
  evacuator: Evacuator;
  liveMigrator: LiveMigrator;
  /** e.g. http://127.0.0.1:PORT/compute (bookmark links) */
  root: string;
}

export type NovaHandler = (ctx: NovaCtx, params: string[]) => SimResponse;

export function isAdmin(ctx: NovaCtx): boolean {
  return ctx.token.roles.includes('admin');
}

export function requireAdmin(ctx: NovaCtx, rule: string): void {
  if (!isAdmin(ctx)) throw policyError(rule);
}

export function ok(ctx: NovaCtx, body: unknown, status = 200): SimResponse {
  return { status, body, microversion: ctx.mv.toString(),
    headers: { 'content-type': 'application/json', ...versionHeaders(ctx.mv.toString()) } };
}

/** Nova's "return None" from an action: 200, JSON content type, empty body. */
export function okEmpty(ctx: NovaCtx, status = 200): SimResponse {
  return { ...ok(ctx, undefined, status), body: undefined };
}

export function body(ctx: NovaCtx): unknown {
  try {
    return jsonBody(ctx.req);
  } catch {
    throw new NovaError(400, 'Malformed request body');
  }
}

/** v2.1 self link and unversioned bookmark link of a resource. */
export function links(ctx: NovaCtx, collection: string, id: string | number): Array<{ rel: string; href: string }> {
  return [
    { rel: 'self', href: `${ctx.root}/v2.1/${collection}/${id}` },
    { rel: 'bookmark', href: `${ctx.root}/${collection}/${id}` },
  ];
}
