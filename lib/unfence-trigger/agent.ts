import { hostname } from 'node:os';
import type { OcfAgent, OcfContext } from '../ocf/agent.ts';
import { OCF, OcfError, type OcfCode } from '../ocf/exit-codes.ts';
import { connectOpenStack } from '../openstack/connect.ts';
import { guessNovaHost, HostResolutionError, resolveService, type HostNaming } from '../host-names.ts';
import type { NovaService } from '../openstack/nova.ts';
import { validateHostMap, validateOpenstackParams } from '../openstack/validate.ts';
import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger } from '../pacemaker/ledger.ts';
import { checkReturn, decideReturn, recordNoAsDone } from '../return/return-check.ts';
import { EVACUATE_ATTR } from '../pacemaker/marks.ts';
import { novaService, restoreService, unsetForcedDown, waitForEvacuation, type WayBackDeps } from '../return/way-back.ts';
import { binaryProblems } from '../ocf/binaries.ts';
import { sleep, withDeadline } from '../time.ts';
import { VERSION } from '../version.ts';
import { unfenceTriggerParams } from './params.ts';

// ocf:openstack:compute-unfence-trigger, a clone on the compute nodes with meta
// requires=unfencing: it starts only after Pacemaker unfenced the node, and its start succeeds
// only once the node's evacuation is finished — so services ordered after it (nova-compute)
// never start on a node whose instances are still being rebuilt elsewhere.

const START_MARGIN_MS = 3000;

type Context = OcfContext<typeof unfenceTriggerParams>;

function hasCredentials(ctx: Context): boolean {
  const v = ctx.values;
  return Boolean(v.auth_url || v.cloud || ctx.env.OS_AUTH_URL || ctx.env.OS_CLOUD);
}

/** This node as Pacemaker names it: the node the operation runs on. */
function nodeName(ctx: Context): string {
  return ctx.env.OCF_RESKEY_CRM_meta_on_node || hostname();
}

/** Without Nova: host_map, else short name + domain, else a ledger entry with the same short name. */
async function novaHostWithoutNova(ctx: Context, node: string, ledger: Ledger): Promise<string> {
  return guessNovaHost(node, naming(ctx), (await ledger.all()).map((e) => e.host));
}

function naming(ctx: Context): HostNaming {
  return { hostMap: ctx.values.host_map, domain: ctx.values.domain };
}

function connect(ctx: Context) {
  return connectOpenStack(ctx.values, ctx.given, ctx.env, ctx.log);
}

/** The node's Nova host; undefined for a node Nova does not know yet (a new compute registers once its nova-compute starts). */
async function knownNovaHost(ctx: Context, node: string, services: NovaService[]): Promise<string | undefined> {
  try {
    return resolveService(node, naming(ctx), services).host;
  } catch (e) {
    if (!(e instanceof HostResolutionError)) throw e;
    ctx.log.info(`${node}: ${e.message}: only the cluster's marks can owe it an evacuation`);
    return undefined;
  }
}

/** Without Nova's view: until the ledger and the mark say nothing is owed (return-check.ts). */
async function waitOnMarks(ctx: Context, host: string, pcmk: { attrd: Attrd; ledger: Ledger }, deadline: number, pollMs: number): Promise<void> {
  for (let last = '';;) {
    const [entry, mark] = await Promise.all([pcmk.ledger.get(host), pcmk.attrd.query(EVACUATE_ATTR, host)]);
    const d = decideReturn({ ledger: entry, mark });
    if (d.finished) { await recordNoAsDone(pcmk.ledger, entry, mark); ctx.log.info(`${host}: ${d.reason}`); return; }
    if (d.reason !== last) ctx.log.info(`${host}: waiting: ${d.reason}`);
    last = d.reason;
    if (Date.now() + pollMs > deadline) throw new OcfError(OCF.ERR_GENERIC, `${host}: evacuation not finished when the start timeout ran out: ${d.reason}`);
    await sleep(pollMs);
  }
}

export const computeUnfenceTrigger: OcfAgent<typeof unfenceTriggerParams> = {
  name: 'compute-unfence-trigger',
  provider: 'openstack',
  version: VERSION,
  shortdesc: 'Starts once a recovered compute node may serve again',
  longdesc:
    'Run as a clone on the compute nodes with meta requires=unfencing, and order nova-compute after it. start waits until the node\'s evacuation has finished (the durable ledger in the CIB, attrd\'s evacuate mark, and with Nova credentials Nova itself: no evacuable instance left on a forced-down host), then, with credentials, unsets force-down and enables the service. It fails with a clear reason when its start timeout runs out first: give start a long timeout and the clone a failure-timeout. stop always succeeds. With credentials, monitor reports DEGRADED (190) while Nova still has the service forced down (or disabled), and unsets force-down once nova-compute runs again.',
  params: unfenceTriggerParams,
  actions: [
    { name: 'start', timeout: '600s' },
    { name: 'stop', timeout: '20s' },
    { name: 'monitor', timeout: '20s', interval: '10s', depth: '0' },
    { name: 'validate-all', timeout: '20s' },
    { name: 'meta-data', timeout: '5s' },
  ],
  validate(values, env) {
    const withNova = Boolean(values.auth_url || values.cloud || env.OS_AUTH_URL || env.OS_CLOUD);
    return withNova ? validateOpenstackParams(values, env) : validateHostMap(values);
  },
  checkInstalled: () => binaryProblems(['attrd_updater', 'cibadmin']),
  async start(ctx): Promise<OcfCode> {
    const node = nodeName(ctx);
    const deadline = Date.now() + Math.max(1000, (ctx.timeoutMs ?? 600_000) - START_MARGIN_MS);
    const attrd = new Attrd();
    const ledger = new Ledger();
    const pollMs = ctx.values.poll_interval * 1000;
    const os = hasCredentials(ctx) ? await connect(ctx) : undefined;
    const host = os ? await knownNovaHost(ctx, node, await os.nova.services()) : undefined;
    let inService = false;
    if (os && host) {
      const d: WayBackDeps = { os, attrd, ledger, log: ctx.log };
      const back = await withDeadline(Math.max(0, deadline - Date.now()), `${host}: still waiting for its evacuation when the start timeout ran out`, async () => {
        await waitForEvacuation(d, host, deadline, 'start timeout', pollMs);
        return restoreService(d, host, ctx.values.leave_disabled, 500);
      }).catch((e: unknown) => { throw new OcfError(OCF.ERR_GENERIC, (e as Error).message); });
      inService = healthy(back.service, ctx.values.leave_disabled);
    } else {
      await waitOnMarks(ctx, await novaHostWithoutNova(ctx, node, ledger), { attrd, ledger }, deadline, pollMs);
    }
    writeState(ctx, { node, inService });
    return OCF.SUCCESS;
  },
  async stop(ctx): Promise<OcfCode> {
    // A failing stop of this clone would get the node fenced: nothing here can fail.
    ctx.state.remove();
    return OCF.SUCCESS;
  },
  async monitor(ctx): Promise<OcfCode> {
    if (!ctx.state.exists()) return OCF.NOT_RUNNING;
    // In service since start or a monitor saw it so: nothing to ask (hundreds of nodes
    // monitoring every 10 s would otherwise log in to Keystone and list Nova all the time).
    if (ctx.isProbe || !hasCredentials(ctx) || readState(ctx).inService) return OCF.SUCCESS;
    try {
      const code = await withDeadline(Math.max(2000, (ctx.timeoutMs ?? 20_000) - 3000), 'Nova did not answer in time', () => novaHealth(ctx));
      if (code === OCF.SUCCESS) writeState(ctx, { node: nodeName(ctx), inService: true });
      return code;
    } catch (e) {
      ctx.log.warning(`cannot check Nova: ${(e as Error).message}`);
      return OCF.SUCCESS;
    }
  },
};

/**
 * DEGRADED while Nova keeps the service forced down (or disabled). When the evacuation is
 * finished, it asks Nova again to unset force-down: Nova (Train+) refuses that at unfencing
 * until nova-compute has started once and completed its evacuation records, so a later ask may succeed.
 */
async function novaHealth(ctx: Context): Promise<OcfCode> {
  const os = await connect(ctx);
  const host = resolveService(nodeName(ctx), naming(ctx), await os.nova.services()).host;
  let s = await novaService(os, host);
  const d: WayBackDeps = { os, attrd: new Attrd(), ledger: new Ledger(), log: ctx.log };
  if (s.forcedDown && (await checkReturn(host, s, d, os, ctx.values.evacuable_tag)).finished) {
    if (await unsetForcedDown(d, s)) s = await novaService(os, host);
  }
  if (s.forcedDown) { ctx.log.warning(`${host}: Nova still has nova-compute forced down`); return OCF.DEGRADED; }
  if (!healthy(s, ctx.values.leave_disabled)) { ctx.log.warning(`${host}: Nova has nova-compute disabled`); return OCF.DEGRADED; }
  return OCF.SUCCESS;
}

/** Serving: not forced down, and enabled (unless leave_disabled asked to keep it disabled). */
function healthy(s: NovaService, leaveDisabled: boolean): boolean {
  return !s.forcedDown && (s.status !== 'disabled' || leaveDisabled);
}

interface TriggerState { node: string; inService: boolean }

function writeState(ctx: Context, state: TriggerState): void {
  ctx.state.write(JSON.stringify(state));
}

/** What start (or a monitor) learnt; a state written by an older version (the node name alone) says nothing. */
function readState(ctx: Context): TriggerState {
  try {
    const s = JSON.parse(ctx.state.read() ?? '') as Partial<TriggerState>;
    return { node: String(s.node ?? ''), inService: s.inService === true };
  } catch {
    return { node: '', inService: false };
  }
}
