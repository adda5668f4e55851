import type { Logger } from '../log.ts';
import type { OpenStack } from '../openstack/connect.ts';
import { HttpError } from '../http.ts';
import { nodeNamesOf, type HostNaming } from '../host-names.ts';
import { mapLimited, novaTime, type NovaAggregate, type NovaFlavor, type NovaMigration, type NovaServer, type NovaService } from '../openstack/nova.ts';
import type { GlanceImage } from '../openstack/glance.ts';
import type { Attrd } from '../pacemaker/attrd.ts';
import { fencedSince, type FenceEvent } from '../pacemaker/fencing.ts';
import type { Ledger, LedgerEntry } from '../pacemaker/ledger.ts';
import { Alarm, sleep } from '../time.ts';
import type { EventLog } from './events.ts';
import { massFailureGuard } from './guard.ts';
import { awaitingOwnRequest, planInstance, type InstanceStep } from './instance-plan.ts';
import { EVACUATE_ATTR, isOurDisableReason } from '../pacemaker/marks.ts';
import { selectEvacuable } from './selection.ts';
import { InFlightLimit } from './in-flight-limit.ts';
import { Semaphore } from './semaphore.ts';
import { changesCursor, currentRecord, nextVerifyDelay, pauseAfterRound } from './verify-rounds.ts';

// The NovaEvacuate worker: watches attrd's `evacuate` marks and the durable ledger, and
// evacuates each marked host's instances — several hosts at once, a bounded number of evacuate
// requests in flight, every instance verified in Nova, nothing evacuated twice (Nova decides
// what is already under way, see instance-plan.ts). It acts only through narrow interfaces.

export interface WorkerConfig {
  /** This cluster node (uname -n), for claims. */
  node: string;
  tag: string;
  concurrency: number;
  reservedHosts: string[];
  maxMicroversion: string;
  noSharedStorage: boolean;
  threshold: number;
  verifyMs: number;
  maxAttempts: number;
  requireFencing: boolean;
  pollMs: number;
  evacuateDelayMs: number;
  /** How long a request we sent but got no answer to may still land in Nova. */
  graceMs: number;
  dryRun: boolean;
  naming: HostNaming;
}

export interface WorkerDeps {
  os: OpenStack;
  attrd: Attrd;
  ledger: Ledger;
  fencingHistory: (node: string) => Promise<FenceEvent[]>;
  /** Cluster nodes Pacemaker shows online. */
  onlineNodes: () => Promise<Set<string>>;
  log: Logger;
  events: EventLog;
  /** Calls back when a new mark may have appeared (a hint; marks are still polled). Returns the unsubscribe. */
  watchMarks?: (onChange: () => void) => () => void;
}

/** A reference NovaEvacuate claim older than this is abandoned (its own rule). */
const CLAIM_STALE_MS = 60_000;
const CLAIM_REFRESH_MS = 20_000;
const RECONCILE_MS = 60_000;
const FINISH_RETURNS_MS = 15_000;
const HOST_RETRY_MS = [10_000, 30_000, 60_000, 120_000, 300_000];
const UNSAFE_RECHECK_MS = 2000;
/** Fencing completes shortly before fence_compute marks the host. */
const FENCE_BEFORE_MARK_MS = 30 * 60_000;

/** Verification rounds: the first soon after the requests, backing off to the old fixed pace. */
const VERIFY_MIN_MS = 100;
/** changes-since slack for Nova's clocks and one-second timestamps; a full listing again this often. */
const CHANGES_SLACK_MS = 2000;
const CHANGES_RESYNC_MS = 10_000;
/** At most this many instances left to verify: each is read by id (in parallel) instead of a changes-since listing. */
const FEW_LEFT = 8;
/** The worker always allowed this much clock skew before the mark. */
const SKEW_MS = 60_000;

interface Tracked { attempts: number; lastAttemptAt?: number; uncertain?: boolean; priority: number; lastStep?: string }

/** What one host's verification rounds remember between rounds. */
interface HostView {
  failedSince: number;
  /** Verified done (ACTIVE elsewhere, or deleted): final, not read again. */
  settled: Map<string, InstanceStep>;
  /** The last record of each instance seen on another host. */
  seenElsewhere: Map<string, NovaServer>;
  changesSentAt?: number;
  changesFullAt?: number;
  /** The quickest round that read Nova (not the prefetched first): this host's reads when Nova has no queue. */
  fastestRoundMs: number;
}

/** What the selection and the first verification round read. */
interface HostReading { servers: NovaServer[]; migrations: NovaMigration[]; images: GlanceImage[]; flavors: NovaFlavor[]; aggregates: NovaAggregate[] }

export class EvacuationWorker {
  private readonly c: WorkerConfig;
  private readonly d: WorkerDeps;
  private readonly active = new Map<string, Promise<void>>();
  private readonly pool: Semaphore;
  private readonly limit: InFlightLimit;
  private readonly startedAt = Date.now();
  private stopping = false;
  private reservedNext = 0;
  private readonly alarm = new Alarm();

  constructor(config: WorkerConfig, deps: WorkerDeps) {
    this.c = config;
    this.d = deps;
    this.limit = new InFlightLimit(config.concurrency);
    this.pool = new Semaphore(() => this.limit.value);
  }

  /** Runs until stop(); each host task ends on its own when its host is done. */
  async run(): Promise<void> {
    this.d.events.emit({ event: 'worker-started', node: this.c.node, dryRun: this.c.dryRun });
    let lastReconcile = 0;
    let lastFinish = 0;
    const unwatch = this.d.watchMarks?.(() => this.alarm.poke());
    while (!this.stopping) {
      try {
        if (Date.now() - lastReconcile > RECONCILE_MS) { lastReconcile = Date.now(); await this.reconcile(); }
        if (Date.now() - lastFinish > FINISH_RETURNS_MS) { lastFinish = Date.now(); await this.finishReturns(); }
        for (const host of await this.hostsToEvacuate()) this.startHost(host);
      } catch (e) {
        this.d.log.warning(`reading evacuation marks: ${(e as Error).message}`);
      }
      await this.alarm.sleep(this.c.pollMs);
    }
    unwatch?.();
    await Promise.allSettled(this.active.values());
    this.d.events.emit({ event: 'worker-stopped', node: this.c.node });
  }

  /** Stop taking new work; in-flight requests finish (each bounded by its deadline). */
  stop(): void {
    this.stopping = true;
    this.alarm.poke();
  }

  /** Hosts whose mark asks for evacuation (yes, or an abandoned claim), or whose ledger entry is open. */
  async hostsToEvacuate(): Promise<string[]> {
    const [marks, entries] = await Promise.all([this.d.attrd.queryAll(EVACUATE_ATTR), this.d.ledger.all()]);
    const hosts = new Set<string>();
    for (const { node: host, value } of marks) {
      if (value === 'yes') hosts.add(host);
      const claim = /^(.+)@(\d+)$/.exec(value);
      if (claim) {
        const ours = claim[1] === this.c.node && Number(claim[2]) * 1000 < this.startedAt;
        if (ours || Date.now() - Number(claim[2]) * 1000 > CLAIM_STALE_MS) hosts.add(host);
      }
    }
    for (const e of entries) if (e.phase !== 'done') hosts.add(e.host);
    return [...hosts].filter((h) => !this.active.has(h));
  }

  private startHost(host: string): void {
    const task = this.evacuateHost(host)
      .catch((e: unknown) => this.d.log.error(`${host}: ${(e as Error).message}`))
      .finally(() => this.active.delete(host));
    this.active.set(host, task);
  }

  /** One host, from its mark to evacuate=no: retried with backoff until every instance is accounted for. */
  private async evacuateHost(host: string): Promise<void> {
    const entry = await this.d.ledger.get(host);
    // Never later than now: a ledger stamped by a node whose clock is ahead must not delay us.
    const markedAt = entry && entry.phase !== 'done' ? Math.min(entry.since * 1000, Date.now()) : Date.now();
    const resumed = entry?.phase === 'evacuating';
    this.d.events.emit({ event: 'host-marked', host, since: new Date(markedAt).toISOString(), resumed });
    const wait = markedAt + this.c.evacuateDelayMs - Date.now();
    if (wait > 0) await sleep(wait);
    for (let round = 0, checks = 0; !this.stopping; round++) {
      // The usual case is safe at once: read the host meanwhile (reading is not acting; the
      // claim still comes before any request, and Nova shows every later change to an instance).
      let reading = checks === 0 ? this.readHost(host, markedAt) : undefined;
      reading?.catch(() => {});
      // Not safe yet (e.g. fencing still completing): look again soon, without backoff.
      while (!this.stopping && !(await this.ready(host, markedAt, checks++))) {
        reading = undefined;
        await sleep(UNSAFE_RECHECK_MS);
      }
      if (this.stopping) return;
      const claim = this.c.dryRun ? undefined : await this.claim(host, markedAt);
      try {
        // A worker that died may have left requests Nova has not answered yet: let them land first.
        if (resumed && round === 0) { reading = undefined; await sleep(this.c.graceMs); }
        const outcome = await this.evacuateInstances(host, markedAt, await (reading ?? this.readHost(host, markedAt)));
        await claim?.stop();
        if (outcome.complete) {
          if (!this.c.dryRun) {
            // Independent: whichever is lost if we die here, the next worker finds every instance done in Nova.
            await Promise.all([
              this.d.ledger.set({ host, phase: 'done', since: Date.now() / 1000, by: this.c.node }),
              this.d.attrd.update(EVACUATE_ATTR, 'no', { node: host, private: true }),
            ]);
          }
          this.d.events.emit({ event: 'host-done', host, reason: outcome.summary, dryRun: this.c.dryRun });
          return;
        }
        this.d.events.emit({ event: 'host-incomplete', host, reason: outcome.summary });
        if (this.c.dryRun) return;
      } finally {
        await claim?.stop();
      }
      await sleep(HOST_RETRY_MS[Math.min(round, HOST_RETRY_MS.length - 1)] ?? 300_000);
    }
  }

  /** Safe to evacuate (Nova shows it down, Pacemaker shows it fenced) and not a mass failure. */
  private async ready(host: string, markedAt: number, round: number): Promise<boolean> {
    const services = await this.d.os.nova.services();
    const service = services.find((s) => s.host === host);
    const unsafe = service ? await this.unsafeReason(service, markedAt) : `Nova has no nova-compute service ${host}`;
    if (unsafe) {
      if (round === 0 || round % 5 === 0) this.d.events.emit({ event: 'host-unsafe', host, reason: unsafe });
      return false;
    }
    const guard = massFailureGuard(services, this.c.threshold);
    if (guard.blocked) {
      this.d.events.emit({ event: 'host-blocked', host, reason: `mass failure: ${guard.reason}; nothing is evacuated until fewer hosts are down (or raise threshold)` });
      return false;
    }
    return true;
  }

  /**
   * The rule: evacuate only a host whose nova-compute Nova shows forced down (or down and
   * disabled), never one it shows up; and, with require_fencing, whose node Pacemaker's
   * fencing history shows fenced (succeeded within the 30 minutes before its mark, or in flight).
   */
  private async unsafeReason(s: NovaService, markedAt: number): Promise<string | undefined> {
    if (s.state === 'up' && !s.forcedDown) return 'Nova shows its nova-compute up';
    if (!s.forcedDown && s.status !== 'disabled') return 'Nova shows it down but neither forced down nor disabled';
    if (!this.c.requireFencing) return undefined;
    const nodes = nodeNamesOf(s.host, this.c.naming);
    for (const node of nodes) {
      const fenced = fencedSince(await this.d.fencingHistory(node), markedAt - FENCE_BEFORE_MARK_MS);
      if (fenced) return undefined;
    }
    return `Pacemaker's fencing history shows no recent fencing of ${nodes.join(' or ')}`;
  }

  /**
   * attrd claim `<node>@<epoch>` (the reference protocol: others leave it alone for 60 s) and the
   * ledger's evacuating, refreshed until stop() — which also waits for a refresh in flight, so
   * none can overwrite the final evacuate=no.
   */
  private async claim(host: string, markedAt: number): Promise<{ stop: () => Promise<void> }> {
    let inFlight: Promise<void> = Promise.resolve();
    const write = () => this.d.attrd.update(EVACUATE_ATTR, `${this.c.node}@${Math.floor(Date.now() / 1000)}`, { node: host, private: true });
    // Independent writes; both are done before any request is sent.
    await Promise.all([write(), this.d.ledger.set({ host, phase: 'evacuating', since: markedAt / 1000, by: this.c.node })]);
    this.d.events.emit({ event: 'host-claimed', host, by: this.c.node });
    const timer = setInterval(() => {
      inFlight = write().catch((e: unknown) => this.d.log.warning(`${host}: refreshing claim: ${(e as Error).message}`));
    }, CLAIM_REFRESH_MS);
    return { stop: async () => { clearInterval(timer); await inFlight; } };
  }

  /** What the selection and the first verification round read, all at once. */
  private async readHost(host: string, markedAt: number): Promise<HostReading> {
    const nova = this.d.os.nova;
    const [servers, migrations, images, flavors, aggregates] = await Promise.all([
      nova.serversOnHost(host), this.evacuationsOf(host, markedAt - SKEW_MS), this.d.os.glance.images(), nova.flavors(), nova.aggregates()]);
    return { servers, migrations, images, flavors, aggregates };
  }

  private async evacuateInstances(host: string, markedAt: number, reading: HostReading): Promise<{ complete: boolean; summary: string }> {
    const view: HostView = { failedSince: markedAt - SKEW_MS, settled: new Map(), seenElsewhere: new Map(), fastestRoundMs: Infinity };
    const { servers, migrations, images, flavors, aggregates } = reading;
    const selection = selectEvacuable({ host, servers, images, flavors, aggregates, tag: this.c.tag });
    this.d.events.emit({ event: 'host-selected', host, reason: `${selection.selected.length} of ${servers.length} instance(s): ${selection.rule}`, selected: selection.selected.length });
    for (const { server, reason } of selection.skipped) this.d.events.emit({ event: 'instance-not-selected', host, instance: server.id, reason });
    const tracked = new Map<string, Tracked>(selection.selected.map((s) => [s.id, { attempts: 0, priority: priorityOf(s) }]));
    if (tracked.size === 0) return { complete: true, summary: 'no instance to evacuate' };
    let first: { onHost: NovaServer[]; migrations: NovaMigration[] } | undefined = { onHost: servers, migrations };
    let delay: number | undefined;
    for (;;) {
      const settledBefore = view.settled.size;
      const roundStarted = performance.now();
      const steps = await this.plan(host, tracked, view, first);
      const roundMs = performance.now() - roundStarted;
      if (!first) view.fastestRoundMs = Math.min(view.fastestRoundMs, roundMs);
      first = undefined;
      const toEvacuate = [...steps].filter(([, s]) => s.kind === 'evacuate').map(([id]) => id)
        .sort((a, b) => (tracked.get(b)?.priority ?? 0) - (tracked.get(a)?.priority ?? 0));
      const open = [...steps.values()].filter((s) => s.kind === 'evacuate' || s.kind === 'wait').length;
      if (open === 0 || this.stopping) {
        const failed = [...steps].filter(([, s]) => s.kind === 'failed');
        const counts = countKinds(steps);
        return { complete: failed.length === 0 && open === 0, summary: failed.length ? `${counts}; failed: ${failed.map(([id, s]) => `${id} (${s.reason})`).join(', ')}` : counts };
      }
      if (this.c.dryRun) {
        for (const id of toEvacuate) this.d.events.emit({ event: 'instance-would-evacuate', host, instance: id, reason: steps.get(id)?.reason });
        return { complete: true, summary: `dry run: would evacuate ${toEvacuate.length} instance(s)` };
      }
      await Promise.all(toEvacuate.map((id) => this.pool.run(() => this.sendEvacuate(host, id, tracked.get(id)!))));
      delay = nextVerifyDelay(delay, toEvacuate.length > 0 || view.settled.size > settledBefore, VERIFY_MIN_MS, Math.min(2000, Math.max(VERIFY_MIN_MS, this.c.pollMs)));
      await sleep(pauseAfterRound(delay, roundMs, view.fastestRoundMs));
    }
  }

  /** Evacuation migrations of the host since its failure, newest first. */
  private evacuationsOf(host: string, failedSince: number): Promise<NovaMigration[]> {
    return this.d.os.nova.migrations({ host, type: 'evacuation', since: new Date(failedSince) });
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

  /**
   * One round of verification of the instances not yet verified done: the on-host listing,
   * its evacuation migrations and what changed elsewhere, read at once (plus one GET per
   * instance no listing accounts for).
   */
  private async plan(host: string, tracked: Map<string, Tracked>, view: HostView,
    prefetched?: { onHost: NovaServer[]; migrations: NovaMigration[] }): Promise<Map<string, InstanceStep>> {
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
        migrations: migrationsOf.get(id) ?? [],
      });
      steps.set(id, step);
      if (step.kind === 'done') view.settled.set(id, step);
      const key = `${step.kind}:${step.reason}`;
      if (t.lastStep !== key && step.kind !== 'evacuate') this.d.events.emit({ event: `instance-${step.kind}`, host, instance: id, reason: step.reason });
      t.lastStep = key;
    }
    return steps;
  }

  /** Nova's answer time sets how many requests stay in flight (in-flight-limit.ts); a wider limit starts queued ones. */
  private answered(sentAt: number, outcome: 'accepted' | 'refused' | 'overloaded'): void {
    this.limit.ended(sentAt, performance.now(), outcome);
    this.pool.admit();
  }

  private async sendEvacuate(host: string, id: string, t: Tracked): Promise<void> {
    t.attempts++;
    t.lastAttemptAt = Date.now();
    const target = this.nextReservedHost();
    const sentAt = performance.now();
    try {
      const mv = await this.d.os.nova.evacuate(id, { host: target, onSharedStorage: !this.c.noSharedStorage, maxMicroversion: this.c.maxMicroversion });
      this.answered(sentAt, 'accepted');
      t.uncertain = false;
      this.d.events.emit({ event: 'instance-evacuate-accepted', host, instance: id, attempt: t.attempts, microversion: mv.toString(), ...(target ? { target } : {}) });
    } catch (e) {
      // No HTTP status: we do not know whether Nova took it. Nova will show it within the grace time.
      t.uncertain = !(e instanceof HttpError && e.status !== undefined);
      this.answered(sentAt, t.uncertain || (e instanceof HttpError && (e.status ?? 0) >= 500) ? 'overloaded' : 'refused');
      this.d.events.emit({ event: 'instance-evacuate-error', host, instance: id, attempt: t.attempts, uncertain: t.uncertain, reason: (e as Error).message });
    } finally {
      t.lastAttemptAt = Date.now();
    }
  }

  private nextReservedHost(): string | undefined {
    if (this.c.reservedHosts.length === 0) return undefined;
    return this.c.reservedHosts[this.reservedNext++ % this.c.reservedHosts.length];
  }

  /**
   * Nova (Train+) refuses to unset force-down at unfencing while the host's 'done' evacuation
   * records remain; they complete once nova-compute has started there. For hosts whose
   * evacuation is done and whose node Pacemaker shows online again, ask again until Nova agrees.
   */
  private async finishReturns(): Promise<void> {
    if (this.c.dryRun) return;
    const done = (await this.d.ledger.all()).filter((e) => e.phase === 'done');
    if (done.length === 0) return;
    const forced = (await this.d.os.nova.services()).filter((s) => s.forcedDown && done.some((e) => e.host === s.host) && !this.active.has(s.host));
    if (forced.length === 0) return;
    const online = await this.d.onlineNodes();
    for (const s of forced) {
      if (!nodeNamesOf(s.host, this.c.naming).some((n) => online.has(n))) continue;
      try {
        await this.d.os.nova.setForcedDown(s, false);
        this.d.events.emit({ event: 'host-returned', host: s.host, reason: 'back online in Pacemaker, evacuation done: force-down unset' });
      } catch (e) {
        this.d.log.debug(`${s.host}: force-down not unset yet: ${(e as Error).message}`);
      }
    }
  }

  /**
   * Marks can vanish (Pacemaker wipes a lost remote node's transient attributes; a full restart
   * loses them all): a host Nova shows forced down and disabled by instance-ha, without an open
   * ledger entry, that still has evacuable instances, gets a pending entry again.
   */
  private async reconcile(): Promise<void> {
    const [services, entries] = await Promise.all([this.d.os.nova.services(), this.d.ledger.all()]);
    const open = new Set(entries.filter((e) => e.phase !== 'done').map((e) => e.host));
    const lastDone = new Map(entries.filter((e) => e.phase === 'done').map((e) => [e.host, e]));
    for (const s of services) {
      if (!s.forcedDown || !isOurDisableReason(s.disabledReason) || open.has(s.host) || this.active.has(s.host)) continue;
      if (isNewerDone(lastDone.get(s.host), s)) continue;
      const servers = await this.d.os.nova.serversOnHost(s.host);
      if (servers.length === 0) continue;
      this.d.events.emit({ event: 'host-reconciled', host: s.host, reason: `Nova shows it fenced with ${servers.length} instance(s) on it and no open ledger entry` });
      if (!this.c.dryRun) await this.d.ledger.set({ host: s.host, phase: 'pending', since: Date.now() / 1000, by: 'reconcile' });
    }
  }
}

/** A done entry written after the service was last updated covers this fencing. */
function isNewerDone(done: LedgerEntry | undefined, s: NovaService): boolean {
  if (!done) return false;
  const updated = novaTime(s.updatedAt);
  return Number.isFinite(updated) && done.since * 1000 >= updated;
}

/** Server metadata `evacuation_priority`, else the flavor's extra spec: higher goes first. */
function priorityOf(s: NovaServer): number {
  const raw = s.metadata.evacuation_priority ?? s.flavorExtraSpecs?.evacuation_priority;
  const n = Number(raw);
  return Number.isFinite(n) ? n : 0;
}

function countKinds(steps: Map<string, InstanceStep>): string {
  const counts = new Map<string, number>();
  for (const s of steps.values()) counts.set(s.kind, (counts.get(s.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}
