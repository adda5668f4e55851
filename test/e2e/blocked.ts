// An instance that never leaves its task state: its rebuild hangs in Nova (the simulator's
// per-server `rebuild: 'hang'`), so its evacuation can never be verified. With a short
// verify_timeout NovaEvacuate must say so instead of waiting forever: the host is blocked
// (warning `host-blocked <host>: <reason>` in the Pacemaker log, node attribute
// instance-ha-blocked that crm_mon -A shows, `instance-ha status` phase blocked with the reason)
// and stays out of service until an operator runs `instance-ha release <host>`; then the ledger
// says done, evacuate=no, the attribute is gone and the host comes back.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bootEvacuable } from './scenario1.ts';
import { clock, clusterLog, evacuateMark, fenceHistory, HERE, hostState, type HostStatus, logOffsets, nodeAttribute, online, pacemakerTime, run, sh, simState, startedOn, STATE } from './cluster-ops.ts';
import { existsSync, readFileSync } from 'node:fs';

export const BLOCKED_ATTR = 'instance-ha-blocked';

const events = () => (existsSync(join(STATE, 'events.jsonl')) ? readFileSync(join(STATE, 'events.jsonl'), 'utf8') : '');
/** NovaEvacuate's events about a host written after `from` (a length of the event log). */
const hostEvents = (host: string, from: number) => events().slice(from).split('\n').filter(Boolean)
  .map((l) => JSON.parse(l) as { event: string; host?: string }).filter((e) => e.host === host);

export interface BlockedResult {
  steps: Record<string, number>;
  stuck: string;
  /** What each view said while the host was blocked. */
  attribute: string;
  logLine: string;
  status: HostStatus | undefined;
  statusText: string;
  crmMonText: string;
  /** Nova's view of the host at the release: it must still be out of service. */
  serviceAtRelease: { alive: boolean; forcedDown: boolean; disabled: boolean } | undefined;
  /** After the release. */
  released: { status: HostStatus | undefined; mark: string | undefined; attribute: string | undefined };
}

export async function runBlocked(say: (line: string) => void, host: string, blockWithinMs: number, timeoutMs = 300_000): Promise<BlockedResult> {
  const [stuck = ''] = await bootEvacuable(host, 1, 60_000, 'hang');
  say(`${host} runs ${stuck}, whose rebuild will hang in Nova`);
  const logFrom = logOffsets();
  const eventsFrom = events().length;
  const c = clock('blocked host', say, timeoutMs);
  execFileSync('bash', [join(HERE, 'node.sh'), 'kill-remoted', host]);
  c.mark('failure', `kill -9 pacemaker-remoted on ${host}`);
  await c.until('fenced', `Pacemaker fenced ${host}`,
    () => fenceHistory(host).some((e) => /reboot|off/.test(e.action) && e.status === 'success' && pacemakerTime(e.completed) >= c.t0 - 1000));
  await c.until('first_evacuation', 'NovaEvacuate sent the first evacuate',
    () => hostEvents(host, eventsFrom).some((e) => e.event === 'instance-evacuate-accepted'));
  await c.until('blocked', `${host} blocked: node attribute ${BLOCKED_ATTR} set`, () => nodeAttribute(host, BLOCKED_ATTR) !== undefined, blockWithinMs);
  const attribute = nodeAttribute(host, BLOCKED_ATTR) ?? '';
  say(`${BLOCKED_ATTR}=${attribute}`);
  // The warning with the same reason (its start: the attribute may be shortened).
  const blockedLine = (l: string) => l.includes('NovaEvacuate') && l.includes(`warning: host-blocked ${host}: ${attribute.slice(0, 40)}`);
  await c.until('logged', 'the Pacemaker log has the warning', () => clusterLog(logFrom).split('\n').some(blockedLine), 30_000);
  const logLine = clusterLog(logFrom).split('\n').find(blockedLine) ?? '';
  say(logLine);
  const status = hostState(host);
  const statusText = sh('instance-ha', ['status']);
  const crmMonText = sh('crm_mon', ['-A1']);
  // Held out of service: the host may be back in the cluster, but Nova must not get it back.
  await c.until('node_online', `${host} powered on again and back in the cluster (still blocked)`, () => online(host));
  // Pacemaker wipes a remote node's transient attributes when it comes back: the report must survive that.
  await c.until('still_blocked', `crm_mon -A still shows ${BLOCKED_ATTR} on ${host}`, () => nodeAttribute(host, BLOCKED_ATTR) !== undefined, 30_000);
  const serviceAtRelease = simState().services.find((s) => s.host === host);
  run('instance-ha', ['release', host]);
  c.mark('released', `instance-ha release ${host}`);
  const released = { status: hostState(host), mark: evacuateMark(host), attribute: nodeAttribute(host, BLOCKED_ATTR) };
  say(`after the release: ledger ${released.status?.phase ?? '-'}, evacuate=${released.mark ?? '(none)'}, ${BLOCKED_ATTR} ${released.attribute === undefined ? 'gone' : `still ${released.attribute}`}`);
  await c.until('trigger_started', `unfencing done: compute-unfence-trigger started on ${host}`, () => startedOn('compute-unfence-trigger', host));
  await c.until('in_service', `Nova shows ${host} enabled and not forced down: back in service`,
    () => simState().services.some((s) => s.host === host && s.alive && !s.forcedDown && !s.disabled));
  return { steps: c.steps, stuck, attribute, logLine, status, statusText, crmMonText, serviceAtRelease, released };
}
