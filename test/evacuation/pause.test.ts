import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runInstanceHa } from '../../lib/admin/cli.ts';
import { EvacuationMetrics } from '../../lib/evacuation/metrics.ts';
import { Ledger } from '../../lib/pacemaker/ledger.ts';
import { attrd, expectEachEvacuatedOnce, startBench, until, type Bench } from '../helpers/evacuation/harness.ts';

// instance-ha pause / resume against a worker in this process (the simulator's Nova, the real
// attrd and CIB). Each test pauses under a name of its own (Ledger's pauseName), so the other
// tests' workers running meanwhile on the same cluster are not paused.

let b: Bench | undefined;
let ledger: Ledger;
afterEach(async () => {
  await ledger?.clearPause().catch(() => {});
  await b?.stop();
  b = undefined;
  vi.restoreAllMocks();
});

const isolatedLedger = () => (ledger = new Ledger({ pauseName: `instance-ha-paused-test-${randomBytes(3).toString('hex')}` }));

/** instance-ha in this process, with the test's ledger: exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err.push(String(s)); return true; });
  try {
    const code = await runInstanceHa(args, { ledger });
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    so.mockRestore();
    se.mockRestore();
  }
}

const evacuateCalls = (bench: Bench) => bench.sim.calls.filter('POST', /\/servers\/[^/]+\/action$/);
const eventTime = (bench: Bench, event: string, host?: string) => {
  const e = bench.events().find((x) => x.event === event && (!host || x.host === host));
  return e ? Date.parse(e.time) : undefined;
};

describe('instance-ha pause / resume', () => {
  it('a paused cluster holds a marked host (nothing sent, status says paused, no blocked report); resume lets it go at once', async () => {
    const metricsFile = join(mkdtempSync(join(tmpdir(), 'ihaa-metrics-')), 'instance-ha.prom');
    b = await startBench({ ledger: isolatedLedger(), metrics: new EvacuationMetrics(metricsFile, () => {}) });
    const [failed] = b.hosts as [string];
    const ids = Array.from({ length: 3 }, () => b!.sim.model.addServer({ host: failed }).id);

    const paused = await cli(['pause', '--reason', 'network work']);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/^evacuation paused by \S+ on \S+ at \S+: network work; .*instance-ha resume\n$/);
    expect((await cli(['pause'])).code).toBe(3); // already paused: nothing to do
    await until('the worker to see the pause', () => eventTime(b!, 'evacuation-paused') !== undefined);

    await b.fail(failed);
    await until('the host held at the gate', () => b!.events().some((e) => e.event === 'host-paused' && e.host === failed));
    const held = b.events().find((e) => e.event === 'host-paused' && e.host === failed);
    expect(held?.reason).toMatch(/^evacuation paused by \S+ on \S+ at \S+: network work; instance-ha resume$/);
    // Held long enough for the gate's backoff to reach seconds, and past the blocked report's delay.
    await new Promise((r) => setTimeout(r, 11_000));
    expect(evacuateCalls(b)).toHaveLength(0);
    // Paused, Nova is not asked about the host either (a read here can only be reconcile's, between the harness's disable and its ledger entry).
    expect(b.sim.calls.count('GET', /\/servers\/detail/)).toBe(b.events().filter((e) => e.event === 'host-reconciled').length);
    expect(b.events().map((e) => e.event)).not.toContain('host-claimed');
    expect(await attrd.query('instance-ha-blocked', failed)).toBeUndefined();
    expect(b.events().filter((e) => e.event === 'evacuation-paused')).toHaveLength(1);

    const status = await cli(['status']);
    expect(status.stdout.split('\n')[0]).toMatch(/^EVACUATION PAUSED by \S+ on \S+ at \S+: network work; .*instance-ha resume$/);
    expect(status.stdout).toMatch(new RegExp(`^${failed}\\s+paused\\s`, 'm'));
    const json = JSON.parse((await cli(['status', '--json'])).stdout) as { host: string; phase: string; reason?: string }[];
    expect(json.find((s) => s.host === failed)).toMatchObject({ phase: 'paused', reason: held?.reason });
    const prom = readFileSync(metricsFile, 'utf8');
    expect(prom).toContain('instance_ha_paused 1\n');
    expect(prom).toContain('instance_ha_hosts{phase="paused"} 1\n');

    const resumed = await cli(['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('evacuation resumed by');
    const resumedAt = Date.now();
    await b.waitDone(failed);
    // At once: not at the held gate's next backoff (it had reached 8 s).
    const first = Math.min(...evacuateCalls(b).map((c) => c.time));
    expect(first - resumedAt).toBeLessThan(1500);
    expectEachEvacuatedOnce(b, failed, ids);
    expect(b.events().filter((e) => e.event === 'evacuation-resumed')).toHaveLength(1);
    expect((await cli(['resume'])).code).toBe(3); // not paused: nothing to do
    await until('the metrics file to follow', () => readFileSync(metricsFile, 'utf8').includes('instance_ha_paused 0\n'));
  }, 60_000);

  it('a pause set while a host is being evacuated stops its further requests, also those queued in the round; resume finishes it, each instance once', async () => {
    b = await startBench({ ledger: isolatedLedger(), computes: 4, config: { concurrency: 2 }, sim: { latencyMs: 150 } });
    const [failed] = b.hosts as [string];
    const ids = Array.from({ length: 24 }, () => b!.sim.model.addServer({ host: failed }).id);
    await b.fail(failed);
    await until('a few evacuations accepted', () => evacuateCalls(b!).length >= 3);
    expect((await cli(['pause', '--reason', 'Nova upgrade'])).code).toBe(0);
    await until('the worker to see the pause', () => eventTime(b!, 'evacuation-paused') !== undefined);
    const seenAt = eventTime(b, 'evacuation-paused')!;
    await new Promise((r) => setTimeout(r, 2500));
    const sentBefore = evacuateCalls(b).length;
    // Nothing started after the worker saw the pause (50 ms: a request already on its way).
    expect(evacuateCalls(b).filter((c) => c.time > seenAt + 50)).toEqual([]);
    expect(sentBefore).toBeLessThan(ids.length);
    expect(b.events().some((e) => e.event === 'host-paused' && e.host === failed)).toBe(true);

    expect((await cli(['resume'])).code).toBe(0);
    await b.waitDone(failed, 60_000);
    expectEachEvacuatedOnce(b, failed, ids);
  }, 90_000);
});
