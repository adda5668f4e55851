import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractProblems } from './live/classify.ts';
import { compareTargets, pairedCalls, type Recorded } from './live/compare.ts';
import { LIVE_MIGRATION_STEPS } from './live/live-migration.ts';
import { openContext, STEPS as HOST_FAILURE_STEPS, type Ctx } from './live/scenario.ts';
import { realTarget, simulatorTarget, type LiveTarget } from './live/targets.ts';

// The agents' field contract, LIVE: every call the agents make, through their own clients,
// against the simulator and against a real Keystone + Nova + Glance (Zed, test/openstack-real,
// started by the global setup of vitest.openstack.config.ts). Each answer must carry the fields
// the agents read (agent-fields.ts); the simulator's must look like the real ones; and a
// simulator with a deliberate fidelity break must fail the same checks.

// the host failure (fence, evacuate, unfence), then planned maintenance (live migration)
const STEPS = [...HOST_FAILURE_STEPS, ...LIVE_MIGRATION_STEPS];
const TARGETS: Record<string, () => Promise<LiveTarget>> = { simulator: () => simulatorTarget(), real: realTarget };
const chosen = (process.env.IHA_OPENSTACK_TARGETS ?? 'simulator,real').split(',');
const recorded = new Map<string, Map<string, Recorded>>(); // target -> step -> answers

for (const name of chosen) {
  describe(`live contract: ${name}`, () => {
    let ctx: Ctx | undefined;
    beforeAll(async () => { ctx = await openContext(await TARGETS[name]!()); }, 120_000);
    afterAll(async () => {
      await ctx?.target.deleteServers(ctx.servers);
      await ctx?.target.stop();
    }, 120_000);
    for (const step of STEPS) {
      it(step.name, async () => {
        const c = ctx!;
        const mark = c.http.exchanges.length;
        try {
          await step.run(c);
        } finally {
          const exchanges = c.http.since(mark);
          recorded.set(name, (recorded.get(name) ?? new Map()).set(step.name, { exchanges, endpoints: c.endpoints }));
        }
        const exchanges = c.http.since(mark);
        expect(exchanges.length).toBeGreaterThan(0);
        expect(contractProblems(exchanges, c.endpoints)).toEqual([]);
      }, step.timeoutMs ?? 60_000);
    }
  });
}

describe.runIf(chosen.includes('simulator') && chosen.includes('real'))('the simulator answers like the real Nova', () => {
  const both = (step: string) => [recorded.get('real')?.get(step), recorded.get('simulator')?.get(step)] as const;
  afterAll(() => {
    const all = STEPS.flatMap((s) => { const [r, m] = both(s.name); return r && m ? compareTargets(r, m, true) : []; });
    console.log(all.length ? `beyond the agents' fields, the simulator's answers differ in:\n  ${[...new Set(all)].join('\n  ')}`
      : 'the simulator\'s answers have the real ones\' shape in every field, not only the agents\'');
  });
  for (const step of STEPS) {
    it(step.name, () => {
      const [real, sim] = both(step.name);
      expect(real && sim, 'both targets ran this step').toBeTruthy();
      expect(pairedCalls(real!, sim!).length).toBeGreaterThan(0);
      expect(compareTargets(real!, sim!)).toEqual([]);
    });
  }
});

describe('a deliberate fidelity break fails the live contract', () => {
  // The simulator renames one field the agents read; the same steps and the same checks run.
  it.each([
    ['forced_down', 'forced-down', 'forced_down: missing'],
    ['OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:hostname', 'OS-EXT-SRV-ATTR:host: missing'],
    ['tags', 'labels', 'tags: missing'],
  ])('simulator renaming %s to %s', async (from, to, problem) => {
    const ctx = await openContext(await simulatorTarget({ renameFields: { [from]: to } }, `simulator without ${from}`));
    try {
      for (const step of STEPS) await step.run(ctx).catch(() => undefined); // the agents' own reading may fail too
      expect(contractProblems(ctx.http.exchanges, ctx.endpoints).join('\n')).toContain(problem);
    } finally {
      await ctx.target.stop();
    }
  }, 120_000);
});
