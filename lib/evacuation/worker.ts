import { BLOCKED_ATTR, EVACUATE_ATTR } from '../pacemaker/marks.ts';
import { Alarm, sleep } from '../time.ts';
import { claimHost } from './claim.ts';
import { checkGate, pausedReason, type Gate, type LedgerNotes } from './host-gate.ts';
import { massFailureGuard } from './guard.ts';
import type { LedgerEntry, LedgerState } from '../pacemaker/ledger.ts';
import { scanMarks } from './marks-scan.ts';
import { sharedRead } from '../shared-read.ts';
import type { NovaService } from '../openstack/nova.ts';
import { moveInstances, type MoveOutcome } from './move-rounds.ts';
import { Requests, type MoveKind } from './requests.ts';
import { clearOrphanedReports, finishReturns, reconcile, recordDoneElsewhere } from './upkeep.ts';
import { Verifier, type HostReading } from './verification.ts';
import { EVACUABLE_STATUS } from './instance-plan.ts';
import type { WorkerConfig, WorkerDeps } from './worker-config.ts';
import { pacemakerNodeOf } from '../host-names.ts';

export type { WorkerConfig, WorkerDeps } from './worker-config.ts';

// The NovaEvacuate worker: watches attrd's `evacuate` marks and the durable ledger, and
// evacuates each marked host — several hosts at once, every instance verified in Nova, nothing
// evacuated twice. Per host: wait for the gate (not paused, proof of fencing, the mass-failure guard) →
// claim → rounds of requests and verification → done, or blocked and retried with backoff
// until done or released by the operator. This file only orchestrates the stages.

const RECONCILE_MS = 60_000;
const FINISH_RETURNS_MS = 15_000;
/** Backoff of a host whose round could not finish (failed instances): retried, capacity may come. */
const HOST_RETRY_MS = [10_000, 30_000, 60_000, 120_000, 300_000];
/** Rechecks of a closed gate: quick while a fencing completes, then backing off. */
const GATE_FIRST_MS = 250;
const GATE_MAX_MS = 30_000;
/** A gate closed this long is reported as blocked (attribute and warning), not just waited on. */
const HELD_REPORT_MS = 10_000;
/** While backing off, a release by the operator is noticed within this. */
const RELEASE_CHECK_MS = 5000;
/**
 * A host that just ended is not opened again from a mark read up to this long after: the poll may
 * have read before the end, and attrd (2.1, no --wait) applies our evacuate=no only after its own
 * broadcast. A real new mark is seen on the next poll after it.
 */
const SETTLE_MS = 5000;

export class EvacuationWorker {
  private readonly c: WorkerConfig;
  private readonly d: WorkerDeps;
  private readonly active = new Map<string, Promise<void>>();
  /** When each host's task last ended (SETTLE_MS). */
  private readonly endedAt = new Map<string, number>();
  private readonly requests: Requests;
  private readonly verifier: Verifier;
  private readonly evacuate: MoveKind;
  private readonly startedAt = Date.now();
  private readonly stopped = new AbortController();
  private readonly alarm = new Alarm();
  /** The blocked reason last written per host (written again only when it changes). */
  private readonly blocked = new Map<string, string>();
  /** Nova's services, read once for all hosts at the gate within a poll interval. */
  private readonly services: () => Promise<NovaService[]>;
  /** The pause and the operators' confirmations, as the last poll read them with the marks. */
  private notes: LedgerNotes = { pause: undefined, confirmedOff: new Map() };
  /** The ledger's entries as the last poll read them: held hosts look there for a release (no read of their own). */
  private entries = new Map<string, LedgerEntry>();
  /** Aborted to end every wait at a closed gate at once (a resume, a new confirmation). */
  private gateWake = new AbortController();

  constructor(config: WorkerConfig, deps: WorkerDeps) {
    this.c = config;
    this.d = deps;
    // Paused: nothing new is sent, also not a request queued in a round already under way.
    this.requests = new Requests(config.concurrency, config.reservedHosts, deps.events, () => this.stopping || this.notes.pause !== undefined);
    this.evacuate = {
      verb: 'evacuate', migrationType: 'evacuation', movable: EVACUABLE_STATUS,
      send: async (id, host) => ({ microversion: (await deps.os.nova.evacuate(id, { host, onSharedStorage: !config.noSharedStorage, maxMicroversion: config.maxMicroversion })).toString() }),
    };
    this.verifier = new Verifier(config, deps, this.evacuate);
    this.services = sharedRead(() => deps.os.nova.services(), Math.min(1000, config.pollMs));
  }

  private get stopping(): boolean {
    return this.stopped.signal.aborted;
  }

  private sleep(ms: number): Promise<void> {
    return sleep(ms, this.stopped.signal);
  }

  /** Runs until stop(); each host task ends on its own when its host is done. */
  async run(): Promise<void> {
    this.d.events.emit({ event: 'worker-started', node: this.c.node, dryRun: this.c.dryRun });
    let lastReconcile = 0;
    let lastFinish = 0;
    const busy = (host: string) => this.active.has(host);
    const unwatch = this.d.watchMarks?.(() => this.alarm.poke());
    while (!this.stopping) {
      try {
        if (Date.now() - lastReconcile > RECONCILE_MS) { lastReconcile = Date.now(); await reconcile(this.c, this.d, busy); await clearOrphanedReports(this.c, this.d); }
        if (Date.now() - lastFinish > FINISH_RETURNS_MS) { lastFinish = Date.now(); await finishReturns(this.c, this.d, busy); }
        const readAt = Date.now();
        const [marks, ledger] = await Promise.all([this.d.attrd.queryAll(EVACUATE_ATTR), this.d.ledger.read()]);
        this.noteLedger(ledger);
        const scan = scanMarks(marks, ledger.entries, { node: this.c.node, startedAt: this.startedAt, now: Date.now() });
        await recordDoneElsewhere(this.c, this.d, scan.doneElsewhere.filter((e) => !busy(e.host)));
        const stale = (host: string) => (this.endedAt.get(host) ?? 0) > readAt - SETTLE_MS;
        for (const host of scan.open) if (!busy(host) && !stale(host) && !this.stopping) this.startHost(host);
      } catch (e) {
        this.d.log.warning(`reading evacuation marks: ${(e as Error).message}`);
      }
      this.d.metrics?.flush();
      await Promise.race([this.alarm.sleep(this.c.pollMs), this.sleep(this.c.pollMs)]);
    }
    unwatch?.();
    await Promise.allSettled(this.active.values());
    this.d.events.emit({ event: 'worker-stopped', node: this.c.node });
  }

  /** The pause and confirmations just read: a pause is logged once, a resume or a new confirmation opens the gates' waits. */
  private noteLedger(state: LedgerState): void {
    const before = this.notes;
    this.notes = { pause: state.pause, confirmedOff: state.confirmedOff };
    this.entries = new Map(state.entries.map((e) => [e.host, e]));
    const { pause } = state;
    if (pause && (before.pause?.since !== pause.since || before.pause.by !== pause.by)) {
      this.d.events.emit({ event: 'evacuation-paused', reason: `${pausedReason(pause)}; marked hosts wait, nothing is sent to Nova` });
    }
    if (!pause && before.pause) this.d.events.emit({ event: 'evacuation-resumed', reason: `paused since ${new Date(before.pause.since * 1000).toISOString()} by ${before.pause.by}; held hosts start now` });
    const confirmed = [...state.confirmedOff].some(([host, n]) => before.confirmedOff.get(host)?.since !== n.since);
    if ((!pause && before.pause) || confirmed) {
      this.gateWake.abort();
      this.gateWake = new AbortController();
    }
  }

  /** Sends nothing new and ends every wait; requests in flight finish (each bounded by its timeout). */
  stop(): void {
    this.stopped.abort();
    this.alarm.poke();
  }

  private startHost(host: string): void {
    const task = this.evacuateHost(host)
      .catch((e: unknown) => this.d.log.error(`${host}: ${(e as Error).message}`))
      .finally(() => { this.active.delete(host); this.endedAt.set(host, Date.now()); });
    this.active.set(host, task);
  }

  /** One host, from its mark to evacuate=no (or the operator's release). */
  private async evacuateHost(host: string): Promise<void> {
    // Read again, not from the poll: fence_compute (and instance-ha evacuate) write the mark before
    // the ledger entry, and the entry's time is the mark's time (an operator's word must not predate it).
    const entry = await this.d.ledger.get(host);
    // Never later than now: a ledger stamped by a node whose clock is ahead must not delay us.
    const markedAt = entry && entry.phase !== 'done' ? Math.min(entry.since * 1000, Date.now()) : Date.now();
    const resumed = entry?.phase === 'evacuating';
    this.d.events.emit({ event: 'host-marked', host, since: new Date(markedAt).toISOString(), resumed });
    await this.sleep(markedAt + this.c.evacuateDelayMs - Date.now());
    for (let round = 0, retries = 0; !this.stopping; round++) {
      // The usual case is safe at once: read the host meanwhile (reading is not acting; the
      // claim still comes before any request, and Nova shows every later change to an instance).
      // Not while paused (Nova is not asked then) or while the mass-failure guard holds (hundreds
      // of held hosts would each read for nothing).
      const prefetch = round === 0 && !resumed && !this.notes.pause && !(await this.guardHolds());
      let reading: Promise<HostReading> | undefined = prefetch ? this.verifier.readHost(host, markedAt) : undefined;
      reading?.catch(() => {});
      const gate = await this.waitForGate(host, markedAt);
      if (gate === 'released' || this.stopping) return;
      if (gate === 'waited') reading = undefined;
      const outcome = await this.hostRound(host, markedAt, resumed && round === 0, reading);
      if (this.stopping) return;
      if (outcome.complete) { await this.finish(host, outcome.summary); return; }
      if (outcome.held) continue;
      this.d.events.emit({ event: 'host-incomplete', host, reason: outcome.summary });
      if (this.c.dryRun) return;
      const backoff = HOST_RETRY_MS[Math.min(retries++, HOST_RETRY_MS.length - 1)]!;
      await this.reportBlocked(host, `evacuation cannot finish: ${outcome.summary}; retried in ${backoff / 1000} s; after checking by hand: instance-ha release ${host}`);
      if (await this.backoff(host, markedAt, backoff)) return;
    }
  }

  /** Claim, then rounds of requests and verification. */
  private async hostRound(host: string, markedAt: number, resumed: boolean, reading: Promise<HostReading> | undefined): Promise<MoveOutcome> {
    const claim = this.c.dryRun ? undefined : await claimHost(this.c, this.d, host, markedAt);
    try {
      // A worker that died may have left requests Nova has not answered yet: let them land first.
      if (resumed) await this.sleep(this.c.graceMs);
      return await moveInstances({
        c: this.c, d: this.d, host, markedAt, reading: await (reading ?? this.verifier.readHost(host, markedAt)),
        verifier: this.verifier, requests: this.requests, kind: this.evacuate,
        gate: () => this.gate(host, markedAt), stopping: () => this.stopping, sleep: (ms) => this.sleep(ms),
      });
    } finally {
      await claim?.release();
    }
  }

  /** Until the gate opens: 'open' at once, 'waited' after waiting, 'released' when the operator ended the host. */
  private async waitForGate(host: string, markedAt: number): Promise<'open' | 'waited' | 'released'> {
    const since = Date.now();
    for (let delay = GATE_FIRST_MS; !this.stopping; delay = Math.min(GATE_MAX_MS, delay * 2)) {
      let gate: Gate;
      try {
        gate = await this.gate(host, markedAt);
      } catch (e) {
        gate = { open: false, event: 'host-unsafe', reason: `cannot check the host's safety: ${(e as Error).message}` };
      }
      if (gate.open) {
        this.d.events.emit({ event: 'host-safe', host, reason: gate.proof });
        return delay === GATE_FIRST_MS ? 'open' : 'waited';
      }
      this.d.events.emit({ event: gate.event, host, reason: gate.reason });
      if (Date.now() - since >= HELD_REPORT_MS) {
        // A pause is the operator's choice, not a stuck host: status shows it, the worker logged it once.
        if (gate.event !== 'host-paused') await this.reportBlocked(host, gate.reason);
        if (await this.released(host, markedAt)) return 'released';
      }
      // On the wall clock's multiples of the delay: held hosts ask again at the same moments and
      // share one services listing and one fencing history read, however many they are.
      await sleep(delay - (Date.now() % delay), AbortSignal.any([this.stopped.signal, this.gateWake.signal]));
    }
    return 'released';
  }

  /** Whether the mass-failure guard holds on the shared services listing (no when Nova cannot say: the gate decides). */
  private async guardHolds(): Promise<boolean> {
    try { return massFailureGuard(await this.services(), this.c.threshold).blocked; } catch { return false; }
  }

  /** The gate on the last poll's pause and confirmations; an operator's word as proof is always a warning. */
  private async gate(host: string, markedAt: number): Promise<Gate> {
    const gate = await checkGate(this.c, this.d, host, markedAt, this.services, () => this.notes);
    if (gate.open && gate.byOperator) this.d.events.emit({ event: 'host-confirmed-off', host, reason: gate.proof });
    return gate;
  }

  /** Waits out a retry backoff; true when the operator released the host meanwhile. */
  private async backoff(host: string, markedAt: number, ms: number): Promise<boolean> {
    for (const end = Date.now() + ms; Date.now() < end && !this.stopping;) {
      await this.sleep(Math.min(RELEASE_CHECK_MS, end - Date.now()));
      if (await this.released(host, markedAt)) return true;
    }
    return false;
  }

  /** The ledger says done after the mark: `instance-ha release`, or another evacuator finished it. */
  private async released(host: string, markedAt: number): Promise<boolean> {
    const e = this.entries.get(host);
    const released = e?.phase === 'done' && e.since >= Math.floor(markedAt / 1000);
    if (released) {
      this.d.events.emit({ event: 'host-released', host, reason: `the ledger says done since ${new Date(e.since * 1000).toISOString()}${e.by ? ` (by ${e.by})` : ''}` });
      await this.clearBlocked(host);
    }
    return released;
  }

  private async finish(host: string, summary: string): Promise<void> {
    if (!this.c.dryRun) {
      // Independent: whichever is lost if we die here, the next worker finds every instance done in Nova.
      await Promise.all([
        this.d.ledger.set({ host, phase: 'done', since: Date.now() / 1000, by: this.c.node }),
        this.d.attrd.update(EVACUATE_ATTR, 'no', { node: host, private: true }),
        this.clearBlocked(host),
      ]);
    }
    this.d.events.emit({ event: 'host-done', host, reason: summary, dryRun: this.c.dryRun });
  }

  /**
   * The node attribute `crm_mon -A` shows, and a warning (events.ts), when the reason changes.
   * Under the Nova host name, as the evacuate mark (instance-ha status and release read it there),
   * and under the Pacemaker node name when host_map or domain make it another (crm_mon shows only nodes).
   */
  private async reportBlocked(host: string, reason: string): Promise<void> {
    this.d.events.emit({ event: 'host-blocked', host, reason });
    if (this.c.dryRun || this.blocked.get(host) === reason) return;
    this.blocked.set(host, reason);
    await Promise.all(this.blockedNames(host).map((node) => this.d.attrd.update(BLOCKED_ATTR, reason, { node })))
      .catch((e: unknown) => this.d.log.warning(`${host}: recording blocked: ${(e as Error).message}`));
  }

  /** Always asks attrd: the report may be an earlier worker's (a restart, a parameter change). */
  private async clearBlocked(host: string): Promise<void> {
    this.blocked.delete(host);
    await Promise.all(this.blockedNames(host).map((node) => this.d.attrd.remove(BLOCKED_ATTR, { node })))
      .catch((e: unknown) => this.d.log.warning(`${host}: clearing blocked: ${(e as Error).message}`));
  }

  private blockedNames(host: string): string[] {
    return [...new Set([host, pacemakerNodeOf(host, this.c.naming)])];
  }
}
