import { describe, expect, it } from 'vitest';
import { clearOrphanedReports } from '../../lib/evacuation/upkeep.ts';
import type { WorkerConfig, WorkerDeps } from '../../lib/evacuation/worker-config.ts';

// The blocked report's copy under a Pacemaker node name goes once the report under the Nova name
// is gone (released, done), even when the worker that wrote it was restarted in between.

function deps(reports: Record<string, string>, hosts: string[]) {
  const removed: string[] = [];
  const d = {
    attrd: { queryAll: async () => Object.entries(reports).map(([node, value]) => ({ node, value })), remove: async (_: string, o: { node: string }) => { removed.push(o.node); } },
    ledger: { all: async () => hosts.map((host) => ({ host, phase: 'done', since: 1, by: 'x' })) },
  } as unknown as WorkerDeps;
  return { d, removed };
}
const config = { dryRun: false, naming: { hostMap: 'compute-0:hv-0.example.com;compute-1:hv-1.example.com' } } as WorkerConfig;

describe('clearOrphanedReports', () => {
  it('drops a node-name copy whose Nova-name report is gone; keeps one still reported, and every Nova-name report', async () => {
    const { d, removed } = deps({ 'compute-0': 'mass failure', 'compute-1': 'mass failure', 'hv-1.example.com': 'mass failure', 'other': 'x' }, ['hv-0.example.com', 'hv-1.example.com']);
    await clearOrphanedReports(config, d);
    expect(removed).toEqual(['compute-0']);
  });
  it('without host_map or domain there is no copy, nothing to drop', async () => {
    const { d, removed } = deps({ 'hv-0': 'x' }, ['hv-0']);
    await clearOrphanedReports({ dryRun: false, naming: {} } as WorkerConfig, d);
    expect(removed).toEqual([]);
  });
});
