// Small helpers the scenarios share: commands, the cluster's view, waiting, the testbed's
// cloud process (sim-server.ts) and its state.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLUSTER_LOG, logSince, logSize } from '../helpers/cluster/cluster-log.ts';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const STATE = process.env.IHA_E2E_STATE ?? '/tmp/ihaa-e2e';

/** Output of a command, '' when it fails. */
export const sh = (cmd: string, args: string[], env?: NodeJS.ProcessEnv) => {
  try { return execFileSync(cmd, args, { encoding: 'utf8', timeout: 15_000, env, stdio: ['ignore', 'pipe', 'pipe'] }); } catch { return ''; }
};
/** Output of a command that must succeed. */
export const run = (cmd: string, args: string[], timeout = 60_000) => execFileSync(cmd, args, { encoding: 'utf8', timeout });
export const testbed = (...args: string[]) => execFileSync('bash', [join(HERE, 'testbed.sh'), ...args], { stdio: 'inherit', timeout: 420_000 });

/** A host as `instance-ha status --json` shows it. */
export interface HostStatus { host: string; phase: string; reason?: string; mark?: string; ledger?: string }
/** `instance-ha status --json`: every host's phase (throws when the command fails). */
export const hostStates = () => JSON.parse(run('instance-ha', ['status', '--json'])) as HostStatus[];
export const hostState = (host: string) => hostStates().find((s) => s.host === host);
export const crmMon = () => sh('crm_mon', ['-1', '--output-as=xml']);
export const online = (node: string) => new RegExp(`<node name="${node}"[^>]*online="true"`).test(crmMon());
/** Whether a resource (clone instance or primitive) runs on a node. */
export const startedOn = (resource: string, node: string, xml = crmMon()) =>
  new RegExp(`<resource id="${resource}"[^>]*role="Started"[^>]*>\\s*<node name="${node}"`).test(xml);
/** A node attribute as crm_mon -A shows it (transient and permanent, not private ones). */
export function nodeAttribute(node: string, name: string): string | undefined {
  const attrs = /<node_attributes>([\s\S]*?)<\/node_attributes>/.exec(sh('crm_mon', ['-1', '-A', '--output-as=xml']))?.[1] ?? '';
  const ofNode = new RegExp(`<node name="${node}">([\\s\\S]*?)</node>`).exec(attrs)?.[1] ?? '';
  return new RegExp(`<attribute name="${name}" value="([^"]*)"`).exec(ofNode)?.[1];
}
/** The private attrd `evacuate` mark of a host. */
export const evacuateMark = (host: string) => /value="([^"]*)"/.exec(sh('attrd_updater', ['-p', '-n', 'evacuate', '-Q', '-N', host]))?.[1];

export const setParam = (resource: string, name: string, value: string) =>
  run('crm_resource', ['--resource', resource, '--set-parameter', name, '--parameter-value', value]);
export const deleteParam = (resource: string, name: string) => sh('crm_resource', ['--resource', resource, '--delete-parameter', name]);
export const setTargetRole = (resource: string, role: 'Started' | 'Stopped') =>
  run('crm_resource', ['--resource', resource, '--meta', '--set-parameter', 'target-role', '--parameter-value', role]);

export const controller = () => run('uname', ['-n']).trim();

/** Waits until a resource runs (or no longer runs) on a node. */
export async function waitResource(resource: string, node: string, started: boolean, timeoutMs = 60_000): Promise<void> {
  for (const t0 = Date.now(); startedOn(resource, node) !== started; await sleep(250)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${resource} did not ${started ? 'start' : 'stop'} on ${node} within ${timeoutMs / 1000} s`);
  }
}

/**
 * Stops NovaEvacuate, sets (value) or removes (undefined) parameters, starts it again: its
 * worker runs with them from the next step on. Returns the undo (the old values back, restarted).
 */
export async function restartNovaEvacuate(params: Record<string, string | undefined> = {}): Promise<() => Promise<void>> {
  const node = controller();
  const old = Object.fromEntries(Object.keys(params).map((k) => [k, sh('crm_resource', ['--resource', 'nova-evacuate', '--get-parameter', k]).trim() || undefined]));
  // Slow while a host's unfencing is retried (each try holds the cluster up to unfence_wait).
  setTargetRole('nova-evacuate', 'Stopped');
  await waitResource('nova-evacuate', node, false, 180_000);
  for (const [k, v] of Object.entries(params)) { if (v === undefined) deleteParam('nova-evacuate', k); else setParam('nova-evacuate', k, v); }
  setTargetRole('nova-evacuate', 'Started');
  await waitResource('nova-evacuate', node, true, 180_000);
  return async () => { await restartNovaEvacuate(old); };
}

/** "2026-12-06 17:04:49Z" or "2026-12-06 17:04:49 +01:00" (stonith_admin in a zone other than UTC) → epoch ms. */
export function pacemakerTime(s: string): number {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d(?:\.\d+)?) ?(Z|[+-]\d\d:?\d\d)?$/.exec(s.trim());
  if (!m) return Number.NaN;
  const zone = !m[3] || m[3] === 'Z' ? 'Z' : `${m[3].slice(0, 3)}:${m[3].slice(-2)}`;
  return Date.parse(`${m[1]}T${m[2]}${zone}`);
}

/** Completed fencing actions of a node (stonith_admin --history), oldest first. */
export function fenceHistory(node: string): { target: string; action: string; status: string; completed: string }[] {
  return [...sh('stonith_admin', ['--history', node, '--verbose', '--output-as=xml']).matchAll(/<fence_event ([^>]*)\/>/g)].map((m) => ({
    target: /target="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '',
    action: /action="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '', status: /status="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '',
    completed: /completed="([^"]*)"/.exec(m[1] ?? '')?.[1] ?? '',
  }));
}

/** Every node's successful off or reboot that completed at or after `since`: completion times (ms) by node, from one stonith_admin. */
export function powerFencingsSince(since: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of fenceHistory('*')) {
    const completed = pacemakerTime(e.completed);
    if (e.status === 'success' && ['off', 'reboot'].includes(e.action) && completed >= since - 1000) out.set(e.target, [...out.get(e.target) ?? [], completed]);
  }
  return out;
}

/**
 * The safety rule checked from outside, on the cloud's and Pacemaker's own clocks: every
 * evacuation away from one of `hosts` since `since` came after a successful off or reboot of that
 * host completed after `since`. Pacemaker prints whole seconds, so a completion in the
 * evacuation's own second counts. Returns each evacuation that broke the rule.
 */
export function evacuatedBeforeFenced(hosts: readonly string[], since: number, state = simState()): string[] {
  return evacuationsBeforeFencing(state.servers, hosts, since, powerFencingsSince(since));
}

/** evacuatedBeforeFenced on given facts: `fenced` holds each node's completed power fencings (ms). */
export function evacuationsBeforeFencing(servers: SimState['servers'], hosts: readonly string[], since: number, fenced: ReadonlyMap<string, number[]>): string[] {
  return servers.flatMap((s) => s.evacuatedFrom.flatMap((from, i) => {
    if (!from || !hosts.includes(from)) return [];
    const at = s.evacuatedAt[i] ?? Number.NaN;
    if (Number.isNaN(at)) return [`${s.name}: an evacuation from ${from} without a readable time`];
    if (at < Math.floor(since / 1000) * 1000) return []; // before this run (Nova's times are whole seconds)
    const proof = (fenced.get(from) ?? []).filter((t) => t >= since - 1000 && t <= at);
    return proof.length ? [] : [`${s.name} evacuated from ${from} at ${new Date(at).toISOString()}, no completed fencing of ${from} since ${new Date(since).toISOString()} by then (${(fenced.get(from) ?? []).map((t) => new Date(t).toISOString()).join(', ') || 'none'})`];
  }));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A scenario's clock: steps in seconds from its start, narrated; until() fails the scenario at its deadline. */
export function clock(name: string, say: (line: string) => void, timeoutMs: number) {
  const t0 = Date.now();
  const steps: Record<string, number> = {};
  const mark = (step: string, line: string) => { steps[step] = (Date.now() - t0) / 1000; say(`[${steps[step]!.toFixed(1).padStart(6)} s] ${line}`); };
  /** Waits for cond; `withinMs` bounds this step alone (from its call). */
  const until = async (step: string, line: string, cond: () => boolean, withinMs = Infinity) => {
    const deadline = Math.min(t0 + timeoutMs, Date.now() + withinMs);
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`${name}: timed out waiting for: ${line}`);
      await sleep(200);
    }
    mark(step, line);
  };
  return { t0, steps, mark, until };
}

// The cloud process of the testbed (sim-server.ts or real-nova-bridge.ts).
export interface SimState {
  /** When the data was read (ms since the epoch). */
  time: number;
  /** Requests the simulator received so far, by kind (not from the real cloud's bridge). */
  calls?: Record<string, number>;
  services: { host: string; alive: boolean; forcedDown: boolean; disabled: boolean }[];
  servers: { id: string; name: string; host: string | null; status: string; taskState: string | null; evacuable: boolean; evacuations: number;
    /** Source host of each evacuation Nova recorded (failed ones left out), and when Nova created it (ms since the epoch). */
    evacuatedFrom: (string | null)[]; evacuatedAt: number[] }[];
}
export const simState = (): SimState => JSON.parse(readFileSync(join(STATE, 'sim-state.json'), 'utf8')) as SimState;
/** The cloud as read after `t`: the file is rewritten every ~0.5 s, later when crm_mon or Nova is slow, so right after a command it can still show the cloud before it. */
export async function freshSimState(t = Date.now(), timeoutMs = 30_000): Promise<SimState> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
    const s = simState();
    if (s.time >= t) return s;
    if (Date.now() > deadline) throw new Error(`sim-state.json not rewritten within ${timeoutMs / 1000} s (last at ${new Date(s.time).toISOString()})`);
  }
}
export const signalCloud = (signal: NodeJS.Signals) => process.kill((JSON.parse(readFileSync(join(STATE, 'sim.json'), 'utf8')) as { pid: number }).pid, signal);
/** Simulator only: delete servers by name, or a compute service and what is on it. */
export function simRequest(r: { op: 'delete-servers'; names: string[] } | { op: 'remove-compute'; host: string }): void {
  writeFileSync(join(STATE, 'sim-request.json'), JSON.stringify(r));
  signalCloud('SIGHUP');
}

/** The cluster's log files and their current ends, to read only what a scenario added. */
const LOGS = [CLUSTER_LOG, '/var/log/pacemaker/pacemaker.log'];
export const logOffsets = () => LOGS.map((f) => logSize(f));
export const clusterLog = (from: number[] = []) => LOGS.map((f, i) => logSince(from[i] ?? 0, f)).join('\n');

/**
 * Waits until the testbed is at rest: every remote node online, its nova-compute up, enabled and
 * not forced down, and no host owed anything (instance-ha status: done or no entry). A scenario's
 * recovery can outlast its test; the next one must not start under it (a Pacemaker restart, for
 * one, loses the fencing history that recovery needs, and NovaEvacuate rightly holds the host).
 */
export async function waitSettled(say: (line: string) => void, timeoutMs = 300_000): Promise<void> {
  const unsettled = () => {
    const xml = crmMon();
    const nodes = [...xml.matchAll(/<node name="([^"]+)"[^>]*type="remote"[^>]*>/g)].map((m) => m[0]);
    const services = simState().services;
    let owed: string[];
    try { owed = hostStates().filter((s) => s.phase !== 'done').map((s) => `${s.host}: ${s.phase}`); } catch (e) { owed = [`instance-ha status failed: ${(e as Error).message.split('\n')[0]}`]; }
    return [
      ...nodes.filter((n) => !/online="true"/.test(n)).map((n) => `${/name="([^"]+)"/.exec(n)?.[1]} offline`),
      ...nodes.map((n) => /name="([^"]+)"/.exec(n)?.[1] ?? '').map((h) => [h, services.find((s) => s.host === h)] as const)
        .filter(([, s]) => !s || !s.alive || s.forcedDown || s.disabled).map(([h, s]) => `${h}: nova-compute ${s ? JSON.stringify(s) : 'unknown'}`),
      ...owed,
    ];
  };
  const t0 = Date.now();
  let last = unsettled();
  if (last.length) say(`waiting for the testbed to settle: ${last.join('; ')}`);
  while (last.length) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`the testbed did not settle within ${timeoutMs / 1000} s: ${last.join('; ')}`);
    await sleep(1000);
    last = unsettled();
  }
  if (Date.now() - t0 > 1500) say(`the testbed settled after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
