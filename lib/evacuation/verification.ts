import { mapLimited, type NovaAggregate, type NovaFlavor, type NovaMigration, type NovaServer } from '../openstack/nova.ts';
import type { GlanceImage } from '../openstack/glance.ts';
import { awaitingOwnRequest, planInstance, type InstanceStep } from './instance-plan.ts';
import type { MoveKind, Tracked } from './requests.ts';
import { sharedRead } from '../shared-read.ts';
import { changesCursor, currentRecord } from './verify-rounds.ts';
import type { WorkerConfig, WorkerDeps } from './worker-config.ts';

/** What verification needs of the configuration. */
export type VerifyConfig = Pick<WorkerConfig, 'graceMs' | 'verifyMs' | 'maxAttempts'>;

// Reading Nova for one failed host: what the selection needs, then rounds that verify each
// instance not yet verified done and decide its next step (instance-plan.ts). A round reads
// as little as it can: the host's listing, its evacuation migrations only when they can decide,
// what changed elsewhere since the last round (or, with a few left, each instance by id).

/** changes-since slack for Nova's clocks and one-second timestamps; a full listing again this often. */
const CHANGES_SLACK_MS = 2000;
const CHANGES_RESYNC_MS = 10_000;
/** At most this many instances left to verify: each is read by id (in parallel) instead of a changes-since listing. */
const FEW_LEFT = 8;
/** Images, flavors and aggregates are the cloud's, not a host's: hosts marked together share one read this recent. */
const CATALOG_MAX_AGE_MS = 5000;
/** The worker always allowed this much clock skew before the mark. */
export const SKEW_MS = 60_000;

/** What the selection and the first verification round read. */
export interface HostReading { servers: NovaServer[]; migrations: NovaMigration[]; images: GlanceImage[]; flavors: NovaFlavor[]; aggregates: NovaAggregate[] }

/** What one host's rounds remember between rounds. */
export interface HostView {
  failedSince: number;
  /** Failures before this (this host round's start) are not counted again. */
  retriesSince: number;
  /** Verified done (ACTIVE elsewhere, or deleted): final, not read again. */
  settled: Map<string, InstanceStep>;
  /** The last record of each instance seen on another host. */
  seenElsewhere: Map<string, NovaServer>;
  changesSentAt?: number;
  changesFullAt?: number;
  /** The quickest round that read Nova (not the prefetched first): this host's reads when Nova has no queue. */
  fastestRoundMs: number;
}

export type Prefetched = { onHost: NovaServer[]; migrations: NovaMigration[] };

export class Verifier {
  private readonly c: VerifyConfig;
  private readonly d: Pick<WorkerDeps, 'os' | 'events'>;
  private readonly kind: MoveKind;
  private readonly catalog: () => Promise<[GlanceImage[], NovaFlavor[], NovaAggregate[]]>;

  constructor(c: VerifyConfig, d: Pick<WorkerDeps, 'os' | 'events'>, kind: MoveKind) {
    this.c = c;
    this.d = d;
    this.kind = kind;
    this.catalog = sharedRead(() => Promise.all([d.os.glance.images(), d.os.nova.flavors(), d.os.nova.aggregates()]), CATALOG_MAX_AGE_MS);
  }

  /** What the selection and the first round read, all at once. */
  async readHost(host: string, markedAt: number): Promise<HostReading> {
    const nova = this.d.os.nova;
    const [servers, migrations, [images, flavors, aggregates]] = await Promise.all([
      nova.serversOnHost(host), this.evacuationsOf(host, markedAt - SKEW_MS), this.catalog()]);
    return { servers, migrations, images, flavors, aggregates };
  }

  /** What a drain reads first: the host's instances and this kind's recent migrations. */
  async readServers(host: string, since: number): Promise<HostReading> {
    const [servers, migrations] = await Promise.all([this.d.os.nova.serversOnHost(host), this.evacuationsOf(host, since)]);
    return { servers, migrations, images: [], flavors: [], aggregates: [] };
  }

  /** One round over the instances not yet verified done: their steps, settled ones included. */
  async round(host: string, tracked: Map<string, Tracked>, view: HostView, prefetched?: Prefetched): Promise<Map<string, InstanceStep>> {
    const open = [...tracked.keys()].filter((id) => !view.settled.has(id));
    // Migrations decide only for instances that may be on the host and that no recent request of ours covers.
    const migrationsMatter = (ids: string[], now: number) => ids.some((id) => !awaitingOwnRequest({ ...tracked.get(id)!, now, graceMs: this.c.graceMs, verifyMs: this.c.verifyMs }));
    const mayHaveLeft = open.some((id) => view.seenElsewhere.has(id) || (tracked.get(id)?.attempts ?? 0) > 0);
    // A few left: asking for each by id is cheaper than listing whatever changed in the whole cloud.
    const fewLeft = open.length <= FEW_LEFT;
    const [onHost, migrationsEarly, changedEarly] = await Promise.all([
      prefetched?.onHost ?? this.d.os.nova.serversOnHost(host),
      prefetched?.migrations ?? (migrationsMatter(open.filter((id) => !view.seenElsewhere.has(id)), Date.now()) ? this.evacuationsOf(host, view.failedSince) : undefined),
      !prefetched && mayHaveLeft && !fewLeft ? this.changedServers(view) : undefined,
    ]);
    const here = new Map(onHost.map((s) => [s.id, s]));
    // Left without our request (deleted, moved by someone else): read what changed after all.
    const changed = changedEarly ?? (!fewLeft && open.some((id) => !here.has(id)) ? await this.changedServers(view) : new Map<string, NovaServer>());
    const records = new Map<string, NovaServer | 'ask' | undefined>(open.map((id) =>
      [id, fewLeft ? here.get(id) ?? 'ask' : currentRecord(id, host, here, changed, view.seenElsewhere)]));
    const asked = [...records].filter(([, r]) => r === 'ask').map(([id]) => id);
    const found = await mapLimited(asked, FEW_LEFT, (id) => this.d.os.nova.findServer(id));
    asked.forEach((id, i) => records.set(id, found[i]));
    const now = Date.now();
    // Skipped, but a request of ours stopped covering an instance meanwhile: list them after all.
    const onFailedHost = open.filter((id) => { const r = records.get(id); return typeof r === 'object' && r.host === host; });
    const migrations = migrationsEarly ?? (migrationsMatter(onFailedHost, now) ? await this.evacuationsOf(host, view.failedSince) : []);
    const migrationsOf = new Map<string, NovaMigration[]>();
    for (const m of migrations) if (m.sourceCompute === host || m.sourceCompute === null) migrationsOf.set(m.instanceUuid, [...migrationsOf.get(m.instanceUuid) ?? [], m]);
    const steps = new Map<string, InstanceStep>(view.settled);
    for (const id of open) {
      const t = tracked.get(id)!;
      const record = records.get(id);
      const server = record === 'ask' ? undefined : record;
      if (server && server.host !== host) view.seenElsewhere.set(id, server);
      const step = planInstance({
        id, failedHost: host, server, attempts: t.attempts, lastAttemptAt: t.lastAttemptAt,
        uncertain: t.uncertain, now, graceMs: this.c.graceMs, verifyMs: this.c.verifyMs, maxAttempts: this.c.maxAttempts,
        migrations: migrationsOf.get(id) ?? [], retriesSince: view.retriesSince, waitingSince: t.waitingSince, move: this.kind,
      });
      steps.set(id, step);
      t.waitingSince = step.kind === 'wait' ? t.waitingSince ?? now : undefined;
      if (step.kind === 'done') view.settled.set(id, step);
      const key = `${step.kind}:${step.reason}`;
      if (t.lastStep !== key && step.kind !== 'evacuate') this.d.events.emit({ event: `instance-${step.kind}`, host, instance: id, reason: step.reason });
      t.lastStep = key;
    }
    return steps;
  }

  /** This kind's migrations of the host since its failure (or the drain's start), newest first. */
  private evacuationsOf(host: string, failedSince: number): Promise<NovaMigration[]> {
    return this.d.os.nova.migrations({ host, type: this.kind.migrationType, since: new Date(failedSince) });
  }

  /** Servers changed since the cursor; the cursor moves (see verify-rounds.ts). */
  private async changedServers(view: HostView): Promise<Map<string, NovaServer>> {
    const sentAt = Date.now();
    const cursor = changesCursor({ failedSince: view.failedSince, previousSentAt: view.changesSentAt, lastFullAt: view.changesFullAt, now: sentAt }, CHANGES_SLACK_MS, CHANGES_RESYNC_MS);
    const list = await this.d.os.nova.serversChangedSince(new Date(cursor.since));
    view.changesSentAt = sentAt;
    if (cursor.full) view.changesFullAt = sentAt;
    return new Map(list.map((s) => [s.id, s]));
  }
}
