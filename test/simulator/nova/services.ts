import type { ServiceRecord } from '../model-types.ts';
import { novaTime } from '../time.ts';
import { body, ok, requireAdmin } from './context.ts';
import type { NovaCtx } from './context.ts';
import { NovaError } from './errors.ts';
import { HOSTNAME, toBool, validate } from './validation.ts';
import type { ObjectSchema } from './validation.ts';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function serviceView(ctx: NovaCtx, s: ServiceRecord): Record<string, unknown> {
  // a live service heartbeats, so its updated_at keeps moving (whole seconds, as in the DB)
  const updated = s.alive && !s.forcedDown ? new Date(Math.floor(Date.now() / 1000) * 1000) : s.updatedAt;
  const v: Record<string, unknown> = {
    binary: s.binary, host: s.host, id: ctx.mv.ge('2.53') ? s.uuid : s.id, zone: s.zone,
    status: s.disabled ? 'disabled' : 'enabled', state: ctx.model.isUp(s) ? 'up' : 'down',
    updated_at: novaTime(updated), disabled_reason: s.disabledReason,
  };
  if (ctx.mv.ge('2.11')) v['forced_down'] = s.forcedDown;
  return v;
}

export function listServices(ctx: NovaCtx): ReturnType<typeof ok> {
  requireAdmin(ctx, 'os_compute_api:os-services:list');
  const host = ctx.query.get('host');
  const binary = ctx.query.get('binary');
  const services = [...ctx.model.services.values()]
    .filter((s) => (host === null || s.host === host) && (binary === null || s.binary === binary))
    .sort((a, b) => a.id - b.id);
  return ok(ctx, { services: services.map((s) => serviceView(ctx, s)) });
}

const REASON = { type: 'string', minLength: 1, maxLength: 255 } as const;
const V21: ObjectSchema = { type: 'object', properties: { host: HOSTNAME, binary: { type: 'string', minLength: 1, maxLength: 255 },
  disabled_reason: REASON }, required: ['host', 'binary'], additionalProperties: false };
const V211: ObjectSchema = { ...V21, properties: { ...V21.properties, forced_down: { type: 'boolean' } } };
const V253: ObjectSchema = { type: 'object', properties: { status: { type: 'enum', values: ['enabled', 'disabled'] },
  disabled_reason: REASON, forced_down: { type: 'boolean' } }, additionalProperties: false,
anyOfRequired: [['status'], ['forced_down']] };

/** PUT /os-services/{id}: the 2.53 form by uuid, or the older {host, binary} actions. */
export function updateService(ctx: NovaCtx, [id = '']: string[]): ReturnType<typeof ok> {
  const b = body(ctx);
  validate(b, ctx.mv.ge('2.53') ? V253 : ctx.mv.ge('2.11') ? V211 : V21);
  requireAdmin(ctx, 'os_compute_api:os-services:update');
  const req = b as Record<string, unknown>;
  return ctx.mv.ge('2.53') ? updateByUuid(ctx, id, req) : legacyAction(ctx, id, req);
}

function updateByUuid(ctx: NovaCtx, id: string, b: Record<string, unknown>): ReturnType<typeof ok> {
  if (!UUID.test(id)) throw new NovaError(400, `Invalid uuid ${id}`);
  const svc = ctx.model.serviceByUuid(id);
  if (!svc) throw new NovaError(404, `Service ${id} could not be found.`);
  if (svc.binary !== 'nova-compute') {
    throw new NovaError(400, `Updating a ${svc.binary} service is not supported. Only nova-compute services can be updated.`);
  }
  if (b['status'] === 'enabled' && b['disabled_reason']) {
    throw new NovaError(400, "Specifying 'disabled_reason' with status 'enabled' is invalid.");
  }
  const forcedDown = 'forced_down' in b ? toBool(b['forced_down']) : undefined;
  if (forcedDown === false) assertNoDoneEvacuations(ctx, svc.host);
  if (b['status'] === 'enabled') {
    svc.disabled = false;
    svc.disabledReason = null;
  } else if (b['status'] === 'disabled') {
    svc.disabled = true;
    svc.disabledReason = typeof b['disabled_reason'] === 'string' ? b['disabled_reason'] : null;
  }
  if (forcedDown !== undefined) svc.forcedDown = forcedDown;
  svc.updatedAt = new Date();
  return ok(ctx, { service: serviceView(ctx, svc) });
}

function legacyAction(ctx: NovaCtx, action: string, b: Record<string, unknown>): ReturnType<typeof ok> {
  const actions = ['enable', 'disable', 'disable-log-reason', ...(ctx.mv.ge('2.11') ? ['force-down'] : [])];
  if (!actions.includes(action)) throw new NovaError(404, 'Unknown action');
  const host = String(b['host']);
  const binary = String(b['binary']);
  const svc = () => {
    if (binary !== 'nova-compute') {
      throw new NovaError(400, `Updating a ${binary} service is not supported. Only nova-compute services can be updated.`);
    }
    const s = [...ctx.model.services.values()].find((x) => x.host === host && x.binary === binary);
    if (!s) throw new NovaError(404, `Could not find binary ${binary} on host ${host}.`);
    return s;
  };
  if (action === 'force-down') {
    if (!('forced_down' in b)) throw new NovaError(400, 'Missing forced_down field');
    const down = toBool(b['forced_down']);
    if (!down && binary === 'nova-compute') assertNoDoneEvacuations(ctx, host);
    const s = svc();
    s.forcedDown = down;
    s.updatedAt = new Date();
    return ok(ctx, { service: { host, binary, forced_down: down } });
  }
  if (action === 'enable') {
    const s = svc();
    s.disabled = false;
    s.disabledReason = null;
    return ok(ctx, { service: { host, binary, status: 'enabled' } });
  }
  const reason = b['disabled_reason'];
  if (action === 'disable-log-reason' && (typeof reason !== 'string' || reason.trim() === '')) {
    throw new NovaError(400, 'Missing disabled reason field');
  }
  const s = svc();
  s.disabled = true;
  s.disabledReason = action === 'disable-log-reason' ? String(reason) : null;
  return ok(ctx, { service: action === 'disable' ? { host, binary, status: 'disabled' }
    : { host, binary, status: 'disabled', disabled_reason: reason } });
}

// Since Zed Nova refuses to un-force a host while `done` evacuations still name it as source:
// only the restarted nova-compute (model.recover) moves them to `completed`.
function assertNoDoneEvacuations(ctx: NovaCtx, host: string): void {
  for (const m of ctx.model.migrations.values()) {
    if (m.sourceCompute === host && m.migrationType === 'evacuation' && m.status === 'done') {
      throw new NovaError(400, `Unable to force up host ${host} as \`done\` evacuation migration records remain `
        + 'associated with the host. Ensure the compute service has been restarted, allowing these records to move to '
        + '`completed` before retrying this request.');
    }
  }
}
