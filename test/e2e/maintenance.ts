// Planned maintenance, as the operations guide describes it and `instance-ha` does it (issue 17):
// `maintenance start` disables the host with a reason, holds NovaEvacuate for it, live-migrates
// every instance off and takes the pacemaker_remote node out of the cluster; the operator then
// powers the host off at its BMC (ipmitool) — which must look like no failure at all: nothing
// fenced, nothing marked, nothing evacuated; powers it on; `maintenance end --return-instances`
// brings the node back, enables the service once nova-compute is up and live-migrates the
// instances back. Used by the e2e suite and by the demo (`scripts/demo.sh --maintenance`).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootEvacuable } from './scenario1.ts';
import { isBroken } from './breaks.ts';
import { clock, evacuateMark, freshSimState, fenceHistory, HERE, hostState, online, pacemakerTime, setTargetRole, simState, sleep, startedOn, STATE } from './cluster-ops.ts';

export interface MaintenanceResult {
  steps: Record<string, number>;
  startExit: number;
  endExit: number;
  /** Instances on the host before, and where each was while the host was off. */
  instances: string[];
  awayOn: Record<string, string>;
  /** What the cluster and NovaEvacuate did about the host while it was off. */
  phaseWhileOff: string | undefined;
  markWhileOff: string | undefined;
  serviceWhileOff: { alive: boolean; forcedDown: boolean; disabled: boolean } | undefined;
  /** Fencing actions against the host during the whole cycle (unfencing `on` included). */
  fencings: { action: string; status: string }[];
}

/** The testbed's cloud, for the operator's command (the OS_* variables the openstack client reads). */
function cloudEnv(): NodeJS.ProcessEnv {
  const sim = JSON.parse(readFileSync(join(STATE, 'sim.json'), 'utf8')) as { authUrl: string };
  const password = process.env.IHA_E2E_OPENSTACK === 'real'
    ? readFileSync(join(process.env.IHAA_OS_STATE ?? '/tmp/ihaa-openstack', 'secrets', 'admin'), 'utf8').trim() : 'admin-pw';
  return { ...process.env, OS_AUTH_URL: sim.authUrl, OS_USERNAME: 'admin', OS_PASSWORD: password, OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default', OS_INTERFACE: 'public' };
}

/** `instance-ha ARGS…` narrated line by line; its exit code. */
function instanceHa(say: (line: string) => void, args: string[]): number {
  say(`$ instance-ha ${args.join(' ')}`);
  try {
    const out = execFileSync('instance-ha', args, { encoding: 'utf8', env: cloudEnv(), timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const l of out.trimEnd().split('\n')) say(`  ${l}`);
    return 0;
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    for (const l of `${err.stdout ?? ''}${err.stderr ?? ''}`.trimEnd().split('\n')) say(`  ${l}`);
    return err.status ?? 1;
  }
}

/** The BMC's chassis power, as an operator sets it (the password in IPMI_PASSWORD, not in argv). */
function ipmiPower(host: string, state: 'on' | 'off'): void {
  const port = 6230 + Number(host.split('-').pop());
  execFileSync('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-E', 'chassis', 'power', state],
    { env: { ...process.env, IPMI_PASSWORD: 'e2e-ipmi-secret' }, timeout: 30_000, stdio: 'ignore' });
}

const powered = (host: string) => { try { execFileSync('bash', [join(HERE, 'node.sh'), 'status', host], { stdio: 'ignore' }); return true; } catch { return false; } };
const serviceOf = (host: string) => simState().services.find((s) => s.host === host);

export async function runMaintenance(say: (line: string) => void, host = 'compute-1', offForMs = 30_000, timeoutMs = 600_000): Promise<MaintenanceResult> {
  const c = clock('maintenance', say, timeoutMs);
  const from = c.t0 - 1000;
  if (simState().servers.filter((s) => s.host === host && s.status === 'ACTIVE').length < 3) await bootEvacuable(host, 3);
  const instances = simState().servers.filter((s) => s.host === host).map((s) => s.id);
  say(`${host} runs ${instances.length} instances`);

  const startExit = instanceHa(say, ['maintenance', 'start', host, '--reason', 'e2e: firmware update']);
  c.mark('drained', `maintenance start exited ${startExit}`);
  const now = await freshSimState();
  const awayOn = Object.fromEntries(instances.map((id) => [id, now.servers.find((s) => s.id === id)?.host ?? '?']));
  await c.until('out_of_cluster', `${host} is out of the cluster (its remote connection stopped)`, () => !online(host), 120_000);
  if (isBroken('maintenance')) { // the break: the node back in the cluster, then powered off: a failure the cluster must fence
    setTargetRole(host, 'Started');
    await c.until('back_in_cluster', `(break) ${host} back in the cluster before its power-off`, () => online(host), 120_000);
  }

  ipmiPower(host, 'off');
  await c.until('powered_off', `${host} powered off at its BMC (ipmitool chassis power off)`, () => !powered(host), 30_000);
  // Longer than the remote connection's monitor (5 s) and reconnect interval (10 s): a failure would show by now.
  await sleep(offForMs);
  const phaseWhileOff = hostState(host)?.phase;
  const markWhileOff = evacuateMark(host);
  const serviceWhileOff = serviceOf(host);
  c.mark('held', `after ${offForMs / 1000} s off: instance-ha status says ${phaseWhileOff}, evacuate mark ${markWhileOff || 'none'}, `
    + `Nova ${serviceWhileOff?.disabled ? 'disabled' : 'enabled'}${serviceWhileOff?.forcedDown ? ', forced down' : ''}`);

  ipmiPower(host, 'on');
  await c.until('powered_on', `${host} powered on at its BMC`, () => powered(host), 30_000);
  const endExit = instanceHa(say, ['maintenance', 'end', host, '--return-instances']);
  c.mark('ended', `maintenance end --return-instances exited ${endExit}`);
  await c.until('in_service', `${host} back: online, nova-compute started, enabled, not forced down`, () => online(host)
    && startedOn('nova-compute', host) && !!serviceOf(host)?.alive && !serviceOf(host)?.disabled && !serviceOf(host)?.forcedDown, 120_000);
  const fencings = fenceHistory(host).filter((e) => pacemakerTime(e.completed) >= from).map(({ action, status }) => ({ action, status }));
  return { steps: c.steps, startExit, endExit, instances, awayOn, phaseWhileOff, markWhileOff, serviceWhileOff, fencings };
}
