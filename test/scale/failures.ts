import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { evacuateMark, HERE, hostStates, powerFencingsSince, run, simState, sleep } from '../e2e/cluster-ops.ts';

// k compute hosts of the scale testbed fail at the same moment (pacemaker-remoted killed, as in
// the e2e suite's scenario 1: the cluster loses the node, fences it by IPMI and fence_compute,
// NovaEvacuate evacuates it, the IPMI reboot brings it back, unfencing returns it). Each host's
// milestones are read from outside: the fencing history, the cloud's servers and services.

export const MILESTONES = ['fenced', 'first_evacuate', 'all_active_elsewhere', 'in_service'] as const;
export type Milestone = typeof MILESTONES[number];
export interface HostTimeline { host: string; instances: number; at: Partial<Record<Milestone, number>>; evacuations: number }

const execFileP = promisify(execFile);

/** Kills the hosts together and follows each until it is back in service with every instance ACTIVE elsewhere. */
export async function failTogether(hosts: string[], say: (line: string) => void, timeoutMs = 900_000): Promise<HostTimeline[]> {
  const before = simState();
  const lines = hosts.map((host) => ({ host, ids: before.servers.filter((s) => s.host === host && s.evacuable).map((s) => s.id), at: {} as HostTimeline['at'] }));
  const t0 = Date.now();
  await Promise.all(hosts.map((h) => execFileP('bash', [join(HERE, 'testbed.sh'), 'kill-remoted', h])));
  say(`${hosts.length} host(s) failed at once: ${hosts.join(' ')}`);
  const seconds = () => (Date.now() - t0) / 1000;
  let fenced = new Map<string, number[]>();
  let fencedReadAt = 0;
  while (lines.some((l) => l.at.in_service === undefined)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`not every host back within ${timeoutMs / 1000} s: ${JSON.stringify(lines.map((l) => [l.host, l.at]))}`);
    await sleep(1000);
    const now = simState();
    // pacemaker-fenced is the daemon a big cluster loads most: its history at most every 3 s
    if (lines.some((l) => l.at.fenced === undefined) && Date.now() - fencedReadAt >= 3000) { fenced = powerFencingsSince(t0); fencedReadAt = Date.now(); }
    for (const l of lines) {
      const mine = now.servers.filter((s) => l.ids.includes(s.id));
      const service = now.services.find((s) => s.host === l.host);
      const reached: Record<Milestone, boolean> = {
        fenced: false, // from the history's own completion time, below (read less often than the cloud)
        first_evacuate: mine.some((s) => s.evacuations > evacuationsBefore(before, s.id)),
        all_active_elsewhere: mine.length === l.ids.length && mine.every((s) => s.host !== l.host && s.status === 'ACTIVE'),
        in_service: l.at.all_active_elsewhere !== undefined && !!service?.alive && !service.forcedDown && !service.disabled,
      };
      for (const m of MILESTONES) if (reached[m] && l.at[m] === undefined) l.at[m] = seconds();
      const fencedAt = fenced.has(l.host) ? Math.min(...fenced.get(l.host)!) : undefined;
      if (fencedAt !== undefined && l.at.fenced === undefined) l.at.fenced = Math.max(0, (fencedAt - t0) / 1000);
    }
  }
  const after = simState();
  return lines.map((l) => ({ host: l.host, instances: l.ids.length, at: l.at,
    evacuations: l.ids.reduce((s, id) => s + (after.servers.find((x) => x.id === id)?.evacuations ?? 0) - evacuationsBefore(before, id), 0) }));
}

/**
 * Kills the hosts with evacuation paused (instance-ha pause) until every one is marked, then
 * resumes: the guard judges them all at once. Failing one after another as the cluster detects
 * and fences them, the first hosts may be evacuated before enough are down for the guard to
 * hold (docs/operations.md, "A mass failure"). Returns once every host is held by the guard, with
 * the promise that follows them to the end (after someone lets them go).
 */
export async function failHeld(hosts: string[], say: (line: string) => void): Promise<{ following: Promise<HostTimeline[]> }> {
  run('instance-ha', ['pause', '--reason', 'scale test: a mass failure judged at once']);
  let following: Promise<HostTimeline[]> | undefined;
  try {
    following = failTogether(hosts, say, 3_600_000);
    following.catch(() => {});
    for (const t0 = Date.now(); hosts.some((h) => evacuateMark(h) !== 'yes'); await sleep(1000)) {
      if (Date.now() - t0 > 300_000) throw new Error(`not marked within 300 s: ${hosts.filter((h) => evacuateMark(h) !== 'yes').join(' ')}`);
    }
  } finally {
    run('instance-ha', ['resume']);
  }
  const held = () => { const p = hostStates(); return hosts.map((h) => `${h} ${p.find((s) => s.host === h)?.phase ?? '?'}`); };
  for (const t0 = Date.now(); held().some((p) => !p.endsWith(' blocked')); await sleep(1000)) {
    if (Date.now() - t0 > 120_000) throw new Error(`not every host held by the guard within 120 s of the resume: ${held().join(', ')}`);
  }
  say(`every one of ${hosts.length} host(s) held by the guard`);
  return { following };
}

/**
 * Each instance's evacuations between two readings, by source host. With hosts lost together an
 * instance can land on a host the cluster has not yet seen fail and be evacuated again from
 * there; what must never happen is two evacuations from the same host, or one from a host that did not fail.
 */
export function evacuationsBetween(before: ReturnType<typeof simState>, after: ReturnType<typeof simState>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of after.servers) {
    const earlier = before.servers.find((x) => x.id === s.id)?.evacuatedFrom.length ?? 0;
    const sources = s.evacuatedFrom.slice(earlier).map((h) => h ?? '?');
    if (sources.length) out.set(s.id, sources);
  }
  return out;
}

/** 60 % of the cluster's computes, and more than half of every compute Nova counts (the simulator's spares too): the guard holds at its default 50 %. */
export const massFailureSize = (n: number) => Math.max(Math.ceil(n * 0.6), Math.floor(simState().services.length / 2) + 1);

const evacuationsBefore = (s: ReturnType<typeof simState>, id: string) => s.servers.find((x) => x.id === id)?.evacuations ?? 0;

/** Median and slowest host per milestone, seconds from the failure. */
export function summarise(t: HostTimeline[]): Record<Milestone, { median: number; max: number }> {
  return Object.fromEntries(MILESTONES.map((m) => {
    const v = t.map((h) => h.at[m] ?? Number.NaN).sort((a, b) => a - b);
    return [m, { median: v[Math.floor((v.length - 1) / 2)] ?? Number.NaN, max: v[v.length - 1] ?? Number.NaN }];
  })) as Record<Milestone, { median: number; max: number }>;
}
