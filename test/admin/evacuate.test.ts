import { afterEach, describe, expect, it } from 'vitest';
import { attrd, expectEachEvacuatedOnce, ledger, startBench, until, type Bench } from '../helpers/evacuation/harness.ts';
import { runAgent } from '../helpers/run.ts';
import { Ledger } from '../../lib/pacemaker/ledger.ts';

// instance-ha evacuate HOST --host-is-off: the built command (its Nova credentials from OS_*,
// as an operator's shell has them) against the simulator, and a worker in this process with
// require_fencing=1 and a fencing history that never shows the host fenced (its BMC died with it).

let b: Bench | undefined;
afterEach(async () => { await b?.stop(); b = undefined; });

const nova = (bench: Bench) => ({ OS_AUTH_URL: bench.sim.authUrl, OS_USERNAME: 'admin', OS_PASSWORD: 'admin-pw', OS_PROJECT_NAME: 'admin', OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default', OS_INTERFACE: 'public', PATH: process.env.PATH ?? '' });
const serviceWrites = (bench: Bench) => bench.sim.calls.all.filter((c) => c.method === 'PUT' && c.path.includes('/os-services'));
const evacuateCalls = (bench: Bench) => bench.sim.calls.filter('POST', /\/servers\/[^/]+\/action$/);

describe('instance-ha evacuate --host-is-off', () => {
  it('a host that cannot be fenced, confirmed off: forced down, marked, and evacuated with no fencing history while require_fencing=1', async () => {
    b = await startBench({ config: { requireFencing: true }, fencing: async () => [] });
    const [dead] = b.hosts as [string];
    const ids = Array.from({ length: 4 }, () => b!.sim.model.addServer({ host: dead }).id);
    b.sim.model.crash(dead); // off: nova-compute stopped reporting, nothing forced it down
    const r = await runAgent('instance-ha', ['evacuate', dead, '--host-is-off', '--reason', 'BMC dead, checked at the rack'], { env: nova(b) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${dead}: confirmed off by \\S+ on \\S+ \\(BMC dead, checked at the rack\\); forced down and disabled in Nova, marked for evacuation`));
    const c = b.sim.model.compute(dead);
    expect([c.forcedDown, c.disabled, c.disabledReason]).toEqual([true, true, expect.stringMatching(/^instance-ha: host-is-off confirmed by /)]);
    expect((await ledger.read()).confirmedOff.get(dead)).toMatchObject({ by: expect.stringMatching(/ on /), reason: 'BMC dead, checked at the rack' });
    await b.waitDone(dead);
    expectEachEvacuatedOnce(b, dead, ids);
    const proof = b.events().find((e) => e.event === 'host-confirmed-off' && e.host === dead);
    expect(proof?.reason).toMatch(/^no fencing: \S+ on \S+ confirmed the host off at .*\(instance-ha evacuate --host-is-off\)/);
    expect(b.logLines().some((l) => l.includes(`WARNING: host-confirmed-off ${dead}: no fencing:`))).toBe(true);
    expect(await attrd.query('evacuate', dead)).toBe('no');
  });

  it('the mark comes before the ledger, the ledger records who said so; an open entry keeps its mark time', async () => {
    b = await startBench({ config: { requireFencing: true, pollMs: 60_000 }, fencing: async () => [] });
    const [dead] = b.hosts as [string];
    b.sim.model.addServer({ host: dead });
    b.sim.model.crash(dead);
    const since = Math.floor(Date.now() / 1000) - 120;
    await ledger.set({ host: dead, phase: 'pending', since }); // fenced by hand, no proof: held at the gate
    const r = await runAgent('instance-ha', ['evacuate', dead, '--host-is-off'], { env: nova(b) });
    expect(r.code, r.stderr).toBe(0);
    expect(await ledger.get(dead)).toEqual({ host: dead, phase: 'pending', since, by: expect.stringMatching(/^host-is-off:\S+ on \S+$/) });
    expect(await attrd.query('evacuate', dead)).toBe('yes');
  });

  it('without --host-is-off: refused with one line (exit 2), nothing asked of Nova, nothing marked, nothing evacuated', async () => {
    b = await startBench({ config: { requireFencing: true }, fencing: async () => [] });
    const [dead] = b.hosts as [string];
    b.sim.model.addServer({ host: dead });
    b.sim.model.crash(dead);
    // The worker's own login first, so that only the command's calls come after `before`.
    for (const end = Date.now() + 10_000; !b.sim.calls.all.some((c) => c.path.includes('/auth/tokens')) && Date.now() < end;) await new Promise((res) => setTimeout(res, 50));
    const before = b.sim.calls.all.length;
    const r = await runAgent('instance-ha', ['evacuate', dead], { env: nova(b) });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^instance-ha: refusing to evacuate ${dead} without proof that it is off: .*instance-ha evacuate ${dead} --host-is-off$`))]);
    // The worker in this test reads Nova meanwhile; the command never authenticated nor wrote anything.
    expect(b.sim.calls.all.slice(before).filter((c) => c.path.includes('/auth/tokens') || c.method !== 'GET')).toEqual([]);
    await new Promise((res) => setTimeout(res, 1500));
    expect(await attrd.query('evacuate', dead)).toBeUndefined();
    expect(await ledger.get(dead)).toBeUndefined();
    expect((await ledger.read()).confirmedOff.has(dead)).toBe(false);
    expect(b.sim.model.compute(dead).forcedDown).toBe(false);
    expect(evacuateCalls(b)).toHaveLength(0);
  });

  it('a host Nova shows up is refused (exit 5): a typo or a host that is not off; nothing changes', async () => {
    b = await startBench();
    const [alive] = b.hosts as [string];
    const r = await runAgent('instance-ha', ['evacuate', alive, '--host-is-off'], { env: nova(b) });
    expect(r.code).toBe(5);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^instance-ha: ${alive}: Nova shows its nova-compute up`))]);
    expect(serviceWrites(b)).toHaveLength(0);
    expect((await new Ledger().read()).confirmedOff.has(alive)).toBe(false);
    expect(await attrd.query('evacuate', alive)).toBeUndefined();
  });

  it('an unknown host: exit 1, one line', async () => {
    b = await startBench();
    const r = await runAgent('instance-ha', ['evacuate', 'no-such-host', '--host-is-off'], { env: nova(b) });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual(['instance-ha: Nova has no nova-compute service for no-such-host']);
  });

  it("a confirmation from before the host's mark is not proof for it (an earlier incident's word)", async () => {
    b = await startBench({ config: { requireFencing: true }, fencing: async () => [] });
    const [dead] = b.hosts as [string];
    b.sim.model.addServer({ host: dead });
    await ledger.confirmOff(dead, { since: Math.floor(Date.now() / 1000) - 3600, by: 'someone on ctl' });
    await b.fail(dead);
    await until('the host held at the gate', () => b!.events().some((e) => e.event === 'host-unsafe' && e.host === dead));
    await new Promise((res) => setTimeout(res, 1000));
    expect(evacuateCalls(b)).toHaveLength(0);
    expect(b.events().find((e) => e.event === 'host-unsafe' && e.host === dead)?.reason).toContain(`instance-ha evacuate ${dead} --host-is-off`);
  });
});
