import { beforeAll, describe, expect, it } from 'vitest';
import { breakIfAsked } from './breaks.ts';
import { freshSimState, waitSettled } from './cluster-ops.ts';
import { runMaintenance } from './maintenance.ts';

// Issue 17 ("the operator's tool") on the testbed: planned maintenance of a compute host with
// `instance-ha`, the host powered off at its BMC in between (maintenance.ts says how).

const log = (line: string) => console.log(line);
const HOST = 'compute-1';

describe('end to end: the operator\'s tool (issue 17)', () => {
  beforeAll(() => waitSettled(log));
  it('planned maintenance: drained by live migration, powered off without being fenced or evacuated, powered on, instances returned', async () => {
    breakIfAsked('maintenance', HOST, log);
    const r = await runMaintenance(log, HOST);
    console.log(`timeline: ${JSON.stringify(r.steps)}`);
    expect(r.startExit).toBe(0);
    expect(r.instances.length).toBeGreaterThanOrEqual(3);
    // Every instance was elsewhere while the host was off …
    expect(Object.values(r.awayOn).filter((h) => h === HOST)).toEqual([]);
    // … and the host's power-off was no failure: held in maintenance, not marked, not forced down, not fenced.
    expect(r.phaseWhileOff).toBe('maintenance');
    expect(r.markWhileOff || 'none').not.toMatch(/^(yes|.*@\d+)$/);
    expect(r.serviceWhileOff).toMatchObject({ disabled: true, forcedDown: false });
    expect(r.fencings.filter((f) => f.action === 'off' || f.action === 'reboot')).toEqual([]);
    // Back: every instance that left is ACTIVE on the host again.
    expect(r.endExit).toBe(0);
    const now = await freshSimState();
    expect(r.instances.map((id) => now.servers.find((s) => s.id === id)).map((s) => `${s?.host} ${s?.status}`))
      .toEqual(r.instances.map(() => `${HOST} ACTIVE`));
  });
});
