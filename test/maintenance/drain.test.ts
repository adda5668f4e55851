import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Logger } from '../../lib/log.ts';
import { drainHost, MigrationWindow, type DrainOptions } from '../../lib/maintenance/drain.ts';
import { connectOpenStack, type OpenStack } from '../../lib/openstack/connect.ts';
import type { EvacuationEvent } from '../../lib/evacuation/events.ts';
import { startSimulator, type Simulator } from '../simulator/index.ts';

// The drain's --concurrency bounds the live migrations under way, not only the requests: Nova
// answers os-migrateLive at once (202) and queues the migration, so a bound on requests alone let
// every instance of the host be requested in the first round, and an interrupt then stopped nothing.
// No cluster: the drain reads and writes only Nova.

let sim: Simulator;
let os: OpenStack;
let migrating: number[];
let sampler: NodeJS.Timeout;

beforeEach(async () => {
  sim = await startSimulator({ liveMigrationMs: 400 });
  for (const h of ['src', 'dst-a', 'dst-b', 'back']) sim.model.addCompute(h);
  const values = { auth_url: sim.authUrl, username: 'admin', password: 'admin-pw', tenant_name: 'admin', endpoint_type: 'publicURL', request_timeout: 5 };
  os = await connectOpenStack(values, new Set(Object.keys(values)), {}, new Logger({ tag: 'test-drain', stderr: false, syslog: false }));
  migrating = [];
  sampler = setInterval(() => migrating.push([...sim.model.servers.values()].filter((s) => s.taskState === 'migrating').length), 10);
});
afterEach(async () => {
  clearInterval(sampler);
  await sim.stop();
});

const events: EvacuationEvent[] = [];
const drain = (o: Partial<DrainOptions> & { host: string }, interrupted = () => false) => drainHost({
  os, events: { emit: (e) => void events.push(e) }, blockMigration: 'auto', concurrency: 3, verifyMs: 30_000, maxAttempts: 2,
  requestTimeoutMs: 5000, signals: { interrupted, stopped: new AbortController().signal }, ...o,
});
const on = (host: string) => [...sim.model.servers.values()].filter((s) => s.host === host).length;

describe('drainHost: at most --concurrency live migrations under way', () => {
  it('12 instances, concurrency 3: never more than 3 migrating at once, all moved', async () => {
    for (let i = 0; i < 12; i++) sim.model.addServer({ host: 'src' });
    const out = await drain({ host: 'src' });
    expect(out).toMatchObject({ complete: true, summary: '12 done' });
    expect(on('src')).toBe(0);
    expect(Math.max(...migrating)).toBe(3);
  });

  it('interrupted after the first requests: only those finish, the rest stay, nothing else is requested', async () => {
    const ids = Array.from({ length: 10 }, () => sim.model.addServer({ host: 'src' }).id);
    let interrupted = false;
    const out = drain({ host: 'src' }, () => interrupted);
    while (sim.calls.count('POST', /\/action$/) < 3) await new Promise((r) => setTimeout(r, 5));
    interrupted = true;
    expect(await out).toMatchObject({ complete: false });
    expect(sim.calls.count('POST', /\/action$/)).toBe(3);
    expect(on('src')).toBe(7);
    expect(ids.filter((id) => sim.model.servers.get(id)?.host !== 'src')).toHaveLength(3);
  });

  it('drains sharing a window (instances back from two hosts): the bound is theirs together', async () => {
    for (let i = 0; i < 6; i++) sim.model.addServer({ host: 'dst-a' });
    for (let i = 0; i < 6; i++) sim.model.addServer({ host: 'dst-b' });
    const window = new MigrationWindow(4);
    const outs = await Promise.all(['dst-a', 'dst-b'].map((host) => drain({ host, target: 'back', concurrency: 4, window })));
    expect(outs.map((o) => o.complete)).toEqual([true, true]);
    expect(on('back')).toBe(12);
    expect(Math.max(...migrating)).toBe(4);
  });
});
