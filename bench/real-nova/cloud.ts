// The real cloud's state around one benchmark run: N servers booted on one compute, that
// compute's nova-compute killed and started again, Nova's own view polled, and everything put
// back between runs (test/openstack-real must be up).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { sleep } from '../../lib/time.ts';
import { fileURLToPath } from 'node:url';
import type { Nova, Server, Service } from './nova.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PREFIX = 'ihaa-bench-';
/** What start.sh's seed step creates: every server is evacuable by image tag and flavor spec. */
const IMAGE = 'ihaa-seed-evacuable';
const FLAVOR = 'ihaa-seed.evacuable';

export function computeSh(action: 'start' | 'kill', host: string): void {
  execFileSync('bash', [join(ROOT, 'test', 'openstack-real', 'compute.sh'), action, host], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timeout (${timeoutMs / 1000} s) waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** N servers on `host` (one multi-create request, forced there by availability zone), all ACTIVE. */
export async function bootOn(nova: Nova, host: string, n: number): Promise<string[]> {
  const [imageRef, flavorRef] = await Promise.all([nova.imageId(IMAGE), nova.flavorId(FLAVOR)]);
  await nova.must('POST', '/servers', { server: { name: `${PREFIX}vm`, imageRef, flavorRef, networks: 'none',
    availability_zone: `nova:${host}`, min_count: n, max_count: n } });
  return waitFor(`${n} servers ACTIVE on ${host}`, 300_000, async () => {
    const s = await nova.servers(PREFIX);
    if (s.some((x) => x.status === 'ERROR')) throw new Error(`boot: ${s.filter((x) => x.status === 'ERROR').length} servers in ERROR`);
    return s.length === n && s.every((x) => x.status === 'ACTIVE' && x.host === host && !x.taskState) ? s.map((x) => x.id) : undefined;
  }, 1000);
}

export const isBack = (s: Service) => s.state === 'up' && s.status === 'enabled' && !s.forcedDown;

/**
 * Back to a clean cloud: the host's nova-compute running, its evacuation records completed (Nova
 * refuses to unset force-down before), no benchmark servers, the service up, enabled, not forced down.
 */
export async function reset(nova: Nova, host: string): Promise<void> {
  computeSh('start', host);
  await waitFor(`evacuations from ${host} completed`, 180_000, async () => ((await nova.openEvacuations(host)) === 0 ? true : undefined), 1000);
  for (const s of await nova.servers(PREFIX)) await nova.call('DELETE', `/servers/${s.id}`);
  await waitFor('benchmark servers deleted', 180_000, async () => ((await nova.servers(PREFIX)).length === 0 ? true : undefined), 1000);
  const svc = await nova.service(host);
  if (svc.forcedDown) await nova.must('PUT', `/os-services/${svc.id}`, { forced_down: false });
  if (svc.status !== 'enabled') await nova.must('PUT', `/os-services/${svc.id}`, { status: 'enabled' });
  await waitFor(`${host} up, enabled, not forced down`, 180_000, async () => (isBack(await nova.service(host)) ? true : undefined), 1000);
}

/** Milestones in Nova's own view, ms after t0 (the kill). */
export interface Seen { allAccepted?: number; allActiveElsewhere?: number }

/**
 * Polls the servers as Nova shows them (all_tenants, admin) until every one is ACTIVE on another
 * host. An evacuation is "accepted" once Nova has the request: the API sets task_state
 * `rebuilding` before it answers, and the host changes when the rebuild lands.
 */
export async function watchEvacuation(nova: Nova, host: string, ids: readonly string[], t0: number, timeoutMs = 600_000): Promise<Required<Seen>> {
  const seen: Seen = {};
  const want = new Set(ids);
  await waitFor('all ACTIVE elsewhere', timeoutMs, async () => {
    const mine = (await nova.servers(PREFIX)).filter((s) => want.has(s.id));
    const now = Date.now() - t0;
    const moved = (s: Server) => s.host !== null && s.host !== host;
    if (mine.some((s) => s.status === 'ERROR')) throw new Error(`evacuation: ${mine.filter((s) => s.status === 'ERROR').length} servers in ERROR`);
    if (seen.allAccepted === undefined && mine.length === want.size && mine.every((s) => moved(s) || s.taskState !== null)) seen.allAccepted = now;
    if (mine.length === want.size && mine.every((s) => moved(s) && s.status === 'ACTIVE' && s.taskState === null)) {
      seen.allActiveElsewhere = now;
      seen.allAccepted ??= now;
    }
    return seen.allActiveElsewhere === undefined ? undefined : true;
  }, 200);
  return seen as Required<Seen>;
}
