import { createRequestHandler } from './app.ts';
import { CallLog } from './calls.ts';
import { Catalog } from './endpoints.ts';
import { Faults } from './faults.ts';
import type { FieldRenames } from './fidelity-break.ts';
import { Keystone } from './keystone.ts';
import { LiveMigrator } from './live-migration.ts';
import { Listener } from './listener.ts';
import { CloudModel } from './model.ts';
import { Microversion } from './nova/microversion.ts';
import { Evacuator } from './rebuild.ts';
import { Timers } from './timers.ts';
import { TokenStore } from './tokens.ts';

export { CloudModel } from './model.ts';
export type { AggregateOptions, ComputeOptions, FlavorOptions, ImageOptions, MigrationOptions, ServerOptions } from './model-options.ts';
export type { ComputeHost, Flavor, Image, Migration, ServiceRecord } from './model-types.ts';
export type { CallLog, CallRecord } from './calls.ts';
export { callClass } from './calls.ts';
export type { FaultKind, FaultRule, FaultSpec, Faults } from './faults.ts';
export type { Server } from './server-record.ts';
export type { LiveMigrationOutcome, LiveMigrator } from './live-migration.ts';

export interface SimulatorOptions {
  tls?: { key: string; cert: string };
  /** Highest compute microversion (default '2.95'; the recorded Zed cloud stops at '2.93'). */
  maxMicroversion?: string;
  /** How long an accepted evacuation takes to land on the new host (default 200 ms). */
  rebuildMs?: number;
  /** How long an accepted live migration takes until the migration is `completed` (default 300 ms). */
  liveMigrationMs?: number;
  /** Added to every response (default 0). */
  latencyMs?: number;
  /** Added to a response per other request being handled (default 0): an API that slows down with load. */
  loadLatencyMs?: number;
  /** Token lifetime (default one hour). */
  tokenTtlMs?: number;
  /** Listening port (default 0: any free port). */
  port?: number;
  /** Seed for the model's deterministic ids. */
  seed?: string;
  /** Also list nova-scheduler and nova-conductor on host "controller" (default true). */
  controlServices?: boolean;
  /** Fidelity break for the contract tests: rename these JSON keys in every answer (fidelity-break.ts). */
  renameFields?: FieldRenames;
}

/** Settings that tests may change while the simulator runs. */
export interface SimulatorSettings {
  maxMicroversion: string;
  rebuildMs: number;
  liveMigrationMs: number;
  latencyMs: number;
  loadLatencyMs: number;
  tokenTtlMs: number;
}

export interface Simulator {
  /** e.g. http://127.0.0.1:PORT/identity/v3 */
  authUrl: string;
  /** e.g. http://127.0.0.1:PORT */
  baseUrl: string;
  model: CloudModel;
  faults: Faults;
  calls: CallLog;
  settings: SimulatorSettings;
  /** os-migrateLive: `outcomes.set(serverIdOrDestinationHost, 'fail' | 'hang')`, `inFlight`. */
  liveMigrations: LiveMigrator;
  /** A project-scoped token without going through Keystone (default: admin on project admin). */
  token(user?: string, project?: string): string;
  /** Every issued token stops working. */
  expireTokens(): void;
  /** Closes the listener and every socket (hanging ones too) and cancels all timers. */
  stop(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const settings: SimulatorSettings = {
    maxMicroversion: opts.maxMicroversion ?? '2.95', rebuildMs: opts.rebuildMs ?? 200, liveMigrationMs: opts.liveMigrationMs ?? 300,
    latencyMs: opts.latencyMs ?? 0, loadLatencyMs: opts.loadLatencyMs ?? 0, tokenTtlMs: opts.tokenTtlMs ?? 3_600_000,
  };
  Microversion.of(settings.maxMicroversion);
  const model = new CloudModel({ seed: opts.seed, controlServices: opts.controlServices });
  const timers = new Timers();
  const tokens = new TokenStore(() => settings.tokenTtlMs);
  const calls = new CallLog();
  const faults = new Faults(timers);
  const evacuator = new Evacuator(model, timers, () => settings.rebuildMs);
  const liveMigrations = new LiveMigrator(model, timers, () => settings.liveMigrationMs);
  const keystone = new Keystone(model, tokens, new Catalog(model.ids));
  const listener = new Listener(createRequestHandler({
    model, tokens, keystone, evacuator, liveMigrator: liveMigrations, calls, faults, timers, scheme: opts.tls ? 'https' : 'http',
    latencyMs: (inProgress) => settings.latencyMs + settings.loadLatencyMs * Math.max(0, inProgress - 1), renameFields: opts.renameFields, maxMicroversion: () => Microversion.of(settings.maxMicroversion),
  }), opts.tls);
  faults.attach(listener);
  const port = await listener.listen(opts.port ?? 0);
  const baseUrl = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    authUrl: `${baseUrl}/identity/v3`, baseUrl, model, faults, calls, settings, liveMigrations,
    token(user = 'admin', project = 'admin') {
      const u = model.identity.user(user);
      const p = model.identity.project(project);
      if (!u || !p) throw new Error(`simulator: unknown user ${user} or project ${project}`);
      return tokens.issue({ userId: u.id, projectId: p.id, roles: model.identity.rolesOn(u.id, p.id), methods: ['password'],
        appCredentialId: null }).id;
    },
    expireTokens: () => tokens.revokeAll(),
    async stop() {
      timers.clearAll();
      await listener.stop();
    },
  };
}
