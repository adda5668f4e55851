import { afterEach, describe, expect, it } from 'vitest';
import { Attrd } from '../../lib/pacemaker/attrd.ts';
import { fencingHistory } from '../../lib/pacemaker/fencing.ts';
import { flakyBinary, type FlakyBinary } from '../helpers/flaky-binary.ts';
import type { FaultSpec } from '../simulator/index.ts';
import { acceptedEvacuations, attrd, expectEachEvacuatedOnce, ledger, startBench, until, type Bench, type BenchOptions } from '../helpers/evacuation/harness.ts';

// The fault matrix (docs/fault-matrix.md), worker side: each fault, then the promise — no
// instance lost, none evacuated twice (Nova's own migration records), one clear log line.

let b: Bench | undefined;
let tool: FlakyBinary | undefined;
afterEach(async () => {
  await b?.stop();
  b = undefined;
  tool?.remove();
  tool = undefined;
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const evacuatePosts = (bench: Bench) => bench.sim.calls.filter('POST', /\/servers\/[^/]+\/action$/);

/** A bench with one failed host carrying `n` instances (not yet marked). */
async function hostWith(n: number, opts: BenchOptions = {}): Promise<{ failed: string; ids: string[] }> {
  b = await startBench(opts);
  const failed = b.hosts[0]!;
  const ids = Array.from({ length: n }, () => b!.sim.model.addServer({ host: failed }).id);
  return { failed, ids };
}

/** Marks the host and waits for its evacuation to finish; then the promise holds. */
async function evacuatedOnce(failed: string, ids: string[], ms = 30_000): Promise<void> {
  await b!.waitDone(failed, ms);
  expectEachEvacuatedOnce(b!, failed, ids);
  // Written right after the ledger's done (a slow attrd_updater takes a moment).
  await until('evacuate=no', async () => (await attrd.query('evacuate', failed)) === 'no', 10_000);
}

/** Nova's side of fence_compute off only (the test writes the ledger and mark it wants). */
function fencedInNova(host: string): void {
  b!.sim.model.crash(host);
  b!.sim.model.forceDown(host);
  b!.sim.model.disable(host, 'instance-ha: fenced at test');
}

/** Forced down by someone else (no instance-ha reason): the worker's start-up reconciliation leaves it alone. */
function forcedDownElsewhere(host: string): void {
  b!.sim.model.crash(host);
  b!.sim.model.forceDown(host);
}

const logged = (re: RegExp) => b!.logLines().filter((l) => re.test(l));

describe('outages before the evacuation: nothing is evacuated meanwhile, one line says why, then it finishes', () => {
  // [row, fault rules (added before the mark; tokens expire so the worker must log in again), log line]
  const outages: [string, FaultSpec[], RegExp][] = [
    ['Keystone down (503)', [{ kind: 'status', status: 503, method: 'POST', path: /auth\/tokens/ }], /Keystone.*HTTP 503|HTTP 503.*Keystone/i],
    ['Keystone 401, then recovering', [{ kind: 'status', status: 401, method: 'POST', path: /auth\/tokens/ }], /authentication failed \(HTTP 401\)/],
    ['Nova 503 on every listing', [{ kind: 'status', status: 503, method: 'GET', path: /\/compute\// }], /Nova: .*HTTP 503/],
    ['Nova 500 on every listing', [{ kind: 'status', status: 500, method: 'GET', path: /\/compute\// }], /Nova: .*HTTP 500/],
    ['Glance down (503): unknown tags, so it waits', [{ kind: 'status', status: 503, path: /\/image\// }], /Glance: list images.*HTTP 503/],
  ];
  it.each(outages)('%s', async (_row, rules, line) => {
    const { failed, ids } = await hostWith(4);
    const added = rules.map((r) => b!.sim.faults.add(r));
    b!.sim.expireTokens();
    await b!.fail(failed);
    await pause(2500);
    expect(evacuatePosts(b!)).toHaveLength(0);
    expect(logged(line).length, b!.logLines().slice(-5).join('\n')).toBeGreaterThan(0);
    for (const r of added) await r.remove();
    await evacuatedOnce(failed, ids);
  });

  it('attrd_updater failing, then back', async () => {
    tool = flakyBinary('attrd_updater', 'exec attrd_updater "$@"');
    tool.failing(true);
    const { failed, ids } = await hostWith(4, { attrd: new Attrd({ binary: tool.path }) });
    await b!.fail(failed);
    await pause(2000);
    expect(evacuatePosts(b!)).toHaveLength(0);
    expect(logged(/WARNING: reading evacuation marks: attrd_updater: query evacuate on all nodes failed: attrd_updater: connection to the daemon failed/).length).toBeGreaterThan(0);
    tool.failing(false);
    await evacuatedOnce(failed, ids);
  });

  it('stonith_admin failing (require_fencing): not safe to evacuate until the history can be read', async () => {
    const history = (node: string) => `<pacemaker-result><fence_history><fence_event action="off" target="${node}" status="success" completed="${new Date().toISOString()}"/></fence_history><status code="0" message="OK"/></pacemaker-result>`;
    tool = flakyBinary('stonith_admin', `echo '${history('NODE')}' | sed "s/NODE/$2/"`);
    tool.failing(true);
    const t = tool;
    const { failed, ids } = await hostWith(4, { config: { requireFencing: true }, fencing: (node) => fencingHistory(node, 5000, t.path) });
    await b!.fail(failed);
    await pause(2000);
    expect(evacuatePosts(b!)).toHaveLength(0);
    expect(logged(new RegExp(`WARNING: host-unsafe ${failed}: cannot check the host's safety: stonith_admin --history ${failed} failed: stonith_admin: connection to the daemon failed`)).length).toBeGreaterThan(0);
    tool.failing(false);
    await evacuatedOnce(failed, ids);
  });
});

describe('faults during the evacuation: finished anyway, nothing evacuated twice', () => {
  it('Keystone slow (3 s per login, under request_timeout)', async () => {
    const { failed, ids } = await hostWith(4);
    b!.sim.faults.add({ kind: 'delay', ms: 3000, method: 'POST', path: /auth\/tokens/ });
    b!.sim.expireTokens();
    await b!.fail(failed);
    await evacuatedOnce(failed, ids);
  });
  it('the token expires mid-evacuation: a new login, the refused request sent again', async () => {
    const { failed, ids } = await hostWith(6, { config: { concurrency: 1 } });
    const logins = () => b!.sim.calls.count('POST', /auth\/tokens/);
    b!.sim.faults.add({ kind: 'expireToken', method: 'POST', path: /\/action$/, count: 1 });
    const before = logins();
    await b!.fail(failed);
    await evacuatedOnce(failed, ids);
    expect(evacuatePosts(b!).filter((r) => r.status === 401)).toHaveLength(1);
    // Requests in flight when the token died log in again too; one login is shared by whoever waits for it.
    expect(logins() - before).toBeGreaterThanOrEqual(1);
    expect(logins() - before).toBeLessThanOrEqual(2);
  });
  it('Nova 503 on an evacuate request: sent again (Nova did nothing)', async () => {
    const { failed, ids } = await hostWith(3);
    b!.sim.faults.add({ kind: 'status', status: 503, method: 'POST', path: /\/action$/, count: 2 });
    await b!.fail(failed);
    await evacuatedOnce(failed, ids);
    expect(b!.events().filter((e) => e.event === 'instance-evacuate-error' && /HTTP 503/.test(String(e.reason)))).toHaveLength(2);
  });
  it('409 on evacuate (a conflicting task): retried, evacuated once', async () => {
    const { failed, ids } = await hostWith(3);
    b!.sim.faults.add({ kind: 'status', status: 409, method: 'POST', path: /\/action$/, count: 1 });
    await b!.fail(failed);
    await evacuatedOnce(failed, ids);
    expect(b!.events().filter((e) => e.event === 'instance-evacuate-error' && /HTTP 409/.test(String(e.reason)))).toHaveLength(1);
  });
  it('an evacuate request that hangs unhandled (cut at request_timeout): uncertain, sent again after the grace time', async () => {
    const { failed, ids } = await hostWith(3);
    b!.sim.faults.add({ kind: 'hang', method: 'POST', path: /\/action$/, count: 1 });
    await b!.fail(failed);
    await evacuatedOnce(failed, ids, 40_000);
    expect(b!.events().filter((e) => e.event === 'instance-evacuate-error' && e.uncertain === true)).toHaveLength(1);
  });
  it('an evacuate request Nova carried out but never answered: not sent again', async () => {
    const { failed, ids } = await hostWith(3);
    b!.sim.faults.add({ kind: 'holdAnswer', method: 'POST', path: /\/action$/, count: 1 });
    await b!.fail(failed);
    await evacuatedOnce(failed, ids, 40_000);
    expect(evacuatePosts(b!)).toHaveLength(3);
  });
  it('a reset connection on evacuate (before Nova handled it): sent again once', async () => {
    const { failed, ids } = await hostWith(3);
    b!.sim.faults.add({ kind: 'reset', method: 'POST', path: /\/action$/, count: 1 });
    await b!.fail(failed);
    await evacuatedOnce(failed, ids, 40_000);
    expect(evacuatePosts(b!)).toHaveLength(4);
  });
  it('reset and trickling listings: cut at the deadline, read again', async () => {
    const { failed, ids } = await hostWith(3);
    b!.sim.faults.add({ kind: 'reset', method: 'GET', path: /servers\/detail/, count: 2 });
    b!.sim.faults.add({ kind: 'trickle', intervalMs: 200, method: 'GET', path: /servers\/detail/, count: 2 });
    await b!.fail(failed);
    await evacuatedOnce(failed, ids, 40_000);
  });
  it('attrd_updater slow (2 s a call): finished, just later', async () => {
    tool = flakyBinary('attrd_updater', 'exec attrd_updater "$@"');
    tool.slow(2);
    const { failed, ids } = await hostWith(3, { attrd: new Attrd({ binary: tool.path }) });
    await b!.fail(failed);
    await evacuatedOnce(failed, ids, 40_000);
  });
});

describe('the worker stopped, clocks and restarts', () => {
  it('stopped after the last instance was verified, before the ledger said done: the next one only writes done', async () => {
    let failed = '';
    b = await startBench({
      prepare: async (sim, hosts) => {
        failed = hosts[0]!;
        sim.model.crash(failed);
        sim.model.forceDown(failed);
        sim.model.disable(failed, 'instance-ha: fenced at earlier');
        await ledger.set({ host: failed, phase: 'evacuating', since: Date.now() / 1000 - 30, by: 'a-dead-worker' });
        await attrd.update('evacuate', `a-dead-worker@${Math.floor(Date.now() / 1000) - 10}`, { node: failed, private: true });
      },
    });
    await b.waitDone(failed);
    expect(evacuatePosts(b)).toHaveLength(0);
    expect(await attrd.query('evacuate', failed)).toBe('no');
  });
  it('a full cluster restart mid-evacuation (every private attrd value lost): the ledger carries it, nothing twice', async () => {
    const { failed, ids } = await hostWith(6, { sim: { rebuildMs: 3000 } });
    await b!.fail(failed);
    await until('some accepted', () => acceptedEvacuations(b!.sim).size >= 3);
    await b!.restartWorker();
    await attrd.remove('evacuate', { node: failed, private: true });
    b!.sim.settings.rebuildMs = 100;
    await evacuatedOnce(failed, ids, 40_000);
  });
  it('a host flapping: fenced, back, fenced again during its evacuation', async () => {
    const { failed, ids } = await hostWith(6, { sim: { rebuildMs: 2500 } });
    await b!.fail(failed);
    await until('some accepted', () => acceptedEvacuations(b!.sim).size >= 2);
    b!.sim.model.recover(failed);
    await pause(500);
    await b!.fail(failed);
    await evacuatedOnce(failed, ids, 40_000);
    expect(b!.sim.model.countOn(failed)).toBe(0);
  });
  const claimedBy = (node: string, offsetS: number) => `${node}@${Math.floor(Date.now() / 1000) + offsetS}`;
  it('a claim by another node stamped an hour ahead (clock jumped back): the open ledger entry still gets it evacuated', async () => {
    const { failed, ids } = await hostWith(3);
    fencedInNova(failed);
    await ledger.set({ host: failed, phase: 'pending', since: Date.now() / 1000 });
    await attrd.update('evacuate', claimedBy('other-node', 3600), { node: failed, private: true });
    await evacuatedOnce(failed, ids);
  });
  it('a claim by another node an hour old, without a ledger entry (a reference agent died): taken over', async () => {
    const { failed, ids } = await hostWith(3);
    forcedDownElsewhere(failed);
    await attrd.update('evacuate', claimedBy('other-node', -3600), { node: failed, private: true });
    await evacuatedOnce(failed, ids);
  });
  it('a fresh claim by another node, without a ledger entry: left to it (the reference protocol)', async () => {
    const { failed } = await hostWith(3);
    forcedDownElsewhere(failed);
    await attrd.update('evacuate', claimedBy('other-node', 0), { node: failed, private: true });
    await pause(2000);
    expect(evacuatePosts(b!)).toHaveLength(0);
  });
  // The wait before evacuating counts from min(ledger stamp, now): clock skew between nodes does not delay it.
  it('a ledger entry stamped 20 s ahead (fence_compute ran on a node whose clock is ahead): evacuated at once', async () => {
    // Set up before the worker starts: its start-up reconciliation would otherwise stamp the entry now.
    let failed = '';
    let ids: string[] = [];
    b = await startBench({
      prepare: async (sim, hosts) => {
        failed = hosts[0]!;
        ids = Array.from({ length: 3 }, () => sim.model.addServer({ host: failed }).id);
        sim.model.crash(failed);
        sim.model.forceDown(failed);
        sim.model.disable(failed, 'instance-ha: fenced at test');
        await ledger.set({ host: failed, phase: 'pending', since: Date.now() / 1000 + 20 });
        await attrd.update('evacuate', 'yes', { node: failed, private: true });
      },
    });
    await evacuatedOnce(failed, ids, 8000);
  });
});
