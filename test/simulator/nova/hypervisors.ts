import type { SimResponse } from '../http-types.ts';
import type { ComputeHost } from '../model-types.ts';
import { ok, requireAdmin } from './context.ts';
import type { NovaCtx } from './context.ts';
import { NovaError } from './errors.ts';

const CPU_INFO = { arch: 'x86_64', model: 'Nehalem', vendor: 'Intel', features: ['pge', 'clflush'],
  topology: { cores: 1, threads: 1, sockets: 4 } };

function summary(ctx: NovaCtx, c: ComputeHost): Record<string, unknown> {
  return { id: ctx.mv.ge('2.53') ? c.hypervisor.uuid : c.hypervisor.id, hypervisor_hostname: c.hypervisor.hostname,
    state: ctx.model.isUp(c) ? 'up' : 'down', status: c.disabled ? 'disabled' : 'enabled' };
}

function detail(ctx: NovaCtx, c: ComputeHost): Record<string, unknown> {
  const v: Record<string, unknown> = {
    ...summary(ctx, c), hypervisor_type: c.hypervisor.type, hypervisor_version: c.hypervisor.version,
    host_ip: c.hypervisor.hostIp,
    service: { id: ctx.mv.ge('2.53') ? c.uuid : c.id, host: c.host, disabled_reason: c.disabledReason },
  };
  if (ctx.mv.ge('2.88')) {
    v['uptime'] = null; // 2.88 dropped the resource counters
    return v;
  }
  const servers = ctx.model.serversOn(c.host);
  const flavorOf = (id: string) => ctx.model.flavors.get(id);
  const vcpusUsed = servers.reduce((n, s) => n + (flavorOf(s.flavorId)?.vcpus ?? 0), 0);
  const ramUsed = 512 + servers.reduce((n, s) => n + (flavorOf(s.flavorId)?.ram ?? 0), 0);
  const diskUsed = servers.reduce((n, s) => n + (flavorOf(s.flavorId)?.disk ?? 0), 0);
  Object.assign(v, {
    vcpus: c.hypervisor.vcpus, memory_mb: c.hypervisor.memoryMb, local_gb: c.hypervisor.localGb,
    vcpus_used: vcpusUsed, memory_mb_used: ramUsed, local_gb_used: diskUsed,
    free_ram_mb: c.hypervisor.memoryMb - ramUsed, free_disk_gb: c.hypervisor.localGb - diskUsed,
    current_workload: 0, running_vms: servers.length, disk_available_least: 0,
    cpu_info: ctx.mv.ge('2.28') ? CPU_INFO : JSON.stringify(CPU_INFO).replace(/":/g, '": ').replace(/,"/g, ', "'),
  });
  return v;
}

function withServers(ctx: NovaCtx, c: ComputeHost, v: Record<string, unknown>): Record<string, unknown> {
  if (ctx.mv.ge('2.53') && ctx.query.get('with_servers') === 'true') {
    v['servers'] = ctx.model.serversOn(c.host).map((s) => ({ uuid: s.id, name: s.instanceName }));
  }
  return v;
}

/** GET /os-hypervisors and /os-hypervisors/detail (hypervisor_hostname_pattern from 2.53). */
export function listHypervisors(ctx: NovaCtx, details: boolean): SimResponse {
  requireAdmin(ctx, 'os_compute_api:os-hypervisors:list');
  const pattern = ctx.query.get('hypervisor_hostname_pattern');
  const computes = [...ctx.model.computes.values()]
    .filter((c) => pattern === null || c.hypervisor.hostname.includes(pattern))
    .sort((a, b) => a.hypervisor.id - b.hypervisor.id);
  if (pattern !== null && computes.length === 0) throw new NovaError(404, `No hypervisor matching '${pattern}' could be found.`);
  return ok(ctx, { hypervisors: computes.map((c) => withServers(ctx, c, details ? detail(ctx, c) : summary(ctx, c))) });
}

export function showHypervisor(ctx: NovaCtx, [id = '']: string[]): SimResponse {
  requireAdmin(ctx, 'os_compute_api:os-hypervisors:show');
  const c = [...ctx.model.computes.values()].find((x) => String(ctx.mv.ge('2.53') ? x.hypervisor.uuid : x.hypervisor.id) === id);
  if (!c) throw new NovaError(404, `Hypervisor ${id} could not be found.`);
  return ok(ctx, { hypervisor: withServers(ctx, c, detail(ctx, c)) });
}
