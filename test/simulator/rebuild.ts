import type { CloudModel } from './model.ts';
import type { Migration } from './model-types.ts';
import { pickHost } from './scheduler.ts';
import type { Server } from './server-record.ts';
import { POWER } from './server-state.ts';
import type { Timers } from './timers.ts';

export interface EvacuationRequest {
  host?: string;
  force: boolean;
  /** Microversion 2.95+: the instance ends stopped on the destination. */
  stopAtEnd: boolean;
}

interface InFlight { migration: Migration; raced: boolean }

// The asynchronous half of an evacuation, paced like the recorded Zed runs (see
// _measurements.json) but scaled to rebuildMs: scheduled at 10 %, block device mapping at
// 60 %, spawning at 70 %, settled (task_state None) while still on the OLD host at 85 %,
// moved to the new host and migration "done" at 100 %.
export class Evacuator {
  readonly #model: CloudModel;
  readonly #timers: Timers;
  readonly #rebuildMs: () => number;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #pending = new Map<string, number>(); // destination host -> rebuilds heading there

  constructor(model: CloudModel, timers: Timers, rebuildMs: () => number) {
    this.#model = model;
    this.#timers = timers;
    this.#rebuildMs = rebuildMs;
  }

  /** Called once Nova's API checks passed; returns the migration record it created. */
  start(server: Server, req: EvacuationRequest): Migration {
    const source = server.host;
    const migration = this.#model.addMigration({
      instanceUuid: server.id, status: 'accepted', sourceCompute: source, sourceNode: server.node,
      destCompute: req.host ?? null, userId: server.userId, projectId: server.tenantId, createdAt: new Date(),
    });
    server.taskState = 'rebuilding';
    server.updatedAt = new Date();
    const running = this.#inFlight.get(server.id);
    if (running) {
      // Zed accepts a second evacuate while one runs; the two rebuilds race and the real
      // cloud left the instance in vm_state error, stuck in rebuild_block_device_mapping,
      // with the first migration failed and the second never leaving "accepted".
      running.raced = true;
      return migration;
    }
    const flight: InFlight = { migration, raced: false };
    this.#inFlight.set(server.id, flight);
    const wasStopped = server.vmState === 'stopped';
    const T = this.#rebuildMs();
    this.#timers.after(0.1 * T, () => this.#schedule(server, flight, req, source, wasStopped, T));
    return migration;
  }

  /** Evacuations whose rebuild has not finished yet. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  #schedule(server: Server, flight: InFlight, req: EvacuationRequest, source: string | null, wasStopped: boolean, T: number): void {
    const m = flight.migration;
    const dest = pickHost(this.#model, source, this.#pending,
      req.host !== undefined ? { host: req.host, force: req.force } : undefined);
    if (dest === undefined) {
      this.#inFlight.delete(server.id);
      m.status = 'error';
      m.updatedAt = new Date();
      this.#update(server, { vmState: 'error', taskState: null }, {
        code: 500, message: 'No valid host was found. There are not enough hosts available.',
        details: 'Traceback (most recent call last):\n  ...\nnova.exception.NoValidHost: No valid host was found.',
      });
      return;
    }
    const compute = this.#model.computes.get(dest);
    // a forced destination that is not running never picks the rebuild up
    if (!compute || !this.#model.isUp(compute)) return;
    Object.assign(m, { destCompute: dest, destNode: compute.hypervisor.hostname, destHost: compute.hypervisor.hostIp,
      status: 'pre-migrating', updatedAt: new Date() });
    this.#pending.set(dest, (this.#pending.get(dest) ?? 0) + 1);
    // Steps run one after the other (each timer starts the next): separate timers could fire
    // out of order when the event loop lags, which Nova's state machine never does.
    const steps: [number, () => void][] = [];
    const at = (f: number, fn: () => void) => steps.push([f, fn]);
    at(0.6, () => this.#update(server, { taskState: 'rebuild_block_device_mapping' }));
    at(0.7, () => this.#update(server, { taskState: 'rebuild_spawning' }));
    const outcome = server.rebuildOutcome ?? compute.rebuildOutcome;
    if (outcome === 'fail') {
      at(1, () => this.#finish(server, flight, dest, () => {
        m.status = 'failed';
        this.#update(server, { vmState: 'error', taskState: null }, {
          code: 500, message: 'Rebuild failed', details: 'nova.exception.BuildAbortException: rebuild failed on the destination' });
      }));
    } else if (outcome !== 'hang') { // 'hang' stays in rebuild_spawning
      const stop = wasStopped || req.stopAtEnd;
      at(0.85, () => !flight.raced && this.#update(server, { vmState: 'active', taskState: null, powerState: POWER.RUNNING }));
      if (stop) {
        at(0.9, () => !flight.raced && this.#update(server, { taskState: 'powering-off' }));
        at(0.95, () => !flight.raced && this.#update(server, { vmState: 'stopped', taskState: null, powerState: POWER.SHUTDOWN }));
      }
      at(1, () => this.#finish(server, flight, dest, () => {
        if (flight.raced) {
          m.status = 'failed';
          this.#update(server, { vmState: 'error', taskState: 'rebuild_block_device_mapping', powerState: POWER.RUNNING });
        } else {
          m.status = 'done';
          server.launchedAt = new Date();
          server.fault = null;
          this.#update(server, {});
        }
      }));
    }
    const run = (i: number, from: number) => {
      const step = steps[i];
      if (!step) return;
      this.#timers.after((step[0] - from) * T, () => { step[1](); run(i + 1, step[0]); });
    };
    run(0, 0.1);
  }

  #finish(server: Server, flight: InFlight, dest: string, outcome: () => void): void {
    this.#inFlight.delete(server.id);
    this.#pending.set(dest, Math.max(0, (this.#pending.get(dest) ?? 1) - 1));
    if (this.#model.servers.get(server.id) !== server) return; // deleted meanwhile
    server.host = dest;
    flight.migration.updatedAt = new Date();
    outcome();
  }

  #update(server: Server, change: Partial<Pick<Server, 'vmState' | 'taskState' | 'powerState'>>,
    fault?: { code: number; message: string; details: string }): void {
    Object.assign(server, change);
    if (fault) server.fault = { ...fault, created: new Date() };
    server.updatedAt = new Date();
  }
}
