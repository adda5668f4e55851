// NOT IN THE SUITE (the file name is not *.e2e.ts): the rolling-upgrade scenario of issue 15,
// written and run once, failing. Our fence_compute marks, the reference NovaEvacuate evacuates
// and writes evacuate=no; but Pacemaker wipes the remote node's transient attributes when it
// rejoins, so unfencing finds no mark over our ledger's open entry and waits (the ledger keeps
// it out, as designed for our own worker). The fix is open: see the session-4 closing note.
// To run it: rename to rolling-upgrade.e2e.ts.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakIfAsked, isBroken } from './breaks.ts';
import { controller, sh, simState, sleep, STATE } from './cluster-ops.ts';
import { runScenario1 } from './scenario1.ts';
import { useReferenceNovaEvacuate, watchMark } from './upgrade.ts';

const log = (line: string) => console.log(line);
const ledgerOf = (host: string) => (JSON.parse(sh('instance-ha', ['status', '--json']) || '[]') as { host: string; ledger?: string }[]).find((s) => s.host === host)?.ledger;
async function waitInService(host: string, timeoutMs: number): Promise<void> {
  for (const t0 = Date.now(); !simState().services.some((s) => s.host === host && s.alive && !s.forcedDown && !s.disabled); await sleep(1000)) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${host} not back in service within ${timeoutMs / 1000} s`);
  }
}

describe('end to end: rolling upgrade (issue 15, failing)', () => {
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
      expect(ledgerOf('compute-2') ?? 'none').not.toMatch(/pending|evacuating/);
    } finally {
      if (!seen.length) log(`evacuate mark of compute-2 over the scenario: ${marks.stop().join(' → ')}`);
      rmSync(join(STATE, 'boot-delay-compute-2'), { force: true });
      // Left open, the entry keeps compute-2 out (and its unfencing retried) for the next scenarios:
      // the operator's way out, as docs/operations.md says (its instances were evacuated).
      if (/pending|evacuating/.test(ledgerOf('compute-2') ?? '')) log(sh('instance-ha', ['release', 'compute-2']).trim());
      await undo();
      await waitInService('compute-2', 180_000).catch((e: unknown) => log((e as Error).message));
    }
  });

});
