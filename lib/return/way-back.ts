import type { Logger } from '../log.ts';
import type { OpenStack } from '../openstack/connect.ts';
import { HttpError } from '../http.ts';
import type { NovaService } from '../openstack/nova.ts';
import type { Attrd } from '../pacemaker/attrd.ts';
import type { Ledger } from '../pacemaker/ledger.ts';
import { pollUntil, sleep } from '../time.ts';
import { checkReturn, type ReturnDecision } from './return-check.ts';
import { DISABLED_REASON_PREFIX, isOurDisableReason } from '../pacemaker/marks.ts';

// The way back into service, shared by fence_compute `on` and compute-unfence-trigger: wait
// (bounded) until the host's evacuation is finished, then unset force-down and enable the
// service — unless leave_disabled, or an operator disabled it for a reason of their own.

export interface WayBackDeps {
  os: OpenStack;
  attrd: Attrd;
  ledger: Ledger;
  log: Logger;
}

export async function novaService(os: OpenStack, host: string): Promise<NovaService> {
  const s = (await os.nova.services(host)).find((x) => x.host === host);
  if (!s) throw new Error(`Nova does not list the nova-compute service of ${host}`);
  return s;
}

/** Polls until the evacuation is finished; throws with the last reason at the deadline. */
export async function waitForEvacuation(d: WayBackDeps, host: string, deadline: number, what: string, pollMs = 2000): Promise<ReturnDecision> {
  for (let last = '';;) {
    const decision = await checkReturn(host, await novaService(d.os, host), { attrd: d.attrd, ledger: d.ledger }, d.os);
    if (decision.finished) { d.log.info(`${host}: ${decision.reason}`); return decision; }
    if (decision.reason !== last) d.log.info(`${host}: waiting: ${decision.reason}`);
    last = decision.reason;
    if (Date.now() >= deadline) throw new Error(`${host}: evacuation not finished (${what}): ${decision.reason}`);
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}

export interface Restored { service: NovaService; stillForcedDown: boolean }

/** fence_compute off ran while the host was being returned: it stays fenced (never retried). */
export class FencedAgainError extends Error {
  override name = 'FencedAgainError';
}

/** Unset force-down and enable (when ours to enable); done when Nova shows it. */
export async function restoreService(d: WayBackDeps, host: string, leaveDisabled: boolean, pollMs: number): Promise<Restored> {
  const s = await novaService(d.os, host);
  // An operator's disable stays, with a reason or without: only fencing's is undone — ours
  // (our reason), or the reference fence_compute's (no reason, but forced down with it).
  const byFencing = isOurDisableReason(s.disabledReason) || (!s.disabledReason && s.forcedDown);
  const oursToEnable = !leaveDisabled && s.status === 'disabled' && byFencing;
  if (s.status === 'disabled' && !leaveDisabled && !oursToEnable) d.log.warning(`${host}: left disabled, its disable reason is not ours: ${s.disabledReason || '(none given, and not forced down: not fencing)'}`);
  const stillForcedDown = s.forcedDown && !(await unsetForcedDown(d, s));
  if (oursToEnable) await d.os.nova.enable(s);
  const service = await pollUntil(() => novaService(d.os, host), (x) => (stillForcedDown || !x.forcedDown) && (!oursToEnable || x.status === 'enabled'), pollMs);
  // An off racing this return may have marked the host after our wait ended: fencing wins, or
  // the worker would find the dead host "up" and never evacuate it.
  const again = await checkReturn(host, service, d, d.os);
  if (!again.finished) {
    if (!service.forcedDown) await d.os.nova.setForcedDown(service, true);
    if (service.status !== 'disabled') await d.os.nova.disable(service, `${DISABLED_REASON_PREFIX} fenced again while unfencing at ${new Date().toISOString()}`);
    throw new FencedAgainError(`${host}: fenced again while being returned (${again.reason}): left forced down and disabled`);
  }
  d.log.info(`${host}: ${service.forcedDown ? 'still forced down' : 'force-down unset'}, service ${service.status}`);
  return { service, stillForcedDown };
}

/**
 * Nova (Train and later) refuses to unset force-down while 'done' evacuation migrations of the
 * host remain: they complete when nova-compute starts there, which in Instance-HA happens only
 * after unfencing. Not a failure: the host stays forced down (nothing is scheduled to it) until
 * compute-unfence-trigger's monitor unsets it once nova-compute runs.
 */
export async function unsetForcedDown(d: WayBackDeps, s: NovaService): Promise<boolean> {
  try {
    await d.os.nova.setForcedDown(s, false);
    return true;
  } catch (e) {
    if (!(e instanceof HttpError) || e.status !== 400 || !/evacuation migration records remain/i.test(e.message)) throw e;
    d.log.warning(`${s.host}: Nova keeps it forced down until nova-compute has started there and completed its evacuation records`);
    return false;
  }
}
