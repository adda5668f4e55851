import type { SimResponse } from '../http-types.ts';
import type { Server } from '../server-record.ts';
import { newestFirst } from '../server-record.ts';
import { isAdmin, links, ok } from './context.ts';
import type { NovaCtx } from './context.ts';
import { NovaError } from './errors.ts';
import { collectionLinks, pageParams } from './paging.ts';
import { serverView } from './server-view.ts';

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

function allTenants(ctx: NovaCtx): boolean {
  const raw = ctx.query.get('all_tenants');
  if (raw === null) return false;
  if (raw === '' || TRUE.includes(raw.toLowerCase())) return true;
  if (FALSE.includes(raw.toLowerCase())) return false;
  throw new NovaError(400, `Invalid value '${raw}' for all_tenants.`);
}

// Admin filters (all_tenants, host) are ignored for other users, as Nova drops them.
function candidates(ctx: NovaCtx): Server[] {
  const admin = isAdmin(ctx);
  const q = ctx.query;
  const host = admin ? q.get('host') : null;
  const project = admin && allTenants(ctx) ? q.get('project_id') ?? q.get('tenant_id') : ctx.token.projectId;
  const status = q.get('status')?.toUpperCase() ?? null;
  const name = q.get('name');
  const nameRe = name === null ? null : new RegExp(name);
  const tags = q.get('tags')?.split(',') ?? null;
  const tagsAny = q.get('tags-any')?.split(',') ?? null;
  const since = q.get('changes-since');
  const sinceMs = since === null ? null : Date.parse(since);
  if (sinceMs !== null && !Number.isFinite(sinceMs)) throw new NovaError(400, `Invalid input for query parameters changes-since. Value: ${since}.`);
  const pool = host !== null ? ctx.model.serversOn(host) : ctx.model.servers.values();
  const out: Server[] = [];
  for (const s of pool) {
    if (project !== null && s.tenantId !== project) continue;
    if (status !== null && s.status !== status) continue;
    if (nameRe && !nameRe.test(s.name)) continue;
    if (tags && !tags.every((t) => s.tags.includes(t))) continue;
    if (tagsAny && !tagsAny.some((t) => s.tags.includes(t))) continue;
    if (sinceMs !== null && s.updatedAt.getTime() < sinceMs) continue;
    out.push(s);
  }
  return out.sort(newestFirst);
}

/** GET /servers and /servers/detail: Nova's filters, order and limit/marker paging. */
export function listServers(ctx: NovaCtx, details: boolean): SimResponse {
  const { limit, marker } = pageParams(ctx);
  let list = candidates(ctx);
  if (marker !== undefined) {
    const m = ctx.model.servers.get(marker);
    if (!m) throw new NovaError(400, `Marker ${marker} could not be found.`);
    list = list.filter((s) => newestFirst(m, s) < 0); // strictly after the marker's sort position
  }
  const page = list.slice(0, limit);
  const body: Record<string, unknown> = {
    servers: page.map((s) => (details ? serverView(ctx, s, false) : { id: s.id, name: s.name, links: links(ctx, 'servers', s.id) })),
  };
  const next = collectionLinks(ctx, page.length, limit, details ? 'servers/detail' : 'servers', page[page.length - 1]?.id);
  if (next.length) body['servers_links'] = next;
  return ok(ctx, body);
}

export function findServer(ctx: NovaCtx, id: string): Server {
  const s = ctx.model.servers.get(id);
  if (!s || (!isAdmin(ctx) && s.tenantId !== ctx.token.projectId)) throw new NovaError(404, `Instance ${id} could not be found.`);
  return s;
}

export function showServer(ctx: NovaCtx, [id = '']: string[]): SimResponse {
  return ok(ctx, { server: serverView(ctx, findServer(ctx, id), true) });
}
