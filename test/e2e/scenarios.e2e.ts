import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runScenario1 } from './scenario1.ts';

/** One level per compute: its IPMI device, then fence_compute (unless overridden). */
function setTopology(override: Record<string, string>): void {
  const levels = ['compute-0', 'compute-1', 'compute-2'].map((c) =>
    `<fencing-level id="fl-${c}-1" target="${c}" index="1" devices="${override[c] ?? `ipmi-${c},fence-nova`}"/>`);
  execFileSync('cibadmin', ['--replace', '--scope', 'fencing-topology', '--xml-text', `<fencing-topology>${levels.join('')}</fencing-topology>`]);
}

// The scenarios on the real testbed (global-setup.ts brings it up). Timeline in seconds from
// the failure, from the cluster's own view, NovaEvacuate's JSON events and Nova's state.

describe('end to end on a real Pacemaker cluster', () => {
  it('scenario 1: kill -9 pacemaker-remoted ⇒ fenced ⇒ evacuated ⇒ unfenced ⇒ back in service', async () => {
    const t = await runScenario1((line) => console.log(line));
    console.log(`timeline: ${JSON.stringify(t)}`);
    expect(t.fenced).toBeLessThanOrEqual(t.forced_down!);
    expect(t.forced_down).toBeLessThanOrEqual(t.first_evacuation!);
    expect(t.first_evacuation! - t.fenced!).toBeLessThan(5);
    expect(t.all_evacuated).toBeLessThanOrEqual(t.node_online!);
    expect(t.node_online).toBeLessThanOrEqual(t.trigger_started!);
    expect(t.trigger_started).toBeLessThanOrEqual(t.nova_compute_started!);
    expect(t.in_service).toBeLessThan(120);
  });

  it('the suite can fail: with fence_compute left out of the fencing level, scenario 1 does not pass', async () => {
    // Break the wiring the scenario checks: compute-1 is fenced by IPMI alone.
    setTopology({ 'compute-1': 'ipmi-compute-1' });
    try {
      await expect(runScenario1(() => {}, 'compute-1', 60_000)).rejects.toThrow(/timed out waiting for: Nova shows nova-compute on compute-1 forced down/);
    } finally {
      setTopology({});
    }
  });
});
