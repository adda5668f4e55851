import { afterEach, describe, expect, it } from 'vitest';
import { acceptedEvacuations, attrd, ledger, peakEvacuatesInFlight, startBench, until, type Bench } from '../helpers/evacuation/harness.ts';
import { onCibWritten } from '../../lib/pacemaker/cib-changes.ts';
import { releaseHost } from '../../lib/admin/release.ts';

// The evacuation engine against the simulator's asynchronous Nova and the real attrd / CIB.

let b: Bench | undefined;
afterEach(async () => { await b?.stop(); b = undefined; });

const hostOf = (bench: Bench, id: string) => bench.sim.model.servers.get(id)?.host;

describe('which instances', () => {
  it('nothing tagged: every instance leaves, each evacuated once; evacuate=no and the ledger says done', async () => {
    b = await startBench();
    const [failed] = b.hosts as [string];
    const ids = Array.from({ length: 5 }, () => b!.sim.model.addServer({ host: failed }).id);
    await b.fail(failed);
    await b.waitDone(failed);
    for (const id of ids) expect(hostOf(b, id)).not.toBe(failed);
    expect([...acceptedEvacuations(b.sim).values()]).toEqual([1, 1, 1, 1, 1]);
    expect(await attrd.query('evacuate', failed)).toBe('no');
    expect((await ledger.get(failed))?.phase).toBe('done');
    expect(b.events().map((e) => e.event)).toEqual(expect.arrayContaining(['host-marked', 'host-claimed', 'host-selected', 'instance-evacuate-accepted', 'instance-done', 'host-done']));
  });
  it('a tagged image (past Glance\'s first page) selects only its instances', async () => {
    b = await startBench();
    const [failed] = b.hosts as [string];
    b.sim.model.limits.glanceMaxLimit = 2;
    b.sim.model.limits.glanceDefaultLimit = 2;
    for (let i = 0; i < 5; i++) b.sim.model.addImage();
    const tagged = b.sim.model.addImage({ tags: ['evacuable'] });
    for (let i = 0; i < 3; i++) b.sim.model.addImage();
    const yes = b.sim.model.addServer({ host: failed, image: tagged.id }).id;
    const no = b.sim.model.addServer({ host: failed }).id;
    await b.fail(failed);
    await b.waitDone(failed);
    expect(hostOf(b, yes)).not.toBe(failed);
    expect(hostOf(b, no)).toBe(failed);
    expect(b.events().find((e) => e.event === 'instance-not-selected')?.instance).toBe(no);
  });
  it('a tagged flavor (private) selects its instances; boot-from-volume too', async () => {
    b = await startBench();
    const [failed] = b.hosts as [string];
    const flavor = b.sim.model.addFlavor({ isPublic: false, extraSpecs: { evacuable: 'true' } });
    const yes = b.sim.model.addServer({ host: failed, flavor: flavor.id, image: null }).id;
    const no = b.sim.model.addServer({ host: failed }).id;
    await b.fail(failed);
    await b.waitDone(failed);
    expect(hostOf(b, yes)).not.toBe(failed);
    expect(hostOf(b, no)).toBe(failed);
  });
  it('aggregates with evacuable=true limit evacuation to their hosts; server metadata opts out', async () => {
    b = await startBench();
    const [failed, other] = b.hosts as [string, string];
    b.sim.model.addAggregate({ name: 'ha', hosts: [failed], metadata: { evacuable: 'true' } });
    const out = b.sim.model.addServer({ host: failed, metadata: { evacuable: 'false' } }).id;
    const inn = b.sim.model.addServer({ host: failed }).id;
    await b.fail(failed);
    await b.waitDone(failed);
    expect(hostOf(b, inn)).not.toBe(failed);
    expect(hostOf(b, out)).toBe(failed);
    expect(other).toBeTruthy();
  });
});

describe('every state on purpose', () => {
  it('ACTIVE and ERROR move, SHUTOFF stays off, PAUSED/SUSPENDED/VERIFY_RESIZE are reported, not retried', async () => {
    b = await startBench();
    const [failed] = b.hosts as [string];
    const m = b.sim.model;
    const active = m.addServer({ host: failed, status: 'ACTIVE' }).id;
    const off = m.addServer({ host: failed, status: 'SHUTOFF' }).id;
    const error = m.addServer({ host: failed, status: 'ERROR' }).id;
    const locked = m.addServer({ host: failed, locked: true }).id;
    const paused = m.addServer({ host: failed, status: 'PAUSED' }).id;
    const suspended = m.addServer({ host: failed, status: 'SUSPENDED' }).id;
    const resize = m.addServer({ host: failed, status: 'VERIFY_RESIZE' }).id;
    await b.fail(failed);
    await b.waitDone(failed);
    for (const id of [active, off, error, locked]) expect(hostOf(b, id), id).not.toBe(failed);
    expect(m.servers.get(off)?.status).toBe('SHUTOFF');
    for (const id of [paused, suspended, resize]) expect(hostOf(b, id)).toBe(failed);
    const skips = b.events().filter((e) => e.event === 'instance-skip').map((e) => e.instance);
    expect(skips.sort()).toEqual([paused, suspended, resize].sort());
    expect(acceptedEvacuations(b.sim).get(paused)).toBeUndefined();
  });
  it('a task already in progress is waited for, never evacuated on top', async () => {
    b = await startBench();
    const [failed] = b.hosts as [string];
    const busy = b.sim.model.addServer({ host: failed, taskState: 'rebuilding' });
    await b.fail(failed);
    await new Promise((r) => setTimeout(r, 1500));
    expect(b.sim.calls.evacuations(busy.id)).toHaveLength(0);
    busy.taskState = null;
    await b.waitDone(failed);
    expect(acceptedEvacuations(b.sim).get(busy.id)).toBe(1);
  });
  it('an instance that never leaves its task state: failed at verify_timeout, the host reported blocked, then released by the operator', async () => {
    // host_map names the host's Pacemaker node otherwise: crm_mon -A shows the report under that name too
    b = await startBench({ config: (hosts) => ({ verifyMs: 2000, naming: { hostMap: `${hosts[0]}-node:${hosts[0]}` } }) });
    const [failed] = b.hosts as [string];
    const node = `${failed}-node`;
    const stuck = b.sim.model.addServer({ host: failed, taskState: 'rebuilding' });
    const fine = b.sim.model.addServer({ host: failed });
    await b.fail(failed);
    const end = Date.now() + 20_000;
    while (!b.events().some((e) => e.event === 'host-blocked' && e.host === failed) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const blocked = b.events().find((e) => e.event === 'host-blocked' && e.host === failed);
    expect(blocked?.reason).toMatch(new RegExp(`${stuck.id} \\(task rebuilding in progress for more than 2 s .*instance-ha release ${failed}`));
    // the event comes first, attrd's write a moment after it
    await until('the blocked attribute', async () => (await attrd.query('instance-ha-blocked', failed)) === blocked?.reason);
    await until('the blocked attribute on the node', async () => (await attrd.query('instance-ha-blocked', node)) === blocked?.reason);
    expect(b.logLines().some((l) => l.includes(`WARNING: host-blocked ${failed}:`))).toBe(true);
    expect(hostOf(b, fine.id)).not.toBe(failed);
    expect(b.sim.calls.evacuations(stuck.id)).toHaveLength(0);
    expect(await attrd.query('evacuate', failed)).not.toBe('no');
    await releaseHost(failed, attrd, ledger);
    for (const stop = Date.now() + 10_000; !b.events().some((e) => e.event === 'host-released' && e.host === failed) && Date.now() < stop;) await new Promise((r) => setTimeout(r, 100));
    expect(b.events().some((e) => e.event === 'host-released' && e.host === failed)).toBe(true);
    expect(await attrd.query('instance-ha-blocked', failed)).toBeUndefined();
    await until('the node\'s report to go', async () => (await attrd.query('instance-ha-blocked', node)) === undefined);
    expect(b.sim.calls.evacuations(stuck.id)).toHaveLength(0);
  });
  it('"no valid host": retried up to max_attempts, then the host stays marked with the reason', async () => {
    b = await startBench({ computes: 2, config: { maxAttempts: 2 } });
    const [failed, only] = b.hosts as [string, string];
    b.sim.model.disable(only, 'full');
    const id = b.sim.model.addServer({ host: failed }).id;
    await b.fail(failed);
    const end = Date.now() + 20_000;
    while (!b.events().some((e) => e.event === 'host-incomplete') && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const incomplete = b.events().find((e) => e.event === 'host-incomplete');
    expect(incomplete?.reason).toContain(`${id} (2 evacuation attempt(s) failed)`);
    expect(await attrd.query('evacuate', failed)).not.toBe('no');
    expect((await ledger.get(failed))?.phase).toBe('evacuating');
  });
  it('a failed request is retried and then succeeds', async () => {
    b = await startBench();
    const [failed] = b.hosts as [string];
    const id = b.sim.model.addServer({ host: failed }).id;
    b.sim.faults.add({ kind: 'status', status: 500, method: 'POST', path: /\/action$/, count: 1 });
    await b.fail(failed);
    await b.waitDone(failed);
    expect(b.sim.calls.evacuations(id).map((r) => r.status)).toEqual([500, 200]);
    expect(hostOf(b, id)).not.toBe(failed);
  });
});

describe('safety', () => {
  it('a host Nova shows up is never touched', async () => {
    b = await startBench();
    const [up] = b.hosts as [string];
    b.sim.model.addServer({ host: up });
    await ledger.set({ host: up, phase: 'pending', since: Date.now() / 1000 });
    await attrd.update('evacuate', 'yes', { node: up, private: true });
    await new Promise((r) => setTimeout(r, 1500));
    expect(b.sim.calls.count('POST', /\/action$/)).toBe(0);
    expect(b.events().find((e) => e.event === 'host-unsafe' && e.host === up)?.reason).toBe('Nova shows its nova-compute up');
    await attrd.remove('evacuate', { node: up, private: true });
    await ledger.remove(up);
  });
  it('require_fencing: waits until Pacemaker\'s history shows the node fenced', async () => {
    let fenced = false;
    b = await startBench({ config: { requireFencing: true }, fencing: async (node) => (fenced ? [{ target: node, action: 'reboot', status: 'success', completed: Date.now() }] : []) });
    const [failed] = b.hosts as [string];
    b.sim.model.addServer({ host: failed });
    await b.fail(failed);
    await new Promise((r) => setTimeout(r, 1000));
    expect(b.sim.calls.count('POST', /\/action$/)).toBe(0);
    expect(b.events().find((e) => e.event === 'host-unsafe' && e.host === failed)?.reason).toContain('shows no successful fencing of');
    fenced = true;
    await b.waitDone(failed, 30_000);
  });
  it('mass failure: above the threshold nothing is evacuated, and it says why', async () => {
    b = await startBench({ computes: 4, config: { threshold: 50 } });
    const [a, c, d] = b.hosts as [string, string, string];
    for (const h of [a, c, d]) { b.sim.model.addServer({ host: h }); b.sim.model.crash(h); b.sim.model.forceDown(h); }
    await b.fail(a);
    await b.fail(c);
    await b.fail(d);
    await new Promise((r) => setTimeout(r, 1500));
    expect(b.sim.calls.count('POST', /\/action$/)).toBe(0);
    expect(b.events().find((e) => e.event === 'host-blocked')?.reason).toContain('3 of 4 compute services down (75%, threshold 50%)');
    // Held hosts are not read while the guard holds (at scale, hundreds of listings for nothing);
    // a read here can only be reconcile's, catching a host between the harness's disable and its ledger entry.
    expect(b.sim.calls.count('GET', /\/servers\/detail/)).toBe(b.events().filter((e) => e.event === 'host-reconciled').length);
  });
  it('a blocked report left by an earlier worker (restarted with a higher threshold) is cleared when the host is done', async () => {
    b = await startBench({ computes: 4 });
    const [a] = b.hosts as [string];
    b.sim.model.addServer({ host: a });
    await attrd.update('instance-ha-blocked', 'mass failure: 1 of 4 compute services down (25%, threshold 10%)', { node: a });
    await b.fail(a);
    await b.waitDone(a);
    await until('the report to go', async () => (await attrd.query('instance-ha-blocked', a)) === undefined);
  });
  it('dry_run decides and logs but changes nothing', async () => {
    b = await startBench({ config: { dryRun: true } });
    const [failed] = b.hosts as [string];
    const id = b.sim.model.addServer({ host: failed }).id;
    await b.fail(failed);
    const end = Date.now() + 10_000;
    while (!b.events().some((e) => e.event === 'host-done') && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(b.events().find((e) => e.event === 'instance-would-evacuate')?.instance).toBe(id);
    expect(b.sim.calls.count('POST', /\/action$/)).toBe(0);
    expect(await attrd.query('evacuate', failed)).toBe('yes');
  });
});

describe('order, targets, microversion, reconciliation', () => {
  it('evacuates at microversion 2.94 when Nova offers 2.95 (2.95 would leave instances stopped)', async () => {
    b = await startBench();
    const [failed] = b.hosts as [string];
    b.sim.model.addServer({ host: failed });
    await b.fail(failed);
    await b.waitDone(failed);
    expect(b.sim.calls.filter('POST', /\/action$/).map((r) => r.microversion)).toEqual(['2.94']);
  });
  it('higher evacuation_priority goes first', async () => {
    let ids: string[] = [];
    b = await startBench({
      config: { concurrency: 1 },
      prepare: (sim, hosts) => { ids = ['1', '5', '3'].map((p) => sim.model.addServer({ host: hosts[0]!, metadata: { evacuation_priority: p } }).id); },
    });
    const [failed] = b.hosts as [string];
    await b.fail(failed);
    await b.waitDone(failed);
    const order = b.sim.calls.filter('POST', /\/action$/).map((r) => ids.indexOf(/servers\/([^/]+)\/action/.exec(r.path)?.[1] ?? ''));
    expect(order).toEqual([1, 2, 0]);
  });
  it('reserved_hosts are the targets, in turn', async () => {
    b = await startBench({ computes: 5, config: (hosts) => ({ reservedHosts: [hosts[3]!, hosts[4]!] }) });
    const [failed, , , r1, r2] = b.hosts as [string, string, string, string, string];
    const ids = Array.from({ length: 4 }, () => b!.sim.model.addServer({ host: failed }).id);
    await b.fail(failed);
    await b.waitDone(failed);
    expect(ids.map((id) => b!.sim.model.servers.get(id)?.host).sort()).toEqual([r1, r1, r2, r2].sort());
    expect(b.sim.calls.filter('POST', /\/action$/).map((r) => (r.body as { evacuate: { host?: string } }).evacuate.host).sort()).toEqual([r1, r1, r2, r2].sort());
  });
  it('reconciles with Nova at start: a host instance-ha forced down, with instances but no mark or ledger entry, is evacuated', async () => {
    let lost = '';
    let id = '';
    b = await startBench({
      prepare: (sim, hosts) => {
        lost = hosts[0]!;
        id = sim.model.addServer({ host: lost }).id;
        sim.model.crash(lost);
        sim.model.forceDown(lost);
        sim.model.disable(lost, 'instance-ha: fenced at before a full cluster restart');
      },
    });
    await b.waitDone(lost);
    expect(b.sim.model.servers.get(id)?.host).not.toBe(lost);
    expect(b.events().find((e) => e.event === 'host-reconciled')?.host).toBe(lost);
  });
});

describe('the way back', () => {
  it('unsets force-down once the node is online again and Nova lets it (after nova-compute ran once)', async () => {
    let online = new Set<string>();
    b = await startBench({ online: async () => online });
    const [failed] = b.hosts as [string];
    b.sim.model.addServer({ host: failed });
    await b.fail(failed);
    await b.waitDone(failed);
    expect(b.sim.model.compute(failed).forcedDown).toBe(true);
    online = new Set([failed]);                 // the node is back in the cluster,
    await new Promise((r) => setTimeout(r, 16_000));
    expect(b.sim.model.compute(failed).forcedDown).toBe(true); // but Nova refuses: 'done' evacuation records remain
    b.sim.model.recover(failed);                // nova-compute started there and completed them
    const end = Date.now() + 20_000;
    while (b.sim.model.compute(failed).forcedDown && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    expect(b.sim.model.compute(failed).forcedDown).toBe(false);
    expect(b.events().some((e) => e.event === 'host-returned' && e.host === failed)).toBe(true);
  }, 60_000);
});

describe('scale and concurrency', () => {
  it('1,500 instances on one host: all evacuated once, within the in-flight bound', async () => {
    b = await startBench({ computes: 6, config: { concurrency: 32 }, sim: { rebuildMs: 100 } });
    const [failed] = b.hosts as [string];
    for (let i = 0; i < 1500; i++) b.sim.model.addServer({ host: failed });
    await b.fail(failed);
    await b.waitDone(failed, 120_000);
    const accepted = acceptedEvacuations(b.sim);
    expect(accepted.size).toBe(1500);
    expect(Math.max(...accepted.values())).toBe(1);
    expect(b.sim.model.countOn(failed)).toBe(0);
    // Never more than `concurrency` evacuate requests open at once.
    expect(peakEvacuatesInFlight(b.sim)).toBeLessThanOrEqual(32);
  }, 180_000);
  it('a Nova answering at an even pace gets up to `concurrency` requests at once', async () => {
    b = await startBench({ computes: 4, config: { concurrency: 32 }, sim: { rebuildMs: 50, latencyMs: 20 } });
    const [failed] = b.hosts as [string];
    for (let i = 0; i < 200; i++) b.sim.model.addServer({ host: failed });
    await b.fail(failed);
    await b.waitDone(failed, 120_000);
    expect(peakEvacuatesInFlight(b.sim)).toBeGreaterThan(24);
  }, 180_000);
  it('a Nova that slows down with load gets fewer requests at once, and still every instance once', async () => {
    b = await startBench({ computes: 4, config: { concurrency: 32 }, sim: { rebuildMs: 50, latencyMs: 20, loadLatencyMs: 20 } });
    const [failed] = b.hosts as [string];
    for (let i = 0; i < 200; i++) b.sim.model.addServer({ host: failed });
    await b.fail(failed);
    await b.waitDone(failed, 120_000);
    const accepted = acceptedEvacuations(b.sim);
    expect([accepted.size, Math.max(...accepted.values())]).toEqual([200, 1]);
    // At 32 in flight each answer would take 20 + 31 × 20 ms, thirty times the fastest.
    expect(peakEvacuatesInFlight(b.sim)).toBeLessThanOrEqual(16);
  }, 180_000);
  it('a slow attrd (a loaded cluster): a poll that read the marks before a host finished does not open it again', async () => {
    // The marks as read, handed over 1.5 s later: the poll under way when the host finishes still shows its yes.
    const slow = Object.assign(Object.create(attrd) as typeof attrd, {
      queryAll: async (name: string) => { const read = await attrd.queryAll(name); await new Promise((r) => setTimeout(r, 1500)); return read; },
    });
    b = await startBench({ attrd: slow });
    const [failed] = b.hosts as [string];
    b.sim.model.addServer({ host: failed });
    await b.fail(failed);
    await b.waitDone(failed);
    await new Promise((r) => setTimeout(r, 4000)); // two more polls
    expect(b.events().filter((e) => e.event === 'host-marked' && e.host === failed)).toHaveLength(1);
  });
  it('a new mark is seen at once through the CIB write of its ledger entry, not at the next poll', async () => {
    b = await startBench({ config: { pollMs: 60_000 }, watchMarks: (onChange) => onCibWritten(onChange) });
    const [failed] = b.hosts as [string];
    b.sim.model.addServer({ host: failed });
    await new Promise((r) => setTimeout(r, 500)); // the worker has polled once and sleeps for a minute
    const marked = Date.now();
    await b.fail(failed);
    await b.waitDone(failed, 10_000);
    expect(Date.now() - marked).toBeLessThan(10_000);
  });
  it('without the hint the same mark waits for the poll', async () => {
    b = await startBench({ config: { pollMs: 60_000 } });
    const [failed] = b.hosts as [string];
    b.sim.model.addServer({ host: failed });
    await new Promise((r) => setTimeout(r, 500));
    await b.fail(failed);
    await new Promise((r) => setTimeout(r, 3000));
    expect(b.events().map((e) => e.event)).not.toContain('host-marked');
  });
  it('a few instances are verified by id; many through one changes-since listing', async () => {
    const listings = (bench: Bench) => bench.sim.calls.all.filter((c) => c.method === 'GET' && c.path.endsWith('/servers/detail') && 'changes-since' in c.query).length;
    const byId = (bench: Bench, ids: string[]) => bench.sim.calls.all.filter((c) => c.method === 'GET' && ids.some((id) => c.path.endsWith(`/servers/${id}`))).length;
    b = await startBench({ sim: { rebuildMs: 300 } });
    const [failed, busy] = b.hosts as [string, string];
    const few = Array.from({ length: 5 }, () => b!.sim.model.addServer({ host: failed }).id);
    await b.fail(failed);
    await b.waitDone(failed);
    expect([listings(b), byId(b, few) >= few.length]).toEqual([0, true]);
    const many = Array.from({ length: 40 }, () => b!.sim.model.addServer({ host: busy }).id);
    await b.fail(busy);
    await b.waitDone(busy);
    expect(listings(b)).toBeGreaterThan(0);
    const accepted = acceptedEvacuations(b.sim);
    expect(many.map((id) => accepted.get(id)).every((n) => n === 1)).toBe(true);
    expect(many.every((id) => b!.sim.model.servers.get(id)?.host !== busy)).toBe(true);
  });
  it('two hosts at once are evacuated concurrently', async () => {
    b = await startBench({ computes: 6, sim: { latencyMs: 50 } });
    const [h1, h2] = b.hosts as [string, string];
    for (let i = 0; i < 20; i++) { b.sim.model.addServer({ host: h1 }); b.sim.model.addServer({ host: h2 }); }
    await b.fail(h1);
    await b.fail(h2);
    await Promise.all([b.waitDone(h1), b.waitDone(h2)]);
    const firstPost = (h: string) => Math.min(...b!.sim.calls.filter('POST', /\/action$/).filter((r) => b!.sim.model.migrations && r.status === 200 && [...b!.sim.model.migrations.values()].some((m) => m.sourceCompute === h && r.path.includes(m.instanceUuid))).map((r) => r.time));
    const doneAt = (h: string) => Date.parse(b!.events().find((e) => e.event === 'host-done' && e.host === h)!.time);
    expect(firstPost(h2)).toBeLessThan(doneAt(h1));
    expect(firstPost(h1)).toBeLessThan(doneAt(h2));
  });
});
