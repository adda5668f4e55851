import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../lib/http.ts';
import { Keystone } from '../../lib/openstack/keystone.ts';
import { Nova, type NovaServer, type NovaService } from '../../lib/openstack/nova.ts';
import { ServiceEndpoint } from '../../lib/openstack/service.ts';
import { Attrd } from '../../lib/pacemaker/attrd.ts';
import { Ledger } from '../../lib/pacemaker/ledger.ts';
import { runAgent, type Run } from '../helpers/run.ts';
import { realTarget, simulatorTarget, sleep, type LiveTarget } from './live/targets.ts';

// `instance-ha maintenance start|end` (issue 17), the built command, against the simulator and
// the real Keystone + Nova (Zed, fake driver) of test/openstack-real: the live migrations are
// Nova's own. Its ledger is the local test cluster's CIB (started by the global setup). The
// cloud's computes are not Pacemaker nodes: `start` says so and leaves the node to the operator
// (the cluster half, a pacemaker_remote node taken out and back, runs in the e2e suite).

const TARGETS: Record<string, () => Promise<LiveTarget>> = { simulator: () => simulatorTarget(), real: realTarget };
const chosen = (process.env.IHA_OPENSTACK_TARGETS ?? 'simulator,real').split(',');
const ledger = new Ledger();
const attrd = new Attrd();
const N = 8;
const REASON = /^instance-ha-maintenance: live suite \(by .+, \d{4}-\d\d-\d\dT[\d:.]+Z\)$/;

for (const name of chosen) {
  describe(`instance-ha maintenance, ${name} cloud`, () => {
    let t: LiveTarget;
    let nova: Nova;
    let host: string;
    const booted: string[] = [];
    // credentials in the environment only, never in argv
    const iha = (args: string[]): Promise<Run> => runAgent('instance-ha', args, { timeoutMs: 300_000, env: {
      PATH: process.env.PATH ?? '', OS_AUTH_URL: `${t.identityRoot}/v3`, OS_USERNAME: t.username, OS_PASSWORD: t.password,
      OS_PROJECT_NAME: t.project, OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default', OS_INTERFACE: 'public' } });
    const timed = async (args: string[]) => { const t0 = performance.now(); const r = await iha(args); return { ...r, s: (performance.now() - t0) / 1000 }; };
    const boot = async (n: number, tag: string) => {
      const ids = await t.boot(host, Array.from({ length: n }, (_, i) => ({ name: `ihaa-mnt-${tag}-${i}`, image: 'ihaa-seed-plain', flavor: 'ihaa-seed.plain' })));
      booted.push(...ids);
      return ids;
    };
    const service = async (h = host): Promise<NovaService> => (await nova.services(h))[0] ?? fail(`no nova-compute on ${h}`);
    const servers = (ids: string[]) => Promise.all(ids.map((id) => nova.server(id)));
    /** The host as no maintenance left it: enabled, no ledger entry, nothing remembered (a failed test must not fail the next). */
    const reset = async () => {
      const s = await service();
      if (s.status === 'disabled' && (s.disabledReason ?? '').startsWith('instance-ha-maintenance:')) await nova.enable(s);
      await ledger.remove(host);
      await ledger.setMovedAway(host, []);
    };

    beforeAll(async () => {
      t = await TARGETS[name]!();
      host = t.hosts[0] ?? fail('no compute');
      const keystone = new Keystone({ authUrl: t.identityRoot, username: t.username, password: t.password, projectName: t.project,
        userDomainName: 'Default', projectDomainName: 'Default', interface: 'public', insecure: false, timeoutMs: 30_000 }, new HttpClient({ timeoutMs: 30_000 }));
      nova = new Nova(new ServiceEndpoint(keystone, 'compute'));
      // The live contract suite may have run just before on the same cloud (compute1 killed and
      // restarted there, its servers being deleted): every compute up and enabled, this one empty.
      await until(60_000, `every compute up and enabled, ${host} empty`, async () => {
        const all = await nova.services();
        return all.length === t.hosts.length && all.every((s) => s.state === 'up' && s.status === 'enabled') && (await nova.serversOnHost(host)).length === 0;
      });
    }, 120_000);
    beforeEach(() => reset());

    afterAll(async () => {
      if (!t) return;
      await removeServers(nova, t, booted).catch(() => undefined);
      await reset();
      await t.stop();
    }, 120_000);

    it(`start live-migrates ${N} instances off (exit 0, disabled with the reason, ledger maintenance); end --return-instances enables it and brings them back`, async () => {
      const ids = await boot(N, 'drain');
      expect((await servers(ids)).map((s) => [s.status, s.host])).toEqual(ids.map(() => ['ACTIVE', host]));

      const start = await timed(['maintenance', 'start', host, '--reason', 'live suite']);
      expect(start.code, start.stdout + start.stderr).toBe(0);
      // not a terminal here: one line per instance
      for (const id of ids) expect(start.stdout).toMatch(new RegExp(`^${id}: done: ACTIVE on (?!${host}\\b)\\S+$`, 'm'));
      expect(start.stdout).toContain(`${host}: disabled in Nova, NovaEvacuate holds it`);
      expect(start.stdout).toContain(`${host}: empty; not a pacemaker_remote node of this cluster`);
      const away = await servers(ids);
      for (const s of away) expect(s, s.name).toMatchObject({ status: 'ACTIVE', taskState: null, host: expect.not.stringMatching(`^${host}$`) });
      for (const s of away) expect(t.hosts).toContain(s.host);
      expect(await nova.serversOnHost(host)).toEqual([]);
      expect(await service()).toMatchObject({ status: 'disabled', state: 'up', disabledReason: expect.stringMatching(REASON) });
      expect(await ledger.get(host)).toMatchObject({ phase: 'maintenance' });
      expect((await ledger.movedAway(host)).sort()).toEqual([...ids].sort());
      // Nova kept a live-migration record for each, completed
      const migrations = (await nova.migrations({ host, type: 'live-migration', since: new Date(Date.now() - 600_000) })).filter((m) => ids.includes(m.instanceUuid));
      expect(new Set(migrations.filter((m) => m.status === 'completed').map((m) => m.instanceUuid)).size).toBe(N);

      const end = await timed(['maintenance', 'end', host, '--return-instances']);
      expect(end.code, end.stdout + end.stderr).toBe(0);
      expect(end.stdout).toContain(`${host}: enabled, back in service`);
      expect(end.stdout).toContain(`${host}: ${N} instance(s) back`);
      expect(await service()).toMatchObject({ status: 'enabled', state: 'up' });
      for (const s of await servers(ids)) expect(s, s.name).toMatchObject({ status: 'ACTIVE', taskState: null, host });
      expect(await ledger.get(host)).toMatchObject({ phase: 'done' });
      expect(await ledger.movedAway(host)).toEqual([]);
      console.log(`${name}: maintenance start (${N} instances live-migrated off) ${start.s.toFixed(1)} s, end --return-instances ${end.s.toFixed(1)} s`);
      await removeServers(nova, t, ids);
    }, 300_000);

    it('a SHUTOFF instance cannot move live: listed with the reason, exit 4, the rest moved, the host stays in maintenance; end enables it', async () => {
      const [on, off] = await boot(2, 'shutoff');
      await t.stopServer(off!);
      // what left the host in an earlier maintenance (ended without returning it) is not this one's
      await ledger.set({ host, phase: 'done', since: Date.now() / 1000 - 86_400, by: 'an earlier maintenance' });
      await ledger.setMovedAway(host, ['0d1e2a3d-0000-4000-8000-000000000000']);
      const start = await iha(['maintenance', 'start', host, '--reason', 'live suite']);
      expect(start.code, start.stdout + start.stderr).toBe(4);
      expect(start.stdout).toContain(`${host}: not empty; 1 instance(s) left:`);
      expect(start.stdout).toMatch(new RegExp(`^  ${off} ihaa-mnt-shutoff-1 \\(SHUTOFF\\): Nova cannot live-migrate a SHUTOFF instance$`, 'm'));
      expect(start.stdout).not.toContain('not a pacemaker_remote node'); // the node stays in
      const [moved, stayed] = await servers([on!, off!]) as [NovaServer, NovaServer];
      expect(moved).toMatchObject({ status: 'ACTIVE', taskState: null, host: expect.not.stringMatching(`^${host}$`) });
      expect(stayed).toMatchObject({ status: 'SHUTOFF', host });
      expect(await service()).toMatchObject({ status: 'disabled', disabledReason: expect.stringMatching(REASON) });
      expect(await ledger.get(host)).toMatchObject({ phase: 'maintenance' });
      expect(await ledger.movedAway(host)).toEqual([on]);

      const end = await iha(['maintenance', 'end', host]);
      expect(end.code, end.stdout + end.stderr).toBe(0);
      expect(await service()).toMatchObject({ status: 'enabled' });
      expect(await ledger.get(host)).toMatchObject({ phase: 'done' });
      expect(await ledger.movedAway(host)).toEqual([]); // not returned: nothing owed to the host any more
      expect((await nova.server(on!)).host).not.toBe(host);
    }, 300_000);

    it('evacuate --host-is-off: refused while Nova shows the host up (exit 5, nothing changed); once its nova-compute is dead: forced down, disabled with the reason, marked, ledger pending', async () => {
      const args = ['evacuate', host, '--host-is-off', '--reason', 'live suite: BMC dead'];
      try {
        const refused = await iha(args);
        expect(refused.code, refused.stdout + refused.stderr).toBe(5);
        expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^instance-ha: ${host}: Nova shows its nova-compute up `))]);
        expect(await service()).toMatchObject({ status: 'enabled', forcedDown: false });
        expect(await attrd.query('evacuate', host)).toBeUndefined();

        await t.crash(host);
        // Nova calls a service down once it missed reports for service_down_time (60 s by default)
        await until(120_000, `Nova shows ${host} down`, async () => (await service()).state === 'down');
        const r = await iha(args);
        expect(r.code, r.stdout + r.stderr).toBe(0);
        expect(await service()).toMatchObject({ forcedDown: true, status: 'disabled', disabledReason: expect.stringMatching(/^instance-ha: host-is-off confirmed by /) });
        expect(await attrd.query('evacuate', host)).toBe('yes');
        expect(await ledger.get(host)).toMatchObject({ phase: 'pending', by: expect.stringMatching(/^host-is-off:/) });
      } finally {
        await attrd.remove('evacuate', { node: host, private: true }).catch(() => undefined);
        await t.restart(host);
        const s = await service();
        if (s.forcedDown) await nova.setForcedDown(s, false);
        if (s.status === 'disabled') await nova.enable(s);
        await until(120_000, `${host} up again`, async () => (await service()).state === 'up');
        await reset();
      }
    }, 360_000);
  });
}

/** Deletes servers and waits until Nova no longer has them (the next test drains the host). */
async function removeServers(nova: Nova, t: LiveTarget, ids: string[]): Promise<void> {
  await t.deleteServers(ids);
  await until(60_000, `servers deleted: ${ids.join(' ')}`, async () => (await Promise.all(ids.map((id) => nova.findServer(id)))).every((s) => s === undefined));
}

async function until(ms: number, what: string, ok: () => Promise<boolean>): Promise<void> {
  for (const t0 = Date.now(); !(await ok()); await sleep(500)) if (Date.now() - t0 > ms) throw new Error(`not within ${ms / 1000} s: ${what}`);
}

function fail(message: string): never {
  throw new Error(message);
}
