import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from './index.ts';
import type { Simulator } from './index.ts';
import { nova, sleep, waitFor } from './test-client.ts';

// os-migrateLive as the real Zed answers it (test/fixtures/openstack-zed/nova-server-live-migrate-*.json).
describe('simulated live migration', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ liveMigrationMs: 200 });
    for (const h of ['compute-0', 'compute-1', 'compute-2']) sim.model.addCompute(h);
  });
  afterEach(() => sim.stop());

  const live = (id: string, mv: string, body: unknown) => nova(sim, 'POST', `/servers/${id}/action`, { mv, body: { 'os-migrateLive': body } });
  const auto = { host: null, block_migration: 'auto' };
  const show = async (id: string, mv = '2.93') => (await nova(sim, 'GET', `/servers/${id}`, { mv })).body.server;
  const migrations = async (id: string, mv = '2.93') => (await nova(sim, 'GET', `/os-migrations?instance_uuid=${id}`, { mv })).body.migrations;
  const settled = (id: string) => waitFor(async () => {
    const s = await show(id);
    return s['OS-EXT-STS:task_state'] === null ? s : undefined;
  });
  const message = (r: { body: Record<string, { message: string }> }) => Object.values(r.body)[0]?.message;

  it('validates the body per microversion with Nova\'s words', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    expect(message(await live(s.id, '2.93', { block_migration: 'auto' })))
      .toBe("Invalid input for field/attribute os-migrateLive. Value: {'block_migration': 'auto'}. 'host' is a required property");
    expect(message(await live(s.id, '2.25', { host: null, block_migration: 'auto', disk_over_commit: false })))
      .toBe("Invalid input for field/attribute os-migrateLive. Value: {'host': None, 'block_migration': 'auto', 'disk_over_commit': False}. "
        + "Additional properties are not allowed ('disk_over_commit' was unexpected)");
    expect(message(await live(s.id, '2.68', { host: 'compute-1', block_migration: 'auto', force: true })))
      .toContain("Additional properties are not allowed ('force' was unexpected)");
    expect(message(await live(s.id, '2.30', { host: null, block_migration: 'auto', force: true }))).toBe("Can't force to a non-provided destination");
    expect(message(await live(s.id, '2.1', { host: null, block_migration: 'auto', disk_over_commit: false })))
      .toMatch(/^Invalid input for field\/attribute block_migration\. Value: auto\. 'auto' is not one of \[True, .*'no'\]$/);
    expect(message(await live(s.id, '2.93', { host: null, block_migration: 'maybe' }))).toMatch(/'maybe' is not one of \[True, .*'no', 'auto'\]$/);
    expect(message(await live(s.id, '2.93', { host: 7, block_migration: 'auto' }))).toContain("7 is not of type 'string', 'null'");
    const unknownHost = await live(s.id, '2.93', { host: 'nope', block_migration: 'auto' });
    expect([unknownHost.status, message(unknownHost), unknownHost.headers.get('content-type')])
      .toEqual([400, 'Compute host nope could not be found.', 'application/json; charset=UTF-8']);
    expect((await live('00000000-0000-4000-8000-000000000000', '2.93', auto)).status).toBe(404);
    const demo = await nova(sim, 'POST', `/servers/${s.id}/action`, { mv: '2.93', token: sim.token('demo', 'demo'), body: { 'os-migrateLive': auto } });
    expect([demo.status, message(demo)]).toEqual([403, "Policy doesn't allow os_compute_api:os-migrate-server:migrate_live to be performed."]);
    expect(s.taskState).toBeNull();
    expect(sim.model.migrations.size).toBe(0);
  });

  it('refuses a server that is not ACTIVE or PAUSED, or has a task, with 409', async () => {
    const stopped = sim.model.addServer({ host: 'compute-0', status: 'SHUTOFF' });
    const r = await live(stopped.id, '2.93', auto);
    expect([r.status, message(r)]).toEqual([409, `Cannot 'os-migrateLive' instance ${stopped.id} while it is in vm_state stopped`]);
    const s = sim.model.addServer({ host: 'compute-0' });
    expect((await live(s.id, '2.93', auto)).status).toBe(202);
    const again = await live(s.id, '2.93', auto);
    expect([again.status, message(again)]).toEqual([409, `Cannot 'os-migrateLive' instance ${s.id} while it is in task_state migrating`]);
    const evacuating = sim.model.addServer({ host: 'compute-0', status: 'REBUILD' });
    expect(message(await live(evacuating.id, '2.93', auto))).toContain('while it is in task_state rebuilding');
  });

  it('migrates after a 202: MIGRATING on the source, then on the new host, the migration queued..running..completed', async () => {
    sim.settings.liveMigrationMs = 1500; // every state lasts long enough to be seen under load
    const s = sim.model.addServer({ host: 'compute-0' });
    const r = await live(s.id, '2.93', auto);
    expect([r.status, r.text, r.headers.get('content-type'), r.headers.get('openstack-api-version')])
      .toEqual([202, '', 'application/json', 'compute 2.93']);
    expect(await show(s.id)).toMatchObject({ status: 'MIGRATING', 'OS-EXT-STS:task_state': 'migrating', 'OS-EXT-SRV-ATTR:host': 'compute-0' });
    expect((await migrations(s.id))[0]).toMatchObject({ status: 'accepted', migration_type: 'live-migration', source_compute: 'compute-0',
      dest_compute: null, dest_host: null });
    const seen = new Set<string>();
    await waitFor(async () => {
      const [v, [m]] = await Promise.all([show(s.id), migrations(s.id)]);
      seen.add(`${v.status}/${v['OS-EXT-SRV-ATTR:host']} ${m.status}${m.links ? ' links' : ''}`);
      return m.status === 'completed' ? true : undefined;
    });
    expect([...seen]).toEqual(expect.arrayContaining(['MIGRATING/compute-0 queued links', 'MIGRATING/compute-0 running links',
      'ACTIVE/compute-1 running links', 'ACTIVE/compute-1 completed']));
    const [done] = await migrations(s.id);
    expect(done).toMatchObject({ source_node: 'compute-0', dest_compute: 'compute-1', dest_node: 'compute-1', dest_host: null, old_instance_type_id: 1 });
    expect(done.links).toBeUndefined();
    expect(s).toMatchObject({ host: 'compute-1', node: 'compute-1', vmState: 'active', taskState: null });
  });

  it('shows the links of a live migration in progress from 2.23 only, and migration_type from 2.23', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    await live(s.id, '2.93', auto);
    await waitFor(() => ([...sim.model.migrations.values()][0]?.status === 'running' ? true : undefined));
    const [at223] = await migrations(s.id, '2.23');
    expect(at223.links).toEqual([
      { rel: 'self', href: `${sim.baseUrl}/compute/v2.1/servers/${s.id}/migrations/${at223.id}` },
      { rel: 'bookmark', href: `${sim.baseUrl}/compute/servers/${s.id}/migrations/${at223.id}` }]);
    const [at21] = await migrations(s.id, '2.1');
    expect([at21.links, at21.migration_type]).toEqual([undefined, undefined]);
  });

  it('keeps a PAUSED server paused on its new host', async () => {
    const s = sim.model.addServer({ host: 'compute-0', status: 'PAUSED' });
    expect((await live(s.id, '2.93', auto)).status).toBe(202);
    expect((await show(s.id)).status).toBe('MIGRATING');
    const end = await waitFor(async () => { const v = await show(s.id); return v['OS-EXT-SRV-ATTR:host'] !== 'compute-0' ? v : undefined; });
    expect(end).toMatchObject({ status: 'PAUSED', 'OS-EXT-STS:task_state': null });
  });

  it('from 2.34, accepts what the conductor then refuses: the migration `error`, the server ACTIVE where it was', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    // the source as target (the scheduler ignores the source), a disabled target, no host left
    sim.model.disable('compute-2');
    for (const body of [{ host: 'compute-0', block_migration: 'auto' }, { host: 'compute-2', block_migration: 'auto' }]) {
      expect((await live(s.id, '2.93', body)).status).toBe(202);
      expect((await show(s.id)).status).toBe('MIGRATING');
      expect(await settled(s.id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'compute-0' });
    }
    sim.model.disable('compute-1');
    expect((await live(s.id, '2.93', auto)).status).toBe(202);
    expect(await settled(s.id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'compute-0' });
    expect((await migrations(s.id)).map((m: { status: string; dest_compute: string | null }) => [m.status, m.dest_compute]))
      .toEqual([['error', null], ['error', null], ['error', null]]);
    expect(sim.liveMigrations.inFlight).toBe(0);
  });

  it('below 2.34, answers the conductor\'s refusals with a 400; a named host is forced below 2.30 and with force', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    const self = await live(s.id, '2.30', { host: 'compute-0', block_migration: 'auto', force: true });
    expect([self.status, message(self)]).toEqual([400, `Unable to migrate instance (${s.id}) to current host (compute-0).`]);
    expect(message(await live(s.id, '2.25', { host: 'compute-0', block_migration: false }))).toBe(`Unable to migrate instance (${s.id}) to current host (compute-0).`);
    sim.model.disable('compute-1');
    sim.model.disable('compute-2');
    const none = await live(s.id, '2.33', auto);
    expect([none.status, message(none)]).toEqual([400, 'No valid host was found. There are not enough hosts available.']);
    expect(message(await live(s.id, '2.30', { host: 'compute-0', block_migration: 'auto' }))).toMatch(/^No valid host/);
    expect(s.taskState).toBeNull();
    expect((await migrations(s.id)).map((m: { status: string }) => m.status)).toEqual(['error', 'error', 'error', 'error']);
    // forced (2.25: a named host skips the scheduler): a disabled target is accepted
    expect((await live(s.id, '2.25', { host: 'compute-2', block_migration: false })).status).toBe(202);
    expect(await waitFor(async () => { const v = await show(s.id); return v['OS-EXT-SRV-ATTR:host'] === 'compute-2' ? v : undefined; }))
      .toMatchObject({ status: 'ACTIVE' });
    sim.model.crash('compute-1');
    sim.model.forceDown('compute-1');
    expect(message(await live(s.id, '2.1', { host: 'compute-1', block_migration: false, disk_over_commit: false })))
      .toBe('Compute service of compute-1 is unavailable at this time.');
  });

  it('spreads concurrent live migrations and lets outcomes be set per server or destination', async () => {
    const servers = Array.from({ length: 4 }, () => sim.model.addServer({ host: 'compute-0' }));
    await Promise.all(servers.map((s) => live(s.id, '2.93', auto)));
    await waitFor(() => (servers.every((s) => s.host !== 'compute-0' && s.taskState === null) ? true : undefined));
    expect(servers.map((s) => s.host).sort()).toEqual(['compute-1', 'compute-1', 'compute-2', 'compute-2']);

    const failing = sim.model.addServer({ host: 'compute-0' });
    const stuck = sim.model.addServer({ host: 'compute-0' });
    sim.liveMigrations.outcomes.set(failing.id, 'fail');
    sim.liveMigrations.outcomes.set('compute-1', 'hang');
    sim.model.disable('compute-2');
    await live(failing.id, '2.93', auto);
    await live(stuck.id, '2.93', auto);
    expect(await settled(failing.id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'compute-0' });
    expect((await migrations(failing.id))[0]).toMatchObject({ status: 'failed', dest_compute: 'compute-1' });
    await sleep(400);
    expect(await show(stuck.id)).toMatchObject({ status: 'MIGRATING', 'OS-EXT-SRV-ATTR:host': 'compute-0' });
    expect((await migrations(stuck.id))[0].status).toBe('running');
    expect(sim.liveMigrations.inFlight).toBe(1);
  });

  it('takes settings.liveMigrationMs, changed while running', async () => {
    sim.settings.liveMigrationMs = 600;
    const s = sim.model.addServer({ host: 'compute-0' });
    const t0 = Date.now();
    await live(s.id, '2.93', auto);
    await waitFor(() => ([...sim.model.migrations.values()][0]?.status === 'completed' ? true : undefined));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
  });

  it('faults can pick live migrations out of the server actions by request body', async () => {
    const s = sim.model.addServer({ host: 'compute-0' });
    const rule = sim.faults.add({ kind: 'status', status: 503, method: 'POST', path: /\/action$/, requestBody: /os-migrateLive/, count: 1 });
    expect((await nova(sim, 'POST', `/servers/${s.id}/action`, { mv: '2.93', body: { evacuate: {} } })).status).toBe(400); // compute-0 is up
    expect((await live(s.id, '2.93', auto)).status).toBe(503);
    expect(rule.hits).toBe(1);
    expect(s.taskState).toBeNull();
    // holdAnswer: Nova took it, the client never hears back
    sim.faults.add({ kind: 'holdAnswer', requestBody: /os-migrateLive/, ms: 5000 });
    const held = nova(sim, 'POST', `/servers/${s.id}/action`, { mv: '2.93', body: { 'os-migrateLive': auto }, timeoutMs: 300 });
    await expect(held).rejects.toThrow(/timeout|aborted/i);
    expect([...sim.model.migrations.values()].map((m) => [m.instanceUuid, m.migrationType])).toEqual([[s.id, 'live-migration']]);
  });
});
