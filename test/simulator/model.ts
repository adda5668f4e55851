import { IdSource } from './ids.ts';
import { IdentityModel } from './identity-model.ts';
import type {
  AggregateOptions, ComputeOptions, FlavorOptions, ImageOptions, MigrationOptions, ServerOptions,
} from './model-options.ts';
import type { Aggregate, ComputeHost, Flavor, Image, Migration, ServiceRecord } from './model-types.ts';
import { defaultPowerState, stateForStatus } from './server-state.ts';
import { newestFirst, Server } from './server-record.ts';
import type { HostIndex } from './server-record.ts';

type Counter = 'service' | 'hypervisor' | 'server' | 'image' | 'aggregate' | 'migration';

// The mutable state behind the simulated Keystone, Nova and Glance. Tests build it with the
// add*/crash/... helpers and may change records directly (assigning server.host re-indexes).
export class CloudModel {
  readonly ids: IdSource;
  readonly identity: IdentityModel;
  /** Page sizes; change them to make paging tests small. */
  readonly limits = { novaMaxLimit: 1000, glanceDefaultLimit: 25, glanceMaxLimit: 1000 };
  /** Nova keeps reporting a crashed compute "up" this long after its last heartbeat (service_down_time). */
  readonly timing = { serviceDownTimeMs: 0 };
  readonly services = new Map<number, ServiceRecord>();
  readonly computes = new Map<string, ComputeHost>();
  readonly servers = new Map<string, Server>();
  readonly flavors = new Map<string, Flavor>();
  readonly images = new Map<string, Image>();
  readonly aggregates = new Map<number, Aggregate>();
  readonly migrations = new Map<number, Migration>();
  readonly #byHost = new Map<string, Set<Server>>();
  #next: Record<Counter, number> = { service: 1, hypervisor: 1, server: 1, image: 1, aggregate: 1, migration: 1 };
  #defaultFlavor: Flavor | undefined;
  #defaultImage: Image | undefined;

  constructor(opts: { seed?: string; controlServices?: boolean } = {}) {
    this.ids = new IdSource(opts.seed ?? 'instance-ha-simulator');
    this.identity = new IdentityModel(this.ids);
    this.identity.addDefaults();
    if (opts.controlServices !== false) {
      this.addService('nova-scheduler', 'controller', { zone: 'internal' });
      this.addService('nova-conductor', 'controller', { zone: 'internal' });
    }
  }

  /** The project ids of the default "admin" and "demo" projects. */
  get adminProjectId(): string {
    return this.#need(this.identity.project('admin'), 'project admin').id;
  }

  get demoProjectId(): string {
    return this.#need(this.identity.project('demo'), 'project demo').id;
  }

  // ------------------------------------------------------------------ services and computes

  addService(binary: string, host: string, opts: { id?: number; uuid?: string; zone?: string; alive?: boolean;
    disabled?: boolean; forcedDown?: boolean; disabledReason?: string | null } = {}): ServiceRecord {
    const id = this.#claim('service', opts.id);
    const svc: ServiceRecord = {
      id, uuid: opts.uuid ?? this.ids.uuid(), binary, host, zone: opts.zone ?? 'nova',
      alive: opts.alive ?? true, forcedDown: opts.forcedDown ?? false, disabled: opts.disabled ?? false,
      disabledReason: opts.disabledReason ?? null, updatedAt: new Date(),
    };
    this.services.set(id, svc);
    return svc;
  }

  addCompute(host: string, opts: ComputeOptions = {}): ComputeHost {
    if (this.computes.has(host)) throw new Error(`simulator: compute ${host} exists`);
    const svc = this.addService('nova-compute', host, {
      id: opts.serviceId, uuid: opts.serviceUuid, zone: opts.zone, alive: opts.alive,
      disabled: opts.disabled, forcedDown: opts.forcedDown, disabledReason: opts.disabledReason,
    });
    const compute: ComputeHost = Object.assign(svc, {
      hypervisor: {
        id: this.#claim('hypervisor', opts.hypervisorId), uuid: opts.hypervisorUuid ?? this.ids.uuid(),
        hostname: opts.hypervisorHostname ?? host, hostIp: opts.hostIp ?? '192.168.0.1', type: 'fake',
        version: 1000, vcpus: 1000, memoryMb: 800000, localGb: 600000,
      },
      rebuildOutcome: opts.rebuild ?? 'ok',
    });
    this.computes.set(host, compute);
    return compute;
  }

  /** The compute service is deleted (DELETE /os-services/{id}); like Nova, only once no server is on it. */
  removeCompute(host: string): void {
    const c = this.compute(host);
    if (this.countOn(host) > 0) throw new Error(`simulator: compute ${host} still hosts servers`);
    this.computes.delete(host);
    this.services.delete(c.id);
  }

  compute(host: string): ComputeHost {
    return this.#need(this.computes.get(host), `compute ${host}`);
  }

  serviceByUuid(uuid: string): ServiceRecord | undefined {
    for (const s of this.services.values()) if (s.uuid === uuid) return s;
    return undefined;
  }

  /** Nova's servicegroup view: forced down is down; otherwise heartbeats within service_down_time. */
  isUp(svc: ServiceRecord): boolean {
    if (svc.forcedDown) return false;
    return svc.alive || Date.now() - svc.updatedAt.getTime() < this.timing.serviceDownTimeMs;
  }

  /** The host dies: no more heartbeats. */
  crash(host: string): void {
    const c = this.compute(host);
    c.alive = false;
    c.updatedAt = new Date();
  }

  /** nova-compute starts again; like Nova it completes the evacuations that left this host. */
  recover(host: string): void {
    const c = this.compute(host);
    c.alive = true;
    c.updatedAt = new Date();
    for (const m of this.migrations.values()) {
      if (m.sourceCompute === host && m.migrationType === 'evacuation'
        && (m.status === 'accepted' || m.status === 'pre-migrating' || m.status === 'done')) {
        m.status = 'completed';
        m.updatedAt = new Date();
      }
    }
  }

  forceDown(host: string, down = true): void {
    const c = this.compute(host);
    c.forcedDown = down;
    c.updatedAt = new Date();
  }

  disable(host: string, reason: string | null = null): void {
    const c = this.compute(host);
    c.disabled = true;
    c.disabledReason = reason;
  }

  enable(host: string): void {
    const c = this.compute(host);
    c.disabled = false;
    c.disabledReason = null;
  }

  // ------------------------------------------------------------------ flavors, images, aggregates

  addFlavor(opts: FlavorOptions = {}): Flavor {
    const id = opts.id ?? this.ids.uuid();
    const f: Flavor = {
      id, name: opts.name ?? `flavor-${id.slice(0, 8)}`, vcpus: opts.vcpus ?? 1, ram: opts.ram ?? 512,
      disk: opts.disk ?? 1, ephemeral: opts.ephemeral ?? 0, swap: opts.swap ?? 0, rxtxFactor: opts.rxtxFactor ?? 1,
      isPublic: opts.isPublic ?? true, disabled: opts.disabled ?? false, description: opts.description ?? null,
      extraSpecs: { ...(opts.extraSpecs ?? {}) },
      projects: new Set((opts.projects ?? []).map((p) => this.identity.project(p)?.id ?? p)),
    };
    this.flavors.set(id, f);
    return f;
  }

  addImage(opts: ImageOptions = {}): Image {
    const id = opts.id ?? this.ids.uuid();
    const created = opts.createdAt ?? new Date();
    const img: Image = {
      id, seq: this.#claim('image', undefined), name: opts.name === undefined ? `image-${id.slice(0, 8)}` : opts.name,
      tags: [...(opts.tags ?? [])], properties: { ...(opts.properties ?? {}) }, visibility: opts.visibility ?? 'public',
      status: opts.status ?? 'active', owner: opts.owner ?? this.adminProjectId, size: 65536, diskFormat: 'raw',
      containerFormat: 'bare', minRam: 0, minDisk: 0, protected: false, createdAt: created, updatedAt: created,
    };
    this.images.set(id, img);
    return img;
  }

  addAggregate(opts: AggregateOptions): Aggregate {
    const id = this.#claim('aggregate', opts.id);
    const agg: Aggregate = {
      id, uuid: opts.uuid ?? this.ids.uuid(), name: opts.name, availabilityZone: opts.availabilityZone ?? null,
      hosts: [...(opts.hosts ?? [])], metadata: { ...(opts.metadata ?? {}) }, createdAt: opts.createdAt ?? new Date(),
      updatedAt: null,
    };
    if (agg.availabilityZone) agg.metadata['availability_zone'] = agg.availabilityZone;
    this.aggregates.set(id, agg);
    return agg;
  }

  // ------------------------------------------------------------------ servers

  addServer(opts: ServerOptions): Server {
    if (opts.host !== null && !this.computes.has(opts.host)) throw new Error(`simulator: unknown compute ${opts.host}`);
    const id = opts.id ?? this.ids.uuid();
    if (this.servers.has(id)) throw new Error(`simulator: server ${id} exists`);
    const base = stateForStatus(opts.status ?? 'ACTIVE');
    const vmState = opts.vmState ?? base.vmState;
    const now = new Date();
    const server = new Server({
      id, seq: this.#claim('server', undefined), name: opts.name ?? `server-${id.slice(0, 8)}`,
      tenantId: opts.tenantId ?? this.demoProjectId, userId: opts.userId ?? this.#need(this.identity.user('demo'), 'user demo').id,
      vmState, taskState: opts.taskState !== undefined ? opts.taskState : base.taskState,
      powerState: opts.powerState ?? defaultPowerState(vmState), imageId: this.#imageId(opts.image),
      flavorId: this.#flavorId(opts.flavor), metadata: { ...(opts.metadata ?? {}) }, tags: [...(opts.tags ?? [])],
      locked: opts.locked ?? false, lockedReason: opts.lockedReason ?? null, description: opts.description ?? null,
      keyName: opts.keyName ?? null, availabilityZone: 'nova', volumes: opts.image === null ? [this.ids.uuid()] : [],
      fault: opts.fault ?? null, createdAt: opts.createdAt ?? now, updatedAt: opts.updatedAt ?? now,
      launchedAt: opts.launchedAt !== undefined ? opts.launchedAt : now,
    }, this.#hostIndex);
    server.rebuildOutcome = opts.rebuild;
    this.servers.set(id, server);
    server.host = opts.host;
    return server;
  }

  /** Servers whose OS-EXT-SRV-ATTR:host is this host (index lookup, no scan). */
  serversOn(host: string): Server[] {
    return [...(this.#byHost.get(host) ?? [])];
  }

  countOn(host: string): number {
    return this.#byHost.get(host)?.size ?? 0;
  }

  deleteServer(id: string): void {
    const s = this.servers.get(id);
    if (!s) return;
    s.host = null;
    this.servers.delete(id);
  }

  /** Servers in Nova's default list order (newest first). */
  sortedServers(servers: Iterable<Server>): Server[] {
    return [...servers].sort(newestFirst);
  }

  // ------------------------------------------------------------------ migrations

  addMigration(opts: MigrationOptions): Migration {
    const id = this.#claim('migration', opts.id);
    const m: Migration = {
      id, uuid: opts.uuid ?? this.ids.uuid(), instanceUuid: opts.instanceUuid,
      migrationType: opts.migrationType ?? 'evacuation', status: opts.status ?? 'accepted',
      sourceCompute: opts.sourceCompute ?? null, sourceNode: opts.sourceNode ?? opts.sourceCompute ?? null,
      destCompute: opts.destCompute ?? null, destNode: opts.destNode ?? null, destHost: opts.destHost ?? null,
      oldInstanceTypeId: opts.oldInstanceTypeId ?? null, newInstanceTypeId: opts.newInstanceTypeId ?? null,
      userId: opts.userId ?? this.#need(this.identity.user('admin'), 'user admin').id,
      projectId: opts.projectId ?? this.adminProjectId, createdAt: opts.createdAt ?? new Date(),
      updatedAt: opts.updatedAt ?? null,
    };
    this.migrations.set(id, m);
    return m;
  }

  // ------------------------------------------------------------------ internals

  readonly #hostIndex: HostIndex = {
    move: (server, from, to) => {
      if (from !== null) this.#byHost.get(from)?.delete(server);
      if (to !== null) {
        const set = this.#byHost.get(to) ?? new Set<Server>();
        set.add(server);
        this.#byHost.set(to, set);
        server.node = this.computes.get(to)?.hypervisor.hostname ?? to;
      }
    },
  };

  #imageId(image: ServerOptions['image']): string | null {
    if (image === null) return null;
    if (typeof image === 'string') return image;
    if (image) return image.id;
    this.#defaultImage ??= this.addImage({ name: 'cirros-0.6.2' });
    return this.#defaultImage.id;
  }

  #flavorId(flavor: ServerOptions['flavor']): string {
    if (typeof flavor === 'string') return flavor;
    if (flavor) return flavor.id;
    this.#defaultFlavor ??= this.addFlavor({ id: '1', name: 'm1.tiny', ram: 512, disk: 1, vcpus: 1 });
    return this.#defaultFlavor.id;
  }

  /** Next auto id of a kind; an explicit id moves the counter past it. */
  #claim(kind: Counter, explicit: number | undefined): number {
    const id = explicit ?? this.#next[kind];
    this.#next[kind] = Math.max(this.#next[kind], id + 1);
    return id;
  }

  #need<T>(v: T | undefined, what: string): T {
    if (v === undefined) throw new Error(`simulator: unknown ${what}`);
    return v;
  }
}
