import type { SimResponse } from '../http-types.ts';
import type { Migration } from '../model-types.ts';
import { novaTime } from '../time.ts';
import { links, ok, requireAdmin } from './context.ts';
import type { NovaCtx } from './context.ts';
import { NovaError } from './errors.ts';
import { collectionLinks, pageParams } from './paging.ts';

const LIVE_IN_PROGRESS = new Set(['queued', 'preparing', 'running', 'post-migrating']);

function view(ctx: NovaCtx, m: Migration): Record<string, unknown> {
  const v: Record<string, unknown> = { id: m.id };
  if (ctx.mv.ge('2.59')) v['uuid'] = m.uuid;
  Object.assign(v, {
    source_compute: m.sourceCompute, dest_compute: m.destCompute, source_node: m.sourceNode, dest_node: m.destNode,
    dest_host: m.destHost, old_instance_type_id: m.oldInstanceTypeId, new_instance_type_id: m.newInstanceTypeId,
    instance_uuid: m.instanceUuid, status: m.status,
  });
  if (ctx.mv.ge('2.23')) v['migration_type'] = m.migrationType;
  if (ctx.mv.ge('2.80')) Object.assign(v, { user_id: m.userId, project_id: m.projectId });
  Object.assign(v, { created_at: novaTime(m.createdAt), updated_at: m.updatedAt ? novaTime(m.updatedAt) : null });
  // from 2.23 a live migration in progress links to /servers/{id}/migrations/{id}
  if (ctx.mv.ge('2.23') && m.migrationType === 'live-migration' && LIVE_IN_PROGRESS.has(m.status)) {
    v['links'] = links(ctx, `servers/${m.instanceUuid}/migrations`, m.id);
  }
  return v;
}

/**
 * GET /os-migrations: filters host (source or destination), status, migration_type,
 * instance_uuid, source_compute; from 2.59 newest first with limit/marker (marker = uuid).
 */
export function listMigrations(ctx: NovaCtx): SimResponse {
  requireAdmin(ctx, 'os_compute_api:os-migrations:index');
  const q = ctx.query;
  const eq = (name: string, value: string | null) => q.get(name) === null || q.get(name) === value;
  let list = [...ctx.model.migrations.values()].filter((m) =>
    (q.get('host') === null || m.sourceCompute === q.get('host') || m.destCompute === q.get('host'))
    && eq('status', m.status) && eq('migration_type', m.migrationType) && eq('instance_uuid', m.instanceUuid)
    && eq('source_compute', m.sourceCompute));
  // changes-since exists from 2.59 (older versions ignore it, as Nova's schema does).
  const since = ctx.mv.lt('2.59') ? null : q.get('changes-since');
  if (since !== null) list = list.filter((m) => (m.updatedAt ?? m.createdAt).getTime() >= Date.parse(since));
  if (ctx.mv.lt('2.59')) return ok(ctx, { migrations: list.sort((a, b) => a.id - b.id).map((m) => view(ctx, m)) });

  const order = (a: Migration, b: Migration) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id;
  list.sort(order);
  const { limit, marker } = pageParams(ctx);
  if (marker !== undefined) {
    const mk = [...ctx.model.migrations.values()].find((m) => m.uuid === marker);
    if (!mk) throw new NovaError(400, `Marker ${marker} could not be found.`);
    list = list.filter((m) => order(mk, m) < 0);
  }
  const page = list.slice(0, limit);
  const body: Record<string, unknown> = { migrations: page.map((m) => view(ctx, m)) };
  const next = collectionLinks(ctx, page.length, limit, 'os-migrations', page[page.length - 1]?.uuid);
  if (next.length) body['migrations_links'] = next;
  return ok(ctx, body);
}
