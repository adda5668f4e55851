import type { ServiceEndpoint } from './service.ts';
import { HttpError } from '../http.ts';
import { Microversion } from './microversion.ts';
import { EVACUATE_MAX_MICROVERSION, evacuateBody, liveMigrateBody, type EvacuateOptions, type LiveMigrateOptions } from './nova-actions.ts';

export type { EvacuateOptions, LiveMigrateOptions } from './nova-actions.ts';

// Every Nova call the agents make, and nothing else. Calls pick the request form the
// negotiated microversion needs (2.53 changed os-services from host+binary to ids).

export interface NovaService {
  id: string | number;
  host: string;
  binary: string;
  state: 'up' | 'down' | string;
  status: 'enabled' | 'disabled' | string;
  forcedDown: boolean;
  disabledReason: string | null;
  updatedAt: string | null;
}

export interface NovaServer {
  id: string;
  name: string;
  status: string;
  taskState: string | null;
  vmState: string | null;
  host: string | null;
  tenantId: string;
  /** null: boot from volume. */
  imageId: string | null;
  /** Below 2.47 Nova names the flavor by id; from 2.47 it embeds name and extra specs instead. */
  flavorId: string | undefined;
  flavorName: string | undefined;
  flavorExtraSpecs: Record<string, string> | undefined;
  metadata: Record<string, string>;
  locked: boolean | undefined;
}

export interface NovaFlavor { id: string; name: string; isPublic: boolean; extraSpecs: Record<string, string> | undefined }
export interface NovaAggregate { id: number; name: string; hosts: string[]; metadata: Record<string, string> }
export interface NovaMigration { id: string | number; instanceUuid: string; sourceCompute: string | null; destCompute: string | null; status: string; migrationType: string | undefined; createdAt: string }

const PAGE = 1000;

export class Nova {
  private readonly endpoint: ServiceEndpoint;
  private versions: { min: Microversion; max: Microversion } | undefined;
  private readonly wanted: Microversion;

  /** `wanted` caps what we ask for; the server's maximum caps it further. */
  constructor(endpoint: ServiceEndpoint, wanted = '2.95') {
    this.endpoint = endpoint;
    this.wanted = Microversion.parse(wanted);
  }

  /** The microversion used for a call: the highest both sides support, below an optional cap. */
  async microversion(cap?: string): Promise<Microversion> {
    if (!this.versions) {
      const url = (await this.endpoint.url()).replace(/(\/v2(\.1)?)\/[0-9a-f-]{32,36}$/i, '$1');
      const res = await this.endpoint.request<{ version?: { version?: string; min_version?: string } }>({ method: 'GET', path: url + '/', what: 'Nova: version discovery' });
      const v = res.body?.version;
      // A v2.0 endpoint (no microversions) reports empty strings.
      this.versions = { min: Microversion.parse(v?.min_version || '2.1'), max: Microversion.parse(v?.version || '2.1') };
    }
    let chosen = Microversion.min(this.wanted, this.versions.max);
    if (cap) chosen = Microversion.min(chosen, Microversion.parse(cap));
    return chosen;
  }

  private async call<T>(method: 'GET' | 'PUT' | 'POST', path: string, what: string, body?: unknown, cap?: string): Promise<{ body: T; mv: Microversion }> {
    const mv = await this.microversion(cap);
    const res = await this.endpoint.request<T>({ method, path, body, what: `Nova: ${what}`, headers: mv.headers('compute') });
    return { body: res.body, mv };
  }

  async services(host?: string): Promise<NovaService[]> {
    const q = new URLSearchParams({ binary: 'nova-compute', ...(host ? { host } : {}) });
    const { body } = await this.call<{ services?: RawService[] }>('GET', `/os-services?${q}`, host ? `list the nova-compute service of ${host}` : 'list nova-compute services');
    return (body?.services ?? []).map(toService);
  }

  async setForcedDown(service: NovaService, forcedDown: boolean): Promise<void> {
    const mv = await this.microversion();
    const what = `${forcedDown ? 'force down' : 'unset force-down of'} ${service.host}`;
    if (mv.atLeast('2.53')) return void await this.call('PUT', `/os-services/${service.id}`, what, { forced_down: forcedDown });
    if (!mv.atLeast('2.11')) throw new HttpError(`Nova: ${what}: needs microversion 2.11, the server offers up to ${mv}`);
    await this.call('PUT', '/os-services/force-down', what, { host: service.host, binary: service.binary, forced_down: forcedDown });
  }

  async disable(service: NovaService, reason: string): Promise<void> {
    const mv = await this.microversion();
    const what = `disable ${service.host}`;
    if (mv.atLeast('2.53')) return void await this.call('PUT', `/os-services/${service.id}`, what, { status: 'disabled', disabled_reason: reason });
    await this.call('PUT', '/os-services/disable-log-reason', what, { host: service.host, binary: service.binary, disabled_reason: reason });
  }

  async enable(service: NovaService): Promise<void> {
    const mv = await this.microversion();
    const what = `enable ${service.host}`;
    if (mv.atLeast('2.53')) return void await this.call('PUT', `/os-services/${service.id}`, what, { status: 'enabled' });
    await this.call('PUT', '/os-services/enable', what, { host: service.host, binary: service.binary });
  }

  /** One cheap authenticated call: proves credentials, catalog and Nova all work. */
  async ping(): Promise<void> {
    await this.call('GET', '/os-hypervisors', 'list hypervisors');
  }

  /** Every server on a host, all projects, all pages. */
  async serversOnHost(host: string): Promise<NovaServer[]> {
    const servers: NovaServer[] = [];
    let marker: string | undefined;
    for (;;) {
      const q = new URLSearchParams({ all_tenants: '1', host, limit: String(PAGE), ...(marker ? { marker } : {}) });
      const { body } = await this.call<{ servers?: RawServer[]; servers_links?: Link[] }>('GET', `/servers/detail?${q}`, `list servers on ${host}`);
      const page = (body?.servers ?? []).map(toServer);
      servers.push(...page);
      marker = nextMarker(body?.servers_links);
      if (!marker || page.length === 0) return servers;
    }
  }

  /** Servers of all projects changed since a moment (where evacuated instances went), all pages. */
  async serversChangedSince(since: Date): Promise<NovaServer[]> {
    const servers: NovaServer[] = [];
    let marker: string | undefined;
    for (;;) {
      const q = new URLSearchParams({ all_tenants: '1', 'changes-since': since.toISOString(), limit: String(PAGE), ...(marker ? { marker } : {}) });
      const { body } = await this.call<{ servers?: RawServer[]; servers_links?: Link[] }>('GET', `/servers/detail?${q}`, 'list recently changed servers');
      const page = (body?.servers ?? []).map(toServer);
      servers.push(...page);
      marker = nextMarker(body?.servers_links);
      if (!marker || page.length === 0) return servers;
    }
  }

  /** One server, or undefined when Nova no longer has it. */
  async findServer(id: string): Promise<NovaServer | undefined> {
    try {
      return await this.server(id);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return undefined;
      throw e;
    }
  }

  async server(id: string): Promise<NovaServer> {
    const { body } = await this.call<{ server: RawServer }>('GET', `/servers/${encodeURIComponent(id)}`, `show server ${id}`);
    return toServer(body.server);
  }

  /** Public and private flavors with their extra specs (inline from 2.61, else one call each). */
  async flavors(): Promise<NovaFlavor[]> {
    const { body, mv } = await this.call<{ flavors?: RawFlavor[]; flavors_links?: Link[] }>('GET', '/flavors/detail?is_public=None', 'list flavors');
    const flavors = (body?.flavors ?? []).map((f) => ({ id: f.id, name: f.name, isPublic: f['os-flavor-access:is_public'] !== false, extraSpecs: f.extra_specs }));
    if (mv.atLeast('2.61')) return flavors;
    return mapLimited(flavors, 8, async (f) => {
      const r = await this.call<{ extra_specs?: Record<string, string> }>('GET', `/flavors/${encodeURIComponent(f.id)}/os-extra_specs`, `extra specs of flavor ${f.id}`);
      return { ...f, extraSpecs: r.body?.extra_specs ?? {} };
    });
  }

  async aggregates(): Promise<NovaAggregate[]> {
    const { body } = await this.call<{ aggregates?: { id: number; name: string; hosts?: string[]; metadata?: Record<string, string> }[] }>('GET', '/os-aggregates', 'list aggregates');
    return (body?.aggregates ?? []).map((a) => ({ id: a.id, name: a.name, hosts: a.hosts ?? [], metadata: a.metadata ?? {} }));
  }

  /** Migrations of a type (evacuation, live-migration) touching a host, newest first, all pages. */
  async migrations(filter: { host?: string; type?: string; since?: Date }): Promise<NovaMigration[]> {
    const mv = await this.microversion();
    const out: NovaMigration[] = [];
    let marker: string | undefined;
    for (let pages = 0; pages < 10_000; pages++) {
      const q = new URLSearchParams({
        ...(filter.host ? { host: filter.host } : {}),
        ...(filter.type ? { migration_type: filter.type } : {}),
        // changes-since and paging exist from 2.59; older Nova returns everything at once.
        ...(filter.since && mv.atLeast('2.59') ? { 'changes-since': filter.since.toISOString(), limit: String(PAGE) } : {}),
        ...(marker ? { marker } : {}),
      });
      const { body } = await this.call<{ migrations?: RawMigration[]; migrations_links?: Link[] }>('GET', `/os-migrations?${q}`, 'list migrations');
      const page = (body?.migrations ?? []).map(toMigration);
      out.push(...page);
      marker = mv.atLeast('2.59') ? nextMarker(body?.migrations_links) : undefined;
      if (!marker || page.length === 0) break;
    }
    const since = filter.since?.getTime() ?? 0;
    return out.filter((m) => novaTime(m.createdAt) >= since)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** POST evacuate once (never retried here). Returns the microversion used. */
  async evacuate(id: string, options: EvacuateOptions = {}): Promise<Microversion> {
    const mv = await this.microversion(options.maxMicroversion ?? EVACUATE_MAX_MICROVERSION);
    await this.call('POST', `/servers/${encodeURIComponent(id)}/action`, `evacuate server ${id}`, evacuateBody(mv, options), mv.toString());
    return mv;
  }

  /**
   * POST os-migrateLive once (never retried here), at the negotiated maximum (2.93 on Zed: host
   * null lets the scheduler choose). Returns the microversion used. Accepted is not done: see
   * liveMigrateBody for what Nova reports later, and the 409 for instances that cannot move live.
   */
  async liveMigrate(id: string, options: LiveMigrateOptions = {}): Promise<Microversion> {
    const mv = await this.microversion(options.maxMicroversion);
    await this.call('POST', `/servers/${encodeURIComponent(id)}/action`, `live-migrate server ${id}`, liveMigrateBody(mv, options), mv.toString());
    return mv;
  }
}

interface Link { rel: string; href: string }
interface RawService { id: string | number; host: string; binary: string; state: string; status: string; forced_down?: boolean; disabled_reason?: string | null; updated_at?: string | null }
interface RawFlavor { id: string; name: string; 'os-flavor-access:is_public'?: boolean; extra_specs?: Record<string, string> }
interface RawMigration { id: number; uuid?: string; instance_uuid: string; source_compute?: string; dest_compute?: string; status: string; migration_type?: string; created_at: string }
interface RawServer {
  id: string; name: string; status: string; tenant_id: string; metadata?: Record<string, string>; locked?: boolean;
  image?: { id: string } | '' | null;
  flavor?: { id?: string; original_name?: string; extra_specs?: Record<string, string> };
  'OS-EXT-STS:task_state'?: string | null; 'OS-EXT-STS:vm_state'?: string | null; 'OS-EXT-SRV-ATTR:host'?: string | null;
}

function toService(s: RawService): NovaService {
  return { id: s.id, host: s.host, binary: s.binary, state: s.state, status: s.status, forcedDown: s.forced_down === true, disabledReason: s.disabled_reason ?? null, updatedAt: s.updated_at ?? null };
}

function toMigration(m: RawMigration): NovaMigration {
  return {
    id: m.uuid ?? m.id, instanceUuid: m.instance_uuid, sourceCompute: m.source_compute ?? null, destCompute: m.dest_compute ?? null,
    status: m.status, migrationType: m.migration_type, createdAt: m.created_at,
  };
}

function toServer(s: RawServer): NovaServer {
  return {
    id: s.id, name: s.name, status: s.status, tenantId: s.tenant_id,
    taskState: s['OS-EXT-STS:task_state'] ?? null, vmState: s['OS-EXT-STS:vm_state'] ?? null, host: s['OS-EXT-SRV-ATTR:host'] ?? null,
    imageId: s.image && typeof s.image === 'object' ? s.image.id : null,
    flavorId: s.flavor?.id, flavorName: s.flavor?.original_name, flavorExtraSpecs: s.flavor?.extra_specs,
    metadata: s.metadata ?? {}, locked: s.locked,
  };
}

/** Nova's timestamps are UTC without a zone ("2026-11-22T18:19:01.000000"); NaN when absent. */
export function novaTime(s: string | null | undefined): number {
  return s ? Date.parse(s.endsWith('Z') ? s : `${s}Z`) : Number.NaN;
}

/** The marker from a rel=next link: our own URL is built from it (the link's host may be a proxy's). */
export function nextMarker(links: Link[] | undefined): string | undefined {
  const next = links?.find((l) => l.rel === 'next')?.href;
  if (!next) return undefined;
  return new URL(next, 'http://x').searchParams.get('marker') ?? undefined;
}

/** Map with at most `limit` calls in flight. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
