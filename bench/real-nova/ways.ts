// The three ways of handling the host failure that the benchmark puts side by side. Each fences
// (force-down), gets the instances evacuated, and returns the host; the benchmark observes Nova.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '../../lib/log.ts';
import { connectOpenStack } from '../../lib/openstack/connect.ts';
import { Attrd } from '../../lib/pacemaker/attrd.ts';
import { Ledger } from '../../lib/pacemaker/ledger.ts';
import { onCibWritten } from '../../lib/pacemaker/cib-changes.ts';
import { EventLog } from '../../lib/evacuation/events.ts';
import { EvacuationWorker } from '../../lib/evacuation/worker.ts';
import { agentInput, mustRun, OURS_ENV, OURS_FENCE_COMPUTE, referenceEnv, REFERENCE_FENCE_EVACUATE, referenceFenceCompute, runAgent } from './agents.ts';
import { AUTH_URL, type Nova } from './nova.ts';

export type WayName = 'ours' | 'reference' | 'floor';

export interface Way {
  name: WayName;
  /** Before the failure: what runs all along (ours: NovaEvacuate's worker, idle). */
  arm(): Promise<void>;
  /** At the failure: force the service down. Resolves when fenced. */
  fence(): Promise<void>;
  /** After fencing: have the instances evacuated (resolves when this way stops acting). */
  evacuate(): Promise<void>;
  /** One attempt at returning the restarted host to service (repeated until Nova shows it back). */
  returnHost(): Promise<void>;
  disarm(): Promise<void>;
  /** Where the time went, ms after t0, from the way's own log (ours: the worker's events). */
  breakdown?(t0: number): Record<string, number>;
}

/** The worker's events that split "fenced → all accepted → verified done" (first of each, last accepted). */
function workerBreakdown(eventsFile: string, t0: number): Record<string, number> {
  const events = readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { time: string; event: string });
  const at = (e: { time: string }) => Date.parse(e.time) - t0;
  const out: Record<string, number> = {};
  for (const [name, event] of [['markSeen', 'host-marked'], ['claimed', 'host-claimed'], ['selected', 'host-selected'], ['firstAccepted', 'instance-evacuate-accepted'], ['verifiedDone', 'host-done']] as const) {
    const e = events.find((x) => x.event === event);
    if (e) out[name] = at(e);
  }
  const accepted = events.filter((x) => x.event === 'instance-evacuate-accepted');
  if (accepted.length) out.lastAccepted = at(accepted[accepted.length - 1]!);
  return out;
}

/** Ours: fence_compute -o off (force-down, disable, ledger, attrd mark); the worker evacuates; -o on returns it. */
export function ours(host: string, password: string): Way {
  const attrd = new Attrd();
  const ledger = new Ledger();
  let stop: (() => Promise<void>) | undefined;
  const eventsFile = join(mkdtempSync(join(tmpdir(), 'ihaa-bench-real-nova-')), 'events.jsonl');
  const cleanMarks = async () => {
    await attrd.remove('evacuate', { node: host, private: true }).catch(() => {});
    await ledger.remove(host).catch(() => {});
  };
  return {
    name: 'ours',
    async arm() {
      await cleanMarks();
      const log = new Logger({ tag: 'bench-real-nova', stderr: false, syslog: false });
      const values = { auth_url: AUTH_URL, username: 'admin', password, tenant_name: 'admin', user_domain: 'Default', project_domain: 'Default', endpoint_type: 'publicURL', request_timeout: 10 };
      const os = await connectOpenStack(values, new Set(Object.keys(values)), {}, log);
      // NovaEvacuate's defaults; no fencing check, there is no IPMI level in this cluster.
      const worker = new EvacuationWorker({
        node: 'bench', tag: 'evacuable', concurrency: 32, reservedHosts: [], maxMicroversion: '2.94', noSharedStorage: false, threshold: 50,
        verifyMs: 600_000, maxAttempts: 3, requireFencing: false, pollMs: 1000, evacuateDelayMs: 0, graceMs: 15_000, dryRun: false, naming: {},
      }, { os, attrd, ledger, log, fencingHistory: async () => [], onlineNodes: async () => new Set<string>(),
        watchMarks: (onChange) => onCibWritten(onChange), events: new EventLog(eventsFile, log) });
      const running = worker.run();
      stop = async () => { worker.stop(); await running; };
    },
    fence: () => mustRun('fence_compute -o off', OURS_FENCE_COMPUTE, agentInput('off', host, password), OURS_ENV),
    evacuate: async () => { /* the worker, already running */ },
    returnHost: () => mustRun('fence_compute -o on', OURS_FENCE_COMPUTE, agentInput('on', host, password), OURS_ENV),
    async disarm() {
      await stop?.();
      await cleanMarks();
    },
    breakdown: (t0) => workerBreakdown(eventsFile, t0),
  };
}

/**
 * The reference: Debian's fence_compute 4.12 -o off (force-down, disable; its attrd mark is kept
 * out of the shared cluster, see referenceEnv), then fence_evacuate -o off; fence_compute -o on returns the host.
 * no_shared_storage=1: this cloud has no shared storage (with the default, every rebuild fails).
 */
export function reference(host: string, password: string): Way {
  const env = referenceEnv();
  return {
    name: 'reference',
    arm: async () => {},
    fence: () => mustRun('reference fence_compute -o off', referenceFenceCompute(), agentInput('off', host, password), env),
    evacuate: () => mustRun('reference fence_evacuate -o off', REFERENCE_FENCE_EVACUATE, agentInput('off', host, password, { no_shared_storage: '1' }), env),
    // It exits 1 when Nova still refuses to unset force-down (evacuations not completed yet): tried again.
    returnHost: async () => { await runAgent(referenceFenceCompute(), agentInput('on', host, password), env); },
    disarm: async () => {},
  };
}

/** The floor: PUT force-down (2.53, service id looked up beforehand), list the host's servers, every evacuate POST at once. */
export function floor(host: string, nova: Nova): Way {
  let serviceId = '';
  return {
    name: 'floor',
    arm: async () => { serviceId = (await nova.service(host)).id; },
    fence: async () => { await nova.must('PUT', `/os-services/${serviceId}`, { forced_down: true }); },
    async evacuate() {
      const servers = (await nova.must('GET', `/servers?all_tenants=1&host=${host}&limit=1000`)).servers as Array<{ id: string }>;
      await Promise.all(servers.map((s) => nova.must('POST', `/servers/${s.id}/action`, { evacuate: {} })));
    },
    async returnHost() {
      const r = await nova.call('PUT', `/os-services/${serviceId}`, { forced_down: false });
      if (r.status === 200) await nova.must('PUT', `/os-services/${serviceId}`, { status: 'enabled' });
    },
    disarm: async () => {},
  };
}
