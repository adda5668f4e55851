import { execFileSync } from 'node:child_process';
import { BREAKS, breakIfAsked } from './breaks.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootEvacuable, runScenario1, STATE } from './scenario1.ts';
import { startSecretSampler, type SamplerResult } from './secret-sampler.ts';
import { clusterLog, logOffsets, waitSettled } from './cluster-ops.ts';

// The scenarios on the real testbed (global-setup.ts brings it up). Timeline in seconds from
// the failure, from the cluster's own view, NovaEvacuate's JSON events and Nova's state.

const log = (line: string) => console.log(line);
/** Runs a scenario with its break applied when IHA_E2E_BREAK names it. */
async function scenario<T>(name: string, host: string, body: () => Promise<T>): Promise<T> {
  const undo = breakIfAsked(name, host, log);
  try { return await body(); } finally { undo(); }
}

// The testbed's secrets (testbed.sh): the OpenStack password the agents are configured with.
const SECRETS = ['admin-pw'];

describe('end to end on a real Pacemaker cluster', () => {
  let sampler: ReturnType<typeof startSecretSampler>;
  let sampled: SamplerResult | undefined;
  let logStart: number[] = [];
  beforeAll(() => { sampler = startSecretSampler(SECRETS); logStart = logOffsets(); });
  afterAll(() => { sampled ??= sampler.stop(); });

  it('scenario 1: kill -9 pacemaker-remoted ⇒ fenced ⇒ evacuated ⇒ unfenced ⇒ back in service', async () => {
    const t = await scenario('1', 'compute-0', () => runScenario1(log));
    console.log(`timeline: ${JSON.stringify(t)}`);
    expect(t.fenced).toBeLessThanOrEqual(t.forced_down!);
    expect(t.forced_down).toBeLessThanOrEqual(t.first_evacuation!);
    expect(t.first_evacuation! - t.fenced!).toBeLessThan(5);
    expect(t.all_evacuated).toBeLessThanOrEqual(t.node_online!);
    expect(t.node_online).toBeLessThanOrEqual(t.trigger_started!);
    expect(t.trigger_started).toBeLessThanOrEqual(t.nova_compute_started!);
    expect(t.in_service).toBeLessThan(120);
  });

  it('scenario 2: a silent crash (link down, processes frozen) is found by the monitor; same outcome', async () => {
    const t = await scenario('2', 'compute-1', () => runScenario1(log, 'compute-1', 300_000, { failure: 'freeze' }));
    console.log(`timeline: ${JSON.stringify(t)}`);
    // Nothing closed a connection: only the remote resource's monitor (5 s, timeout 15 s) can notice.
    expect(t.node_lost).toBeGreaterThan(3);
    expect(t.first_evacuation! - t.fenced!).toBeLessThan(5);
    expect(t.trigger_started).toBeLessThanOrEqual(t.nova_compute_started!);
  });

  it('scenario 3a: two hosts fail at once: both fenced, evacuated and back in service', async () => {
    const [a, b] = await Promise.all([
      runScenario1((line) => console.log(`compute-1 ${line}`), 'compute-1'),
      runScenario1((line) => console.log(`compute-2 ${line}`), 'compute-2'),
    ]);
    // Pacemaker fences the two one after the other here; each evacuation starts at its fencing.
    for (const t of [a, b]) expect(t.first_evacuation! - t.fenced!).toBeLessThan(5);
  });

  it('scenario 4: the NovaEvacuate worker killed mid-evacuation; the cluster recovers it; every instance evacuated exactly once', async () => {
    const workerPid = () => Number(/"pid":(\d+)/.exec(readFileSync('/run/resource-agents/NovaEvacuate-nova-evacuate.worker', 'utf8'))?.[1]);
    let killed = 0;
    await bootEvacuable('compute-0', 8); // enough in flight to kill the worker in the middle
    const t = await scenario('4', 'compute-0', () => runScenario1(log, 'compute-0', 300_000, {
      onFirstEvacuation: () => { killed = workerPid(); process.kill(killed, 'SIGKILL'); console.log(`killed the evacuation worker (pid ${killed})`); },
    }));
    expect(killed).toBeGreaterThan(0);
    expect(workerPid()).not.toBe(killed);
    expect(t.in_service).toBeLessThan(180);
  });

  it('scenario 5: Nova unavailable for 20 s during fencing: the level fails, Pacemaker retries it, everything completes', async () => {
    const outageMs = 20_000;
    const t = await scenario('5', 'compute-2', () => runScenario1(log, 'compute-2', 300_000, { novaOutageMs: outageMs }));
    console.log(`timeline: ${JSON.stringify(t)}`);
    expect(t.fencing_failed).toBeLessThan(t.fenced!);
    // fence_compute off cannot succeed before Nova is back.
    expect(t.fenced).toBeGreaterThan(outageMs / 1000 - 1);
    expect(t.in_service).toBeLessThan(240);
  });

  it('the suite can fail: with fence_compute left out of the fencing level, scenario 1 does not pass', async () => {
    // Scenario 1's break: compute-2 is fenced by IPMI alone.
    const undo = BREAKS['1']!.apply('compute-2');
    try {
      await expect(runScenario1(() => {}, 'compute-2', 60_000)).rejects.toThrow(/timed out waiting for: Nova shows nova-compute on compute-2 forced down/);
    } finally {
      undo();
    }
  });
  it('scenario 3b: above the mass-failure threshold nothing is evacuated, and the cluster log says why', async () => {
    execFileSync('crm_resource', ['--resource', 'nova-evacuate', '--set-parameter', 'threshold', '--parameter-value', '10']);
    const undo = breakIfAsked('3b', 'compute-1', log);
    const logFrom = logOffsets();
    try {
      const before = readFileSync(join(STATE, 'sim-state.json'), 'utf8');
      const evacuations = (s: string) => (JSON.parse(s) as { servers: { evacuations: number }[] }).servers.reduce((n, x) => n + x.evacuations, 0);
      // One host of six down is 17 %: more than 10 %.
      await expect(runScenario1(() => {}, 'compute-1', 45_000)).rejects.toThrow(/timed out waiting for: NovaEvacuate sent the first evacuate/);
      expect(evacuations(readFileSync(join(STATE, 'sim-state.json'), 'utf8'))).toBe(evacuations(before));
      expect(clusterLog(logFrom)).toMatch(/NovaEvacuate .*host-blocked compute-1: mass failure: 1 of 6 compute services down \(17%, threshold 10%\)/);
    } finally {
      undo();
      // The override: with the threshold back, the marked host is evacuated, and comes back.
      execFileSync('crm_resource', ['--resource', 'nova-evacuate', '--set-parameter', 'threshold', '--parameter-value', '50']);
      await waitSettled(log);
    }
  });

  it('no secret in any argv or environment of our processes (sampled from /proc all along), nor in our log lines or events', () => {
    sampled = sampler.stop();
    console.log(`secret sampler: ${sampled.samples} samples, ${sampled.processesSeen} processes of ours`);
    expect(sampled.samples).toBeGreaterThan(100);
    expect(sampled.processesSeen).toBeGreaterThan(20);
    expect(sampled.hits).toEqual([]);
    // Pacemaker logs CIB changes (parameters included) itself; these are the lines our agents wrote.
    const ours = clusterLog(logStart).split('\n').filter((l) => /NovaEvacuate|fence_compute|compute-unfence-trigger/.test(l) && !/cib_perform_op|cib_process/.test(l));
    expect(ours.length).toBeGreaterThan(10);
    for (const secret of SECRETS) {
      expect(ours.filter((l) => l.includes(secret))).toEqual([]);
      expect(readFileSync(join(STATE, 'events.jsonl'), 'utf8')).not.toContain(secret);
    }
  });
});
