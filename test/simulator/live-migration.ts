import type { CloudModel } from './model.ts';
import type { Migration } from './model-types.ts';
import { pickHost } from './scheduler.ts';
import type { Server } from './server-record.ts';
import type { Timers } from './timers.ts';

/** How a live migration that passed the conductor's checks ends: moved, rolled back (migration `failed`), or stuck running. */
export type LiveMigrationOutcome = 'ok' | 'fail' | 'hang';

export interface LiveMigrationRequest {
  /** The named destination; undefined: the scheduler chooses. */
  host?: string;
  /** The named host without the scheduler's filters (below 2.30 a named host always is; 2.30-2.67 with force). */
  force: boolean;
  /** Below 2.34 the conductor's checks answer the request (a 400); from 2.34 they run after the 202. */
  sync: boolean;
  /** Who asked: the migration record's user_id / project_id. */
  userId: string;
  projectId: string;
}

/** A conductor check refused the migration; the message is Nova's. */
export class LiveMigrationRefused extends Error {}

interface InFlight { migration: Migration; dest?: string }

// The asynchronous half of os-migrateLive, paced like a real Zed with the fake driver (see
// test/fixtures/openstack-zed/_measurements.json, liveMigrations) but scaled to the duration:
// accepted (dest null unless forced) at 0; the conductor's checks at 30 %: failure sets the
// migration `error` and clears the task (the server stays ACTIVE where it was); then `queued`
// with the destination at 35 %, `preparing` 45 %, `running` 75 %; at 90 % the server is on the
// new host with task_state null, the migration still `running`; `completed` at 100 %.
export class LiveMigrator {
  /** How live migrations end, by server id (first) or destination host; 'ok' when neither is set. */
  readonly outcomes = new Map<string, LiveMigrationOutcome>();
  readonly #model: CloudModel;
  readonly #timers: Timers;
  readonly #durationMs: () => number;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #pending = new Map<string, number>(); // destination host -> live migrations heading there

  constructor(model: CloudModel, timers: Timers, durationMs: () => number) {
    this.#model = model;
    this.#timers = timers;
    this.#durationMs = durationMs;
  }

  /** Called once Nova's API checks passed (the server is ACTIVE or PAUSED with no task). Throws LiveMigrationRefused (sync only). */
  start(server: Server, req: LiveMigrationRequest): Migration {
    const typeId = [...this.#model.flavors.keys()].indexOf(server.flavorId) + 1 || null;
    const migration = this.#model.addMigration({
      instanceUuid: server.id, migrationType: 'live-migration', status: 'accepted', sourceCompute: server.host,
      destCompute: req.force ? req.host ?? null : null, destHost: null,
      oldInstanceTypeId: typeId, newInstanceTypeId: typeId, userId: req.userId, projectId: req.projectId, createdAt: new Date(),
    });
    migration.sourceNode = null; // set when the compute takes it (queued); the builder defaults it to the source
    this.#set(server, { taskState: 'migrating' });
    const flight: InFlight = { migration };
    this.#inFlight.set(server.id, flight);
    const T = this.#durationMs();
    if (req.sync) {
      const refused = this.#conductor(server, flight, req);
      if (refused) throw new LiveMigrationRefused(refused);
      this.#run(server, flight, T, 0.3);
    } else {
      this.#timers.after(0.3 * T, () => {
        if (!this.#conductor(server, flight, req)) this.#run(server, flight, T, 0.3);
      });
    }
    return migration;
  }

  /** Live migrations not finished yet (a 'hang' one never is). */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** LiveMigrationTask: the source must be up; a forced host is only checked for being another, running one; else the scheduler. Returns why it failed. */
  #conductor(server: Server, flight: InFlight, req: LiveMigrationRequest): string | undefined {
    const source = server.host;
    const up = (host: string) => {
      const c = this.#model.computes.get(host);
      return c !== undefined && this.#model.isUp(c);
    };
    let refused: string | undefined;
    let dest: string | undefined;
    if (source === null || !up(source)) refused = `Compute service of ${source} is unavailable at this time.`;
    else if (req.force && req.host !== undefined) {
      if (req.host === source) refused = `Unable to migrate instance (${server.id}) to current host (${source}).`;
      else if (!up(req.host)) refused = `Compute service of ${req.host} is unavailable at this time.`;
      else dest = req.host;
    } else {
      dest = pickHost(this.#model, source, this.#pending, req.host !== undefined ? { host: req.host, force: false } : undefined);
      if (dest === undefined) refused = 'No valid host was found. There are not enough hosts available.';
    }
    if (refused !== undefined || dest === undefined) {
      this.#inFlight.delete(server.id);
      Object.assign(flight.migration, { status: 'error', updatedAt: new Date() });
      if (this.#model.servers.get(server.id) === server) this.#set(server, { taskState: null });
      return refused;
    }
    flight.dest = dest;
    this.#pending.set(dest, (this.#pending.get(dest) ?? 0) + 1);
    return undefined;
  }

  /** The compute side, from the conductor's decision at `from` (a fraction of T) on. */
  #run(server: Server, flight: InFlight, T: number, from: number): void {
    const m = flight.migration;
    const dest = flight.dest as string;
    const compute = this.#model.computes.get(dest);
    const status = (s: Migration['status']) => () => Object.assign(m, { status: s, updatedAt: new Date() });
    const steps: [number, () => void][] = [
      [0.35, () => Object.assign(m, { status: 'queued', destCompute: dest, destNode: compute?.hypervisor.hostname ?? dest,
        sourceNode: server.node, updatedAt: new Date() })],
      [0.45, status('preparing')],
      [0.75, status('running')],
    ];
    const outcome = this.outcomes.get(server.id) ?? this.outcomes.get(dest) ?? 'ok';
    if (outcome === 'fail') {
      // _rollback_live_migration: the task is cleared where the instance was, the migration `failed`
      steps.push([0.9, () => { this.#set(server, { taskState: null }); status('failed')(); this.#done(server, dest); }]);
    } else if (outcome === 'ok') {
      steps.push([0.9, () => { server.host = dest; this.#set(server, { taskState: null }); }]);
      steps.push([1, () => { status('completed')(); this.#done(server, dest); }]);
    } // 'hang': stays running, task_state migrating
    // one timer after the other (separate timers could fire out of order when the event loop lags)
    const next = (i: number, at: number) => {
      const step = steps[i];
      if (!step) return;
      this.#timers.after((step[0] - at) * T, () => {
        if (this.#model.servers.get(server.id) !== server) return this.#done(server, dest); // deleted meanwhile
        step[1]();
        next(i + 1, step[0]);
      });
    };
    next(0, from);
  }

  #done(server: Server, dest: string): void {
    this.#inFlight.delete(server.id);
    this.#pending.set(dest, Math.max(0, (this.#pending.get(dest) ?? 1) - 1));
  }

  #set(server: Server, change: Partial<Pick<Server, 'taskState'>>): void {
    Object.assign(server, change);
    server.updatedAt = new Date();
  }
}
