// Issue 15, rolling upgrade: a controller still runs the reference NovaEvacuate (upgrade.ts puts
// a stand-in with the reference's behaviour in place of ours) while fence_compute is already
// ours. Ours marks the host and opens its ledger entry; the reference claims the mark, evacuates
// and writes evacuate=no. Pacemaker wipes a remote node's transient attributes when it rejoins,
// so the `no` may be gone before unfencing looks: our `on` (and the trigger) record the accepted
// `no` in the ledger as done the first time they see it, and the host comes back.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { breakIfAsked, isBroken } from './breaks.ts';
import { controller, hostState, sh, simState, sleep, STATE, waitSettled } from './cluster-ops.ts';
import { runScenario1 } from './scenario1.ts';
import { useReferenceNovaEvacuate, watchMark } from './upgrade.ts';

const log = (line: string) => console.log(line);
async function waitInService(host: string, timeoutMs: number): Promise<void> {
  for (const t0 = Date.now(); !simState().services.some((s) => s.host === host && s.alive && !s.forcedDown && !s.disabled); await sleep(1000)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${host} not back in service within ${timeoutMs / 1000} s`);
  }
}

describe('end to end: rolling upgrade (issue 15)', () => {
  beforeAll(() => waitSettled(log));
  it('rolling upgrade: our fence_compute, the reference NovaEvacuate evacuates and writes evacuate=no; our on returns the host', async () => {
    breakIfAsked('upgrade', 'compute-2', log);
    const undo = await useReferenceNovaEvacuate({ skipDone: isBroken('upgrade') });
    const marks = watchMark('compute-2');
    let seen: string[] = [];
    try {
      // The host boots 30 s after its power-on, as real servers do (minutes): the reference has
      // finished long before it is back, so what unfencing finds is the reference's `no`.
      const t = await runScenario1(log, 'compute-2', 300_000, { otherEvacuator: true, bootDelayS: 30 });
      console.log(`timeline (reference NovaEvacuate): ${JSON.stringify(t)}`);
      seen = marks.stop();
      log(`evacuate mark of compute-2 over the scenario: ${seen.join(' → ')}`);
      // Ours marked it, the reference claimed it (<node>@<epoch>) and wrote no.
      expect(seen).toContain('yes');
      expect(seen.some((v) => v.startsWith(`${controller()}@`))).toBe(true);
      expect(seen).toContain('no');
      // The host's ledger entry is closed: our NovaEvacuate, back after the upgrade, must not evacuate it again.
      expect(hostState('compute-2')?.ledger ?? 'none').not.toMatch(/pending|evacuating/);
    } finally {
      if (!seen.length) log(`evacuate mark of compute-2 over the scenario: ${marks.stop().join(' → ')}`);
      rmSync(join(STATE, 'boot-delay-compute-2'), { force: true });
      // Left open, the entry keeps compute-2 out (and its unfencing retried) for the next scenarios:
      // the operator's way out, as docs/operations.md says (its instances were evacuated).
      if (/pending|evacuating/.test((() => { try { return hostState('compute-2')?.ledger ?? ''; } catch { return ''; } })())) log(sh('instance-ha', ['release', 'compute-2']).trim());
      await undo();
      await waitInService('compute-2', 180_000).catch((e: unknown) => log((e as Error).message));
    }
  });

});
