import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmMon, evacuatedBeforeFenced, hostStates, restartNovaEvacuate, simState, sleep, waitSettled } from '../e2e/cluster-ops.ts';
import { evacuationsBetween, failHeld, failTogether, massFailureSize } from './failures.ts';
import { scaleN } from './global-setup.ts';
import { Probe } from './probe.ts';

// Issue 16 on the scale testbed (N = IHA_SCALE_N pacemaker_remote computes, default 50): what
// holds at that size, asserted; what it costs is bench/scale.ts's job (docs/scale.md).

const N = scaleN();
const say = (line: string) => console.log(line);
const hosts = (first: number, n: number) => Array.from({ length: n }, (_, i) => `compute-${first + i}`);

/**
 * Every instance of a lost host ACTIVE on a host that was not lost; no instance evacuated twice
 * from one host, none from a host that did not fail, none before its host's fencing completed.
 */
function expectEvacuatedOncePerHost(before: ReturnType<typeof simState>, lost: string[]): void {
  const after = simState();
  expect(evacuatedBeforeFenced(lost, before.time, after)).toEqual([]);
  for (const s of before.servers.filter((x) => x.host && lost.includes(x.host) && x.evacuable)) {
    const now = after.servers.find((x) => x.id === s.id);
    expect({ id: s.id, host: now?.host && lost.includes(now.host) ? 'a lost host' : 'elsewhere', status: now?.status }).toEqual({ id: s.id, host: 'elsewhere', status: 'ACTIVE' });
  }
  for (const [id, sources] of evacuationsBetween(before, after)) {
    expect({ id, sources: [...new Set(sources)].sort() }).toEqual({ id, sources: [...sources].sort() });
    expect({ id, notLost: sources.filter((h) => !lost.includes(h)) }).toEqual({ id, notLost: [] });
  }
}

describe(`the scale testbed: ${N} compute nodes`, () => {
  let probe: Probe;
  beforeAll(async () => {
    await waitSettled(say, 600_000);
    probe = new Probe();
  });
  afterAll(() => probe?.stop());

  it(`every one of the ${N} computes is online in Pacemaker, its nova-compute up, enabled and not forced down`, () => {
    expect([...crmMon().matchAll(/<node name="compute-\d+"[^>]* online="true"[^>]* type="remote"/g)].length).toBe(N);
    const services = simState().services.filter((s) => /^compute-\d+$/.test(s.host));
    expect(services.filter((s) => s.alive && !s.disabled && !s.forcedDown).length).toBe(N);
  });

  it('at steady state nobody asks Keystone or Nova per node: the trigger monitors run and make no request', async () => {
    const a = await probe.read();
    await sleep(60_000);
    const w = probe.figures(a, await probe.read());
    say(`steady 60 s at N = ${N}: ${JSON.stringify(w.requests)}; our processes ${w.ourProcesses}, ${w.ourCpuSeconds.toFixed(1)} CPU-s`);
    // The trigger monitors alone run every 10 s on every node (≥ N × 3 here): one request each would show.
    expect(w.ourProcesses).toBeGreaterThanOrEqual(N);
    expect(w.keystoneLogins + w.novaRequests).toBeLessThan(N / 2);
  });

  it('10 hosts fail together: every evacuable instance evacuated exactly once, ACTIVE elsewhere, every host back in service', async () => {
    const lost = hosts(1, 10);
    const before = simState();
    const timelines = await failTogether(lost, say);
    say(JSON.stringify(timelines.map((t) => [t.host, t.at])));
    expectEvacuatedOncePerHost(before, lost);
    for (const t of timelines) {
      expect(t.instances).toBeGreaterThan(0);
      expect(t.evacuations).toBeGreaterThanOrEqual(t.instances);
      expect(Object.keys(t.at).sort()).toEqual(['all_active_elsewhere', 'fenced', 'first_evacuate', 'in_service']);
    }
    await waitSettled(say, 600_000);
  });

  it('60 % of the hosts lost at once: the guard holds every one of them (nothing evacuated) until the operator raises the threshold', async () => {
    const lost = hosts(1, massFailureSize(N));
    const before = simState();
    const { following } = await failHeld(lost, say);
    await sleep(20_000);
    const moved = simState().servers.filter((s) => s.evacuations > (before.servers.find((x) => x.id === s.id)?.evacuations ?? 0));
    expect(hostStates().filter((s) => lost.includes(s.host)).map((s) => s.phase)).toEqual(lost.map(() => 'blocked'));
    expect(moved).toEqual([]);
    const undo = await restartNovaEvacuate({ threshold: '100' });
    await following;
    await undo();
    expectEvacuatedOncePerHost(before, lost);
    await waitSettled(say, 900_000);
  });
});
