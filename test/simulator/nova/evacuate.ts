import type { SimResponse } from '../http-types.ts';
import { randomPassword } from '../ids.ts';
import type { Server } from '../server-record.ts';
import { ok, okEmpty, requireAdmin } from './context.ts';
import type { NovaCtx } from './context.ts';
import { NovaError } from './errors.ts';
import { HOSTNAME, toBool, validate } from './validation.ts';
import type { ObjectSchema, PropSchema } from './validation.ts';

// nova/api/openstack/compute/schemas/evacuate.py, per microversion.
function schema(ctx: NovaCtx): ObjectSchema {
  const props: Record<string, PropSchema> = { host: HOSTNAME };
  if (ctx.mv.lt('2.14')) props['onSharedStorage'] = { type: 'boolean' };
  props['adminPass'] = { type: 'string' };
  if (ctx.mv.ge('2.29') && ctx.mv.lt('2.68')) props['force'] = { type: 'boolean' };
  const inner: ObjectSchema = { type: 'object', properties: props, additionalProperties: false,
    required: ctx.mv.lt('2.14') ? ['onSharedStorage'] : [] };
  return { type: 'object', properties: { evacuate: inner }, required: ['evacuate'], additionalProperties: false };
}

const EVACUABLE_VM_STATES = ['active', 'stopped', 'error'];

/**
 * POST /servers/{id}/action {"evacuate": ...}: Nova's checks in Nova's order, then the
 * asynchronous rebuild. Zed accepts any task_state (bug 1978983) and admins ignore locks.
 */
export function evacuate(ctx: NovaCtx, server: Server, body: unknown): SimResponse {
  validate(body, schema(ctx));
  requireAdmin(ctx, 'os_compute_api:os-evacuate');
  const e = (body as { evacuate: Record<string, unknown> }).evacuate;
  const host = typeof e['host'] === 'string' ? e['host'] : undefined;
  const force = ctx.mv.ge('2.29') && 'force' in e ? toBool(e['force']) : false;
  if (force && host === undefined) throw new NovaError(400, "Can't force to a non-provided destination");
  const shared = ctx.mv.lt('2.14') ? toBool(e['onSharedStorage']) : undefined;
  let password: string | null = null;
  if (ctx.mv.lt('2.14')) {
    if (shared && typeof e['adminPass'] === 'string') throw new NovaError(400, "admin password can't be changed on existing disk");
    if (!shared) password = typeof e['adminPass'] === 'string' ? e['adminPass'] : randomPassword();
  }
  if (host !== undefined) {
    if (!ctx.model.computes.has(host)) throw new NovaError(404, `Compute host ${host} not found.`);
    if (server.host === host) throw new NovaError(400, "The target host can't be the same one.");
  }
  if (!EVACUABLE_VM_STATES.includes(server.vmState)) {
    throw new NovaError(409, `Cannot 'evacuate' instance ${server.id} while it is in vm_state ${server.vmState}`);
  }
  const source = server.host === null ? undefined : ctx.model.computes.get(server.host);
  if (source && ctx.model.isUp(source)) throw new NovaError(400, `Compute service of ${source.host} is still in use.`);
  ctx.evacuator.start(server, { host, force: host !== undefined && (force || ctx.mv.lt('2.29')), stopAtEnd: ctx.mv.ge('2.95') });
  return ctx.mv.lt('2.14') ? ok(ctx, { adminPass: password }) : okEmpty(ctx);
}
