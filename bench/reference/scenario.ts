// The evacuation benchmark's cloud: one failed compute (crashed, forced down and disabled, as
// fence_compute leaves it) holding N instances, several healthy computes, and a realistic
// Instance-HA tagging (one flavor with extra spec evacuable=true, one image tagged evacuable, a
// few untagged ones). Every instance uses the tagged flavor, so all N are to be evacuated by
// the reference rule and by ours alike.
import { startSimulator } from '../../test/simulator/index.ts';
import type { Simulator } from '../../test/simulator/index.ts';

export interface ScenarioOptions {
  n: number;
  /** Added to every simulator response (default 200 ms). */
  latencyMs?: number;
  /** How long an accepted evacuation takes to land elsewhere (default 2000 ms). */
  rebuildMs?: number;
  /** Healthy computes (default 4). */
  healthyHosts?: number;
  /** Untagged extra flavors and images (default 3 each). */
  untagged?: number;
}

export interface Scenario {
  sim: Simulator;
  /** The failed Nova host. */
  host: string;
  serverIds: string[];
}

export const FAILED_HOST = 'compute-0';

export async function startScenario(opts: ScenarioOptions): Promise<Scenario> {
  const sim = await startSimulator({ latencyMs: 0, rebuildMs: opts.rebuildMs ?? 2000 });
  const m = sim.model;
  m.addCompute(FAILED_HOST);
  for (let i = 1; i <= (opts.healthyHosts ?? 4); i++) m.addCompute(`compute-${i}`);
  const flavor = m.addFlavor({ id: '10', name: 'm1.ha', vcpus: 1, ram: 512, disk: 1, extraSpecs: { evacuable: 'true' } });
  const image = m.addImage({ name: 'cirros-ha', tags: ['evacuable'] });
  for (let i = 0; i < (opts.untagged ?? 3); i++) {
    m.addFlavor({ id: String(20 + i), name: `m1.plain-${i}` });
    m.addImage({ name: `plain-${i}` });
  }
  const serverIds: string[] = [];
  for (let i = 0; i < opts.n; i++) {
    serverIds.push(m.addServer({ host: FAILED_HOST, name: `vm-${i}`, flavor, image }).id);
  }
  m.crash(FAILED_HOST);
  m.forceDown(FAILED_HOST);
  m.disable(FAILED_HOST, 'instance-ha: fenced');
  // Latency only once the model is built (building does not go over HTTP, but keep it explicit).
  sim.settings.latencyMs = opts.latencyMs ?? 200;
  return { sim, host: FAILED_HOST, serverIds };
}
