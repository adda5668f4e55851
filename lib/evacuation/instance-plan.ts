import { novaTime, type NovaMigration, type NovaServer } from '../openstack/nova.ts';

// What to do with one instance of a failed host now. Pure: Nova is the source of truth, so an
// instance Nova shows moved, being rebuilt, or with an evacuation under way is never sent
// another evacuate (a second evacuate during a rebuild breaks the instance in Nova Zed).

export type InstanceStep =
  | { kind: 'evacuate'; reason: string }
  | { kind: 'wait'; reason: string }
  | { kind: 'done'; reason: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'failed'; reason: string };

export interface InstanceFacts {
  id: string;
  failedHost: string;
  /** Nova's current view; undefined when Nova no longer has it (deleted). */
  server: NovaServer | undefined;
  /** Evacuation migrations of this instance since the host failed, newest first. */
  migrations: readonly NovaMigration[];
  /** Evacuate requests this worker sent for it. */
  attempts: number;
  /** When our last request for it was sent (epoch ms), and whether its answer is unknown. */
  lastAttemptAt?: number;
  uncertain?: boolean;
  now: number;
  /** How long an unanswered request may still land in Nova. */
  graceMs: number;
  /** How long an accepted evacuation may take before it counts as lost. */
  verifyMs: number;
  maxAttempts: number;
  /** Failed evacuation migrations before this count for nothing: a later host round tries afresh (capacity may have been added). */
  retriesSince?: number;
  /** Since when the instance has been waiting (epoch ms): a wait longer than verifyMs ends as failed. */
  waitingSince?: number;
  /** The kind of move (evacuation by default): its name and the statuses Nova moves that way. */
  move?: { verb: string; movable: ReadonlySet<string> };
}

/** Nova evacuates instances in these states only (vm_state active, stopped, error). */
export const EVACUABLE_STATUS: ReadonlySet<string> = new Set(['ACTIVE', 'SHUTOFF', 'ERROR']);
const IN_PROGRESS = new Set(['accepted', 'pre-migrating', 'migrating', 'running', 'queued', 'preparing']);
const FAILED = new Set(['failed', 'error']);

/** The step, with every wait bounded: one longer than verifyMs becomes a failure that names what it waited for. */
export function planInstance(f: InstanceFacts): InstanceStep {
  const step = decide(f);
  if (step.kind !== 'wait' || f.waitingSince === undefined || f.now - f.waitingSince <= f.verifyMs) return step;
  const onFailedHost = f.server?.host === f.failedHost && f.server.taskState;
  return {
    kind: 'failed',
    reason: `${step.reason} for more than ${Math.round(f.verifyMs / 1000)} s${onFailedHost ? ` (a task on the failed host clears only when its nova-compute runs again: reset the instance's state, or release the host after checking it by hand)` : ''}`,
  };
}

function decide(f: InstanceFacts): InstanceStep {
  const s = f.server;
  if (!s) return { kind: 'done', reason: 'deleted' };
  if (s.host === null) return { kind: 'skip', reason: `no host (${s.status}): nothing to evacuate` };
  if (s.host !== f.failedHost) {
    if (s.taskState) return { kind: 'wait', reason: `on ${s.host}, task ${s.taskState}` };
    return s.status === 'ERROR'
      ? { kind: 'done', reason: `on ${s.host} but ERROR: needs an operator` }
      : { kind: 'done', reason: `${s.status} on ${s.host}` };
  }
  if (s.taskState) return { kind: 'wait', reason: `task ${s.taskState} in progress` };
  const latest = f.migrations[0];
  // 'done' with the instance still here is Nova's last moment before the host changes —
  // unless it lasts longer than an evacuation may take.
  const stale = f.lastAttemptAt !== undefined && f.now - f.lastAttemptAt > f.verifyMs;
  if (latest && (IN_PROGRESS.has(latest.status) || (latest.status === 'done' && !stale))) {
    return { kind: 'wait', reason: `evacuation migration ${latest.status}` };
  }
  if (awaitingOwnRequest(f)) {
    return { kind: 'wait', reason: f.uncertain ? 'answer to our evacuate request unknown: waiting for Nova to show it' : 'evacuate accepted, waiting for Nova to start it' };
  }
  const move = f.move ?? { verb: 'evacuate', movable: EVACUABLE_STATUS };
  if (!move.movable.has(s.status)) {
    return { kind: 'skip', reason: `Nova cannot ${move.verb} a ${s.status} instance${move.verb === 'evacuate' ? ' (reset its state to allow it)' : ''}` };
  }
  const failedTries = f.migrations.filter((m) => FAILED.has(m.status) && !(novaTime(m.createdAt) < (f.retriesSince ?? -Infinity))).length;
  const tries = Math.max(f.attempts, failedTries);
  if (tries >= f.maxAttempts) return { kind: 'failed', reason: `${tries} ${move.verb === 'evacuate' ? 'evacuation' : move.verb} attempt(s) failed` };
  return { kind: 'evacuate', reason: tries === 0 ? `${s.status} on the failed host` : `retry ${tries + 1} of ${f.maxAttempts}` };
}

/**
 * Our own request for it is recent enough to be waited for whatever Nova shows: then the
 * decision is 'wait' (or, off the failed host, 'done'/'wait') without its migrations, so the
 * worker may skip listing them.
 */
export function awaitingOwnRequest(f: Pick<InstanceFacts, 'lastAttemptAt' | 'uncertain' | 'now' | 'graceMs' | 'verifyMs'>): boolean {
  if (f.lastAttemptAt === undefined) return false;
  return f.now - f.lastAttemptAt < (f.uncertain ? f.graceMs : Math.min(f.verifyMs, f.graceMs));
}
