import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bootEvacuable, runScenario1 } from './scenario1.ts';

// Scenarios 1 and 4 on the real Keystone + Nova (Zed, fake driver) of test/openstack-real:
// global-setup.ts brings the testbed up with IHA_E2E_OPENSTACK=real. What the scenarios read
// (sim-state.json) is Nova's own view, written by real-nova-bridge.ts: evacuated instances
// ACTIVE on another host, one evacuation migration each, the host's nova-compute up, enabled
// and not forced down at the end.

const log = (line: string) => console.log(line);

describe('end to end on a real Pacemaker cluster and a real Nova', () => {
  it('scenario 1 on real Nova: kill -9 pacemaker-remoted ⇒ fenced ⇒ evacuated ⇒ unfenced ⇒ back in service', async () => {
    const t = await runScenario1(log, 'compute-0', 420_000);
    console.log(`timeline (real Nova): ${JSON.stringify(t)}`);
    expect(t.forced_down).toBeLessThanOrEqual(t.first_evacuation!);
    expect(t.all_evacuated).toBeGreaterThan(t.first_evacuation!);
    expect(t.trigger_started).toBeLessThanOrEqual(t.nova_compute_started!);
  });

  it('scenario 4 on real Nova: the worker killed mid-evacuation; every instance evacuated exactly once', async () => {
    const workerPid = () => Number(/"pid":(\d+)/.exec(readFileSync('/run/resource-agents/NovaEvacuate-nova-evacuate.worker', 'utf8'))?.[1]);
    let killed = 0;
    await bootEvacuable('compute-0', 8); // enough in flight to kill the worker in the middle
    const t = await runScenario1(log, 'compute-0', 420_000, {
      onFirstEvacuation: () => { killed = workerPid(); process.kill(killed, 'SIGKILL'); log(`killed the evacuation worker (pid ${killed})`); },
    });
    console.log(`timeline (real Nova): ${JSON.stringify(t)}`);
    expect(killed).toBeGreaterThan(0);
    expect(workerPid()).not.toBe(killed);
  });
});
