import { createHash } from 'node:crypto';
import type { Server } from '../server-record.ts';
import { isoSeconds, novaTime } from '../time.ts';
import type { NovaCtx } from './context.ts';
import { links } from './context.ts';

const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);
const FAULT_STATUSES = new Set(['ERROR', 'DELETED']);

// compute API get_instance_host_status: forced down beats disabled beats heartbeat.
function hostStatus(ctx: NovaCtx, s: Server): string {
  const c = s.host === null ? undefined : ctx.model.computes.get(s.host);
  if (!c) return '';
  if (c.forcedDown) return 'DOWN';
  if (c.disabled) return 'MAINTENANCE';
  return ctx.model.isUp(c) ? 'UP' : 'UNKNOWN';
}

function flavorView(ctx: NovaCtx, s: Server): unknown {
  const f = ctx.model.flavors.get(s.flavorId);
  if (ctx.mv.lt('2.47')) return { id: s.flavorId, links: [{ rel: 'bookmark', href: `${ctx.root}/flavors/${s.flavorId}` }] };
  return { vcpus: f?.vcpus ?? 0, ram: f?.ram ?? 0, disk: f?.disk ?? 0, ephemeral: f?.ephemeral ?? 0, swap: f?.swap ?? 0,
    original_name: f?.name ?? s.flavorId, extra_specs: { ...(f?.extraSpecs ?? {}) } };
}

/** A server as GET /servers/detail and GET /servers/{id} show it at the request's microversion. */
export function serverView(ctx: NovaCtx, s: Server, show: boolean): Record<string, unknown> {
  const mv = ctx.mv;
  const status = s.status;
  const v: Record<string, unknown> = {
    id: s.id, name: s.name, status, tenant_id: s.tenantId, user_id: s.userId, metadata: { ...s.metadata },
    hostId: s.host ? createHash('sha224').update(s.tenantId + s.host).digest('hex') : '',
    image: s.imageId === null ? '' : { id: s.imageId, links: [{ rel: 'bookmark', href: `${ctx.root}/images/${s.imageId}` }] },
    flavor: flavorView(ctx, s), created: isoSeconds(s.createdAt), updated: isoSeconds(s.updatedAt), addresses: {},
    accessIPv4: '', accessIPv6: '', links: links(ctx, 'servers', s.id), 'OS-DCF:diskConfig': 'MANUAL',
  };
  if (PROGRESS_STATUSES.has(status)) v['progress'] = 0;
  Object.assign(v, {
    'OS-EXT-AZ:availability_zone': s.availabilityZone, config_drive: '', key_name: s.keyName,
    'OS-SRV-USG:launched_at': s.launchedAt ? novaTime(s.launchedAt) : null, 'OS-SRV-USG:terminated_at': null,
    'OS-EXT-SRV-ATTR:host': s.host, 'OS-EXT-SRV-ATTR:instance_name': s.instanceName,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': s.node,
  });
  if (mv.ge('2.3')) {
    Object.assign(v, {
      'OS-EXT-SRV-ATTR:reservation_id': s.reservationId, 'OS-EXT-SRV-ATTR:launch_index': 0,
      'OS-EXT-SRV-ATTR:hostname': s.name, 'OS-EXT-SRV-ATTR:kernel_id': '', 'OS-EXT-SRV-ATTR:ramdisk_id': '',
      'OS-EXT-SRV-ATTR:root_device_name': '/dev/sda', 'OS-EXT-SRV-ATTR:user_data': null,
    });
  }
  Object.assign(v, {
    'OS-EXT-STS:task_state': s.taskState, 'OS-EXT-STS:vm_state': s.vmState, 'OS-EXT-STS:power_state': s.powerState,
    'os-extended-volumes:volumes_attached': s.volumes.map((id) => (mv.ge('2.3') ? { id, delete_on_termination: false } : { id })),
  });
  if (FAULT_STATUSES.has(status) && s.fault) {
    v['fault'] = { code: s.fault.code, created: isoSeconds(s.fault.created), message: s.fault.message, details: s.fault.details };
  }
  if (mv.ge('2.16')) v['host_status'] = hostStatus(ctx, s);
  if (mv.ge('2.9')) v['locked'] = s.locked;
  if (mv.ge('2.73')) v['locked_reason'] = s.lockedReason;
  if (mv.ge('2.19')) v['description'] = s.description;
  if (mv.ge('2.26')) v['tags'] = [...s.tags];
  if (mv.ge('2.63')) v['trusted_image_certificates'] = null;
  if (show && mv.ge('2.71')) v['server_groups'] = [];
  return v;
}
