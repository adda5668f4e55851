import { expect } from 'vitest';
import { HttpError } from '../../../lib/http.ts';
import type { Nova, NovaServer, NovaService } from '../../../lib/openstack/nova.ts';
import type { Ctx, Step } from './scenario.ts';
import { sleep } from './targets.ts';

// Planned maintenance of the spare host (issue 17), after the host failure of scenario.ts, every
// compute up: its instances live-migrated through the agents' Nova client, the scheduler choosing
// (host null), concurrently, each verified ACTIVE on another host; what cannot move live (SHUTOFF)
// and a repeat during a migration refused with a 409, an unknown host with a 400; and a live
// migration Nova accepts (202) and its conductor then refuses (no other enabled host).

const PLAN = [
  { name: 'live-a', image: 'ihaa-seed-plain', flavor: 'ihaa-seed.plain' },
  { name: 'live-b', image: 'ihaa-seed-evacuable', flavor: 'ihaa-seed.evacuable' },
  { name: 'live-off', image: 'ihaa-seed-plain', flavor: 'ihaa-seed.plain' },
];

interface Maintenance { live: string[]; stopped: string; since: Date }
const state = new WeakMap<Ctx, Maintenance>();
const of = (c: Ctx): Maintenance => state.get(c) ?? fail('the maintenance servers were not booted');

export const LIVE_MIGRATION_STEPS: Step[] = [
  { name: 'maintenance: three servers on the spare host, one of them SHUTOFF', timeoutMs: 180_000, async run(c) {
    const since = new Date(Date.now() - 1000);
    const ids = await c.target.boot(c.spare, PLAN.map((p) => ({ ...p, name: `ihaa-live-${c.run}-${p.name}` })));
    c.servers.push(...ids);
    const [a, b, off] = ids;
    if (!a || !b || !off) throw new Error('three servers expected');
    await c.target.stopServer(off);
    const on = (await c.nova().serversOnHost(c.spare)).filter((s) => ids.includes(s.id));
    expect(on.map((s) => s.status).sort()).toEqual(['ACTIVE', 'ACTIVE', 'SHUTOFF']);
    state.set(c, { live: [a, b], stopped: off, since });
  } },
  { name: 'maintenance: live-migrate the ACTIVE ones (host null, at once), each ACTIVE elsewhere; SHUTOFF and a repeat 409, unknown host 400', timeoutMs: 180_000, async run(c) {
    const m = of(c);
    const nova = c.nova();
    expect((await Promise.all(m.live.map((id) => nova.liveMigrate(id)))).map(String)).toEqual(['2.93', '2.93']);
    await refused(nova.liveMigrate(m.live[0] as string), 409, 'while it is in task_state migrating');
    await refused(nova.liveMigrate(m.stopped), 409, 'while it is in vm_state stopped'); // cannot move live
    for (const id of m.live) expect(await settled(nova, id)).toMatchObject({ status: 'ACTIVE', host: expect.not.stringMatching(`^${c.spare}$`) });
    await refused(nova.liveMigrate(m.live[1] as string, { host: 'no-such-host' }), 400, 'Compute host no-such-host could not be found.');
    expect((await nova.server(m.stopped)).host).toBe(c.spare);
  } },
  { name: 'Nova: os-migrations of the spare host, type live-migration, changes-since (2.59+) and at 2.23 and 2.1, until completed', timeoutMs: 120_000, async run(c) {
    const m = of(c);
    for (const mv of ['2.93', '2.59', '2.23', '2.1']) {
      for (const t0 = Date.now(); ; await sleep(300)) {
        const mine = (await c.nova(mv).migrations({ host: c.spare, type: 'live-migration', since: m.since })).filter((x) => m.live.includes(x.instanceUuid));
        expect(mine.map((x) => x.sourceCompute)).toEqual([c.spare, c.spare]);
        if (mine.every((x) => x.status === 'completed')) break;
        if (mine.some((x) => ['error', 'failed', 'cancelled'].includes(x.status)) || Date.now() - t0 > 60_000) {
          throw new Error(`live migrations not completed: ${mine.map((x) => x.status).join(' ')}`);
        }
      }
    }
  } },
  { name: 'live migration accepted (202) and then refused by the conductor (no other enabled host): migration error, the server ACTIVE where it was', timeoutMs: 120_000, async run(c) {
    const m = of(c);
    const nova = c.nova();
    const id = m.live[0] as string;
    const { host } = await nova.server(id);
    const others = c.target.hosts.filter((h) => h !== host);
    for (const h of others) await nova.disable(await service(nova, h), 'instance-ha: live contract, no valid host');
    try {
      expect(String(await nova.liveMigrate(id))).toBe('2.93');
      expect(await settled(nova, id)).toMatchObject({ status: 'ACTIVE', host });
      for (const t0 = Date.now(); ; await sleep(300)) {
        const newest = (await nova.migrations({ host: host as string, type: 'live-migration', since: m.since })).find((x) => x.instanceUuid === id);
        if (newest?.status === 'error') break;
        if (Date.now() - t0 > 30_000) throw new Error(`the refused live migration is ${newest?.status}, not error`);
      }
    } finally {
      for (const h of others) await nova.enable(await service(nova, h));
    }
  } },
];

/** Polls the server until its task is done (ERROR or 120 s: an error). */
async function settled(nova: Nova, id: string): Promise<NovaServer> {
  for (const t0 = Date.now(); ; await sleep(300)) {
    const s = await nova.server(id);
    if (s.taskState === null && s.status !== 'MIGRATING') return s;
    if (s.status === 'ERROR' || Date.now() - t0 > 120_000) throw new Error(`${id}: ${s.status}/${s.taskState} on ${s.host}`);
  }
}

async function refused(call: Promise<unknown>, status: number, message: string): Promise<void> {
  const e = await call.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(HttpError);
  expect([(e as HttpError).status, (e as HttpError).message]).toEqual([status, expect.stringContaining(message)]);
}

async function service(nova: Nova, host: string): Promise<NovaService> {
  const [s] = await nova.services(host);
  return s ?? fail(`no nova-compute service on ${host}`);
}

function fail(message: string): never {
  throw new Error(message);
}
