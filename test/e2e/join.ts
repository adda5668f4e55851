// A fourth compute joins the running cluster: compute-3 gets its namespace, BMC, IPMI device,
// fencing level and a place in fence-nova's host list (testbed.sh add-node), then its
// pacemaker_remote connection. Nova has never heard of it. Before the trigger clone
// (requires=unfencing) may start there, Pacemaker unfences it: fence_compute `on` must succeed
// for a host Nova does not know (nothing was ever evacuated from it). Then nova-compute starts
// (ordered after the trigger) and registers its service, as a new compute does.
import { clock, fenceHistory, online, simRequest, simState, sleep, startedOn, testbed } from './cluster-ops.ts';

export const NEW_NODE = 'compute-3';

export interface JoinResult {
  steps: Record<string, number>;
  /** Whether Nova listed the host when its unfencing had succeeded. */
  knownAtUnfencing: boolean;
}

export async function joinNode(say: (line: string) => void, host = NEW_NODE, timeoutMs = 180_000): Promise<JoinResult> {
  if (simState().services.some((s) => s.host === host)) throw new Error(`Nova already lists ${host}: nothing new joins`);
  const c = clock('join', say, timeoutMs);
  testbed('add-node', host);
  c.mark('added', `${host} added: host and BMC up, IPMI device and fencing level configured, then its remote connection`);
  await c.until('online', `${host} joined the cluster (pacemaker_remote)`, () => online(host));
  await c.until('unfenced', `Pacemaker unfenced ${host}: fence_compute on succeeded`,
    () => fenceHistory(host).some((e) => e.action === 'on' && e.status === 'success'));
  const knownAtUnfencing = simState().services.some((s) => s.host === host);
  say(`Nova ${knownAtUnfencing ? 'already listed' : 'did not list'} ${host} when it was unfenced`);
  await c.until('trigger_started', `compute-unfence-trigger started on ${host}`, () => startedOn('compute-unfence-trigger', host));
  await c.until('nova_compute_started', `nova-compute started on ${host} (ordered after the trigger)`, () => startedOn('nova-compute', host));
  await c.until('registered', `Nova lists ${host}'s nova-compute: up, enabled, not forced down`,
    () => simState().services.some((s) => s.host === host && s.alive && !s.forcedDown && !s.disabled));
  return { steps: c.steps, knownAtUnfencing };
}

/** Takes the node out of the cluster and its service (and whatever runs there) out of Nova. */
export async function removeNode(host = NEW_NODE): Promise<void> {
  testbed('remove-node', host);
  simRequest({ op: 'remove-compute', host });
  for (let i = 0; i < 20 && simState().services.some((s) => s.host === host); i++) await sleep(500);
}
