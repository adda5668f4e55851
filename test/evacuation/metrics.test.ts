import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvacuationMetrics } from '../../lib/evacuation/metrics.ts';
import { startBench, until, type Bench } from '../helpers/evacuation/harness.ts';

// The worker's Prometheus text file (NovaEvacuate metrics_file), fed by its events.

let b: Bench | undefined;
afterEach(async () => { await b?.stop(); b = undefined; });

const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'ihaa-metrics-')), 'instance-ha.prom');
/** The sample lines (no comments) as name{labels} → value. */
const samples = (text: string) => new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => { const i = l.lastIndexOf(' '); return [l.slice(0, i), Number(l.slice(i + 1))]; }));

describe('metrics_file', () => {
  it('after an evacuation: instances by result, hosts by phase, the duration mark → done; rewritten only when something changed', async () => {
    const file = tmpFile();
    b = await startBench({ metrics: new EvacuationMetrics(file, () => {}), ownHostsOnly: true });
    const [failed] = b.hosts as [string];
    for (let i = 0; i < 3; i++) b.sim.model.addServer({ host: failed });
    await until('the first write', () => statSync(file, { throwIfNoEntry: false }) !== undefined);
    expect(samples(readFileSync(file, 'utf8')).get('instance_ha_worker_running')).toBe(1);
    const markedAt = Date.now();
    await b.fail(failed);
    await b.waitDone(failed);
    const tookS = (Date.now() - markedAt) / 1000;
    await until('the file to show it done', () => samples(readFileSync(file, 'utf8')).get('instance_ha_host_evacuation_seconds_count') === 1);
    const text = readFileSync(file, 'utf8');
    const s = samples(text);
    expect(s.get('instance_ha_instances_total{result="done"}')).toBe(3);
    expect(s.get('instance_ha_instances_total{result="failed"}')).toBe(0);
    for (const phase of ['marked', 'evacuating', 'blocked', 'paused']) expect(s.get(`instance_ha_hosts{phase="${phase}"}`), phase).toBe(0);
    expect(s.get('instance_ha_host_evacuation_seconds_sum')).toBeGreaterThan(0);
    expect(s.get('instance_ha_host_evacuation_seconds_sum')).toBeLessThanOrEqual(tookS + 1);
    expect(s.get('instance_ha_host_evacuation_seconds_bucket{le="30"}')).toBe(1);
    expect(s.get('instance_ha_host_evacuation_seconds_bucket{le="+Inf"}')).toBe(1);
    expect(s.get('instance_ha_paused')).toBe(0);
    expect(text).toContain('# TYPE instance_ha_host_evacuation_seconds histogram\n');
    expect(text).toContain('# TYPE instance_ha_instances_total counter\n');
    // Nothing changed: polls go on, the file is not replaced (rename gives a new inode).
    const inode = statSync(file).ino;
    await new Promise((r) => setTimeout(r, 1500));
    expect(statSync(file).ino).toBe(inode);
    expect(readdirSync(join(file, '..'))).toEqual(['instance-ha.prom']);
  });

  it('phases follow the events; an instance verified again in a retried round counts once; the worker stopping writes at once', () => {
    const file = tmpFile();
    const m = new EvacuationMetrics(file, () => {});
    const at = new Date(Date.now() - 90_000).toISOString();
    m.emit({ event: 'worker-started' });
    m.emit({ event: 'host-marked', host: 'a', since: at });
    m.emit({ event: 'host-marked', host: 'b', since: at });
    m.emit({ event: 'host-marked', host: 'c', since: at });
    m.emit({ event: 'host-claimed', host: 'a' });
    m.emit({ event: 'host-blocked', host: 'b', reason: 'mass failure' });
    m.emit({ event: 'evacuation-paused' });
    m.emit({ event: 'host-paused', host: 'c' });
    m.emit({ event: 'instance-done', host: 'a', instance: 'i1' });
    m.emit({ event: 'instance-failed', host: 'a', instance: 'i2' });
    m.emit({ event: 'instance-done', host: 'a', instance: 'i1' }); // the next host round verifies it again
    let s = samples(m.render());
    expect([...['marked', 'evacuating', 'blocked', 'paused'].map((p) => s.get(`instance_ha_hosts{phase="${p}"}`)), s.get('instance_ha_paused')]).toEqual([0, 1, 1, 1, 1]);
    expect([s.get('instance_ha_instances_total{result="done"}'), s.get('instance_ha_instances_total{result="failed"}')]).toEqual([1, 1]);
    m.emit({ event: 'evacuation-resumed' });
    m.emit({ event: 'host-done', host: 'a' });
    m.emit({ event: 'host-released', host: 'b' });
    s = samples(m.render());
    expect([s.get('instance_ha_hosts{phase="marked"}'), s.get('instance_ha_hosts{phase="paused"}'), s.get('instance_ha_paused')]).toEqual([1, 0, 0]);
    expect([s.get('instance_ha_host_evacuation_seconds_bucket{le="60"}'), s.get('instance_ha_host_evacuation_seconds_bucket{le="120"}'), s.get('instance_ha_host_evacuation_seconds_count')]).toEqual([0, 1, 1]);
    m.emit({ event: 'worker-stopped' });
    s = samples(readFileSync(file, 'utf8'));
    expect([s.get('instance_ha_worker_running'), s.get('instance_ha_hosts{phase="marked"}')]).toEqual([0, 0]);
  });

  it('a file that cannot be written is reported once, not at every poll', () => {
    const warnings: string[] = [];
    const file = join(tmpFile(), '..', 'no-such-dir', 'instance-ha.prom');
    const m = new EvacuationMetrics(file, (l) => warnings.push(l));
    m.emit({ event: 'worker-started' });
    m.flush();
    m.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^metrics_file \/.*\/no-such-dir\/instance-ha.prom: ENOENT/);
  });
});
