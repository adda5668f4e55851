import { describe, expect, it } from 'vitest';
import { evacuationsBeforeFencing, type SimState } from './cluster-ops.ts';

// The safety rule as the e2e and scale suites check it from outside: each evacuation away from a
// failed host needs a completed power fencing of that host, after the failure and by then.

const T = Date.parse('2026-12-07T02:34:00Z');
const server = (from: string | null, at: number): SimState['servers'][number] =>
  ({ id: 'i', name: 'vm-1', host: 'compute-9', status: 'ACTIVE', taskState: null, evacuable: true, evacuations: 1, evacuatedFrom: [from], evacuatedAt: [at] });

describe('evacuations before fencing', () => {
  it('an evacuation after its host\'s fencing completed (or in the same whole second Pacemaker prints) passes', () => {
    expect(evacuationsBeforeFencing([server('compute-2', T + 5_000)], ['compute-2'], T, new Map([['compute-2', [T + 4_000]]]))).toEqual([]);
    expect(evacuationsBeforeFencing([server('compute-2', T + 4_300)], ['compute-2'], T, new Map([['compute-2', [T + 4_000]]]))).toEqual([]);
  });
  it('one before the fencing completed, or with no fencing of this incident, is reported', () => {
    expect(evacuationsBeforeFencing([server('compute-2', T + 3_000)], ['compute-2'], T, new Map([['compute-2', [T + 4_000]]]))).toHaveLength(1);
    expect(evacuationsBeforeFencing([server('compute-2', T + 3_000)], ['compute-2'], T, new Map([['compute-3', [T + 1_000]]]))).toHaveLength(1);
  });
  it('an evacuation whose time cannot be read is reported, not skipped', () => {
    expect(evacuationsBeforeFencing([server('compute-2', Number.NaN)], ['compute-2'], T, new Map([['compute-2', [T + 4_000]]]))).toHaveLength(1);
  });
  it('evacuations from hosts that did not fail in this run, or before it, are not this check\'s', () => {
    expect(evacuationsBeforeFencing([server('compute-5', T + 3_000), server('compute-2', T - 60_000), server(null, T + 1)], ['compute-2'], T, new Map())).toEqual([]);
  });
});
