import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger } from '../pacemaker/ledger.ts';
import type { FenceContext } from '../fence/agent.ts';
import { FENCE_EXIT } from '../fence/agent.ts';
import { DISABLED_REASON_PREFIX, EVACUATE_ATTR } from '../pacemaker/marks.ts';
import { FencedAgainError, novaService, restoreService, waitForEvacuation } from '../return/way-back.ts';
import { connectOpenStack, type OpenStack } from '../openstack/connect.ts';
import { guessNovaHost, HostResolutionError, resolveService, targetNames, type HostNaming } from '../host-names.ts';
import { decideReturn } from '../return/return-check.ts';
import type { NovaService } from '../openstack/nova.ts';
import { withDeadline, sleep, pollUntil } from '../time.ts';
import { stringParam } from '../params/values.ts';

// fence_compute's Nova-facing actions. Each runs under one deadline (reported as one line),
// also under Pacemaker, where the reference agent disabled its own timeouts.


interface Action {
  ctx: FenceContext;
  os: OpenStack;
  naming: HostNaming;
  num: (name: string) => number;
}

export async function runFenceComputeAction(action: string, ctx: FenceContext): Promise<number> {
  const v = ctx.values;
  const num = (name: string) => Number(v[name] ?? 0);
  const requestBound = 3 * num('request_timeout');
  const bounds: Record<string, number> = {
    off: num('delay') + Math.max(num('power_timeout'), requestBound) + num('power_wait'),
    on: num('unfence_wait') + Math.max(num('power_timeout'), requestBound) * (1 + num('retry_on')) + num('power_wait'),
  };
  const boundS = bounds[action] ?? Math.max(num('power_timeout'), requestBound);
  // A shared token for many targets at once; monitor logs in itself: it checks the credentials.
  const os = await connectOpenStack(v, ctx.given, process.env, ctx.log, { tokenCache: action !== 'monitor' });
  const naming: HostNaming = { hostMap: stringParam(v.host_map), domain: stringParam(v.domain) };
  const a: Action = { ctx, os, naming, num };
  return withDeadline(boundS * 1000, `${action} did not finish within ${boundS} s`, () => dispatch(action, a));
}

async function dispatch(action: string, a: Action): Promise<number> {
  switch (action) {
    case 'off': return off(a);
    case 'on': return on(a);
    case 'status': return status(a);
    case 'list': return list(a, false);
    case 'list-status': return list(a, true);
    case 'monitor': await a.os.nova.ping(); return FENCE_EXIT.SUCCESS;
    default: throw new Error(`action ${action} is not handled`);
  }
}


async function target(a: Action): Promise<NovaService> {
  const plug = a.ctx.plug ?? '';
  const service = resolveService(plug, a.naming, await a.os.nova.services());
  if (service.host !== plug) a.ctx.log.debug(`${plug} is Nova host ${service.host}`);
  return service;
}

/** Forced down + disabled, then evacuate=yes — also when Nova already showed it down and disabled. */
async function off(a: Action): Promise<number> {
  const delay = a.num('delay');
  if (delay > 0) { a.ctx.log.info(`waiting ${delay} s (delay) before fencing`); await sleep(delay * 1000); }
  let s = await target(a);
  if (!s.forcedDown) await a.os.nova.setForcedDown(s, true);
  if (s.status !== 'disabled') await a.os.nova.disable(s, `${DISABLED_REASON_PREFIX} fenced at ${new Date().toISOString()}`);
  s = await pollUntil(() => novaService(a.os, s.host), (x) => x.forcedDown && x.status === 'disabled', a.num('stonith_status_sleep') * 1000);
  // The mark first: an `evacuate=no` over an open ledger entry then always means "written after
  // our mark" (return-check.ts). The ledger still comes before we report success, so a mark
  // wiped later (a lost remote node) leaves the ledger saying "not evacuated".
  await new Attrd().update(EVACUATE_ATTR, 'yes', { node: s.host, private: true });
  await new Ledger().set({ host: s.host, phase: 'pending', since: Date.now() / 1000 });
  // An `on` racing this off may have returned the host before the mark: fail, Pacemaker fences again.
  const after = await novaService(a.os, s.host);
  if (!after.forcedDown || after.status !== 'disabled') throw new Error(`${s.host}: returned to service while being fenced (an on at the same time); fencing must be retried`);
  a.ctx.log.info(`${s.host}: nova-compute forced down and disabled; marked evacuate=yes`);
  await sleep(a.num('power_wait') * 1000);
  return FENCE_EXIT.SUCCESS;
}

/** Wait for the host's evacuation to finish, then unset force-down and enable. */
async function on(a: Action): Promise<number> {
  const d = { os: a.os, attrd: new Attrd(), ledger: new Ledger(), log: a.ctx.log };
  const host = await returnTarget(a, d);
  if (!host) return FENCE_EXIT.SUCCESS;
  await waitForEvacuation(d, host, Date.now() + a.num('unfence_wait') * 1000, `unfence_wait ${a.num('unfence_wait')} s`,
    Math.min(5000, Math.max(1000, a.num('stonith_status_sleep') * 1000)));
  for (let attempt = 0; ; attempt++) {
    try {
      await restoreService(d, host, a.ctx.values.leave_disabled === true, a.num('stonith_status_sleep') * 1000);
      await sleep(a.num('power_wait') * 1000);
      return FENCE_EXIT.SUCCESS;
    } catch (e) {
      if (attempt >= a.num('retry_on') || e instanceof FencedAgainError) throw e;
      a.ctx.log.warning(`${host}: ${(e as Error).message}; retrying`);
    }
  }
}

/**
 * The Nova host to return; undefined when Nova does not know the node and nothing is owed: a
 * new compute (or a re-installed one) is unfenced before its nova-compute ever registers.
 */
async function returnTarget(a: Action, d: { attrd: Attrd; ledger: Ledger }): Promise<string | undefined> {
  try {
    return (await target(a)).host;
  } catch (e) {
    if (!(e instanceof HostResolutionError)) throw e;
    const plug = a.ctx.plug ?? '';
    const host = guessNovaHost(plug, a.naming, (await d.ledger.all()).map((x) => x.host));
    const [ledger, mark] = await Promise.all([d.ledger.get(host), d.attrd.query(EVACUATE_ATTR, host)]);
    const owed = decideReturn({ ledger, mark });
    if (!owed.finished) throw new Error(`${e.message}, but ${owed.reason}`);
    a.ctx.log.info(`${plug}: ${e.message}: nothing to return (${owed.reason})`);
    return undefined;
  }
}

/** OFF when forced down, or down and disabled; ON otherwise; 1 when Nova cannot tell. */
async function status(a: Action): Promise<number> {
  const s = await target(a);
  const off = s.forcedDown || (s.state === 'down' && s.status === 'disabled');
  a.ctx.out(`Status: ${off ? 'OFF' : 'ON'}`);
  return off ? FENCE_EXIT.STATUS_OFF : FENCE_EXIT.SUCCESS;
}

async function list(a: Action, withStatus: boolean): Promise<number> {
  const services = await a.os.nova.services();
  const sep = stringParam(a.ctx.values.separator) ?? ',';
  for (const name of targetNames(a.naming, services)) {
    if (!withStatus) { a.ctx.out(`${name}${sep}`); continue; }
    const s = resolveService(name, a.naming, services);
    a.ctx.out(`${name}${sep}${sep}${s.forcedDown || (s.state === 'down' && s.status === 'disabled') ? 'OFF' : 'ON'}`);
  }
  return FENCE_EXIT.SUCCESS;
}
