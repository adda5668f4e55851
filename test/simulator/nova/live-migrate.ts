import type { SimResponse } from '../http-types.ts';
import { LiveMigrationRefused } from '../live-migration.ts';
import { okEmpty, requireAdmin } from './context.ts';
import type { NovaCtx } from './context.ts';
import { NovaError } from './errors.ts';
import { findServer } from './servers.ts';
import { HOSTNAME, toBool, validate } from './validation.ts';
import type { ObjectSchema, PropSchema } from './validation.ts';

// nova/api/openstack/compute/schemas/migrate_server.py: below 2.25 block_migration and
// disk_over_commit are required booleans; from 2.25 block_migration may be 'auto' and
// disk_over_commit is gone; 2.30-2.67 accept force. host is required, null allowed.
function schema(ctx: NovaCtx): ObjectSchema {
  const bool: PropSchema = { type: 'boolean' };
  const host: PropSchema = { ...HOSTNAME, nullable: true } as PropSchema;
  const props: Record<string, PropSchema> = ctx.mv.lt('2.25')
    ? { block_migration: bool, disk_over_commit: bool, host }
    : { block_migration: { type: 'boolean', also: ['auto'] }, host };
  if (ctx.mv.ge('2.30') && ctx.mv.lt('2.68')) props['force'] = bool;
  const inner: ObjectSchema = { type: 'object', properties: props, additionalProperties: false,
    required: ctx.mv.lt('2.25') ? ['block_migration', 'disk_over_commit', 'host'] : ['block_migration', 'host'] };
  return { type: 'object', properties: { 'os-migrateLive': inner }, required: ['os-migrateLive'], additionalProperties: false };
}

const LIVE_VM_STATES = ['active', 'paused'];

/**
 * POST /servers/{id}/action {"os-migrateLive": ...}: Nova's checks in Nova's order (schema,
 * 404, policy, force without host, vm_state/task_state 409, unknown host 400), then 202 with an
 * empty body and the live migration (live-migration.ts). The conductor's checks (no valid host,
 * the source as a forced target) answer with a 400 below 2.34 and end the migration `error`
 * after the 202 from 2.34.
 */
export function liveMigrate(ctx: NovaCtx, id: string, body: unknown): SimResponse {
  validate(body, schema(ctx));
  const server = findServer(ctx, id);
  requireAdmin(ctx, 'os_compute_api:os-migrate-server:migrate_live');
  const o = (body as { 'os-migrateLive': Record<string, unknown> })['os-migrateLive'];
  const host = typeof o['host'] === 'string' && o['host'] !== '' ? o['host'] : undefined;
  const force = ctx.mv.ge('2.30') && 'force' in o ? toBool(o['force']) : false;
  if (force && host === undefined) throw new NovaError(400, "Can't force to a non-provided destination");
  const conflict = (attr: string, state: unknown) =>
    new NovaError(409, `Cannot 'os-migrateLive' instance ${id} while it is in ${attr} ${state ?? 'None'}`);
  if (!LIVE_VM_STATES.includes(server.vmState)) throw conflict('vm_state', server.vmState);
  if (server.taskState !== null) throw conflict('task_state', server.taskState);
  if (!server.launchedAt) throw conflict('launched_at', null);
  if (host !== undefined && !ctx.model.computes.has(host)) throw new NovaError(400, `Compute host ${host} could not be found.`);
  try {
    ctx.liveMigrator.start(server, { host, force: host !== undefined && (ctx.mv.lt('2.30') || force), sync: ctx.mv.lt('2.34'),
      userId: ctx.token.userId, projectId: ctx.token.projectId ?? ctx.model.adminProjectId });
  } catch (e) {
    if (e instanceof LiveMigrationRefused) throw new NovaError(400, e.message);
    throw e;
  }
  return okEmpty(ctx, 202);
}
