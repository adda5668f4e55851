import type { SimResponse } from '../http-types.ts';
import { novaTime } from '../time.ts';
import { ok, requireAdmin } from './context.ts';
import type { NovaCtx } from './context.ts';

/** GET /os-aggregates (uuid from 2.41). */
export function listAggregates(ctx: NovaCtx): SimResponse {
  requireAdmin(ctx, 'os_compute_api:os-aggregates:index');
  const aggregates = [...ctx.model.aggregates.values()].sort((a, b) => a.id - b.id).map((a) => ({
    id: a.id, ...(ctx.mv.ge('2.41') ? { uuid: a.uuid } : {}), name: a.name, hosts: [...a.hosts], metadata: { ...a.metadata },
    created_at: novaTime(a.createdAt), updated_at: a.updatedAt ? novaTime(a.updatedAt) : null, deleted_at: null,
    deleted: false, availability_zone: a.availabilityZone,
  }));
  return ok(ctx, { aggregates });
}
