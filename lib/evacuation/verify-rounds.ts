import type { NovaServer } from '../openstack/nova.ts';

// How the worker checks on the instances of a failed host round after round without re-reading
// all of Nova each time. Pure, so the timing and the choice of Nova's record are tested alone;
// what to do with that record is instance-plan.ts's decision.

/** The first check soon after requests went out; then back off while nothing changes (real rebuilds take minutes). */
export function nextVerifyDelay(previousMs: number | undefined, progressed: boolean, minMs: number, maxMs: number): number {
  if (previousMs === undefined || progressed) return minMs;
  return Math.min(maxMs, Math.max(minMs, previousMs * 2));
}

/**
 * The pause before the next round: the backoff's delay, or longer when this round took longer
 * than the host's fastest one. The difference is Nova queueing (a loaded Nova); it gets as much
 * time to work before it is read again.
 */
export function pauseAfterRound(delayMs: number, roundMs: number, fastestRoundMs: number): number {
  return Math.max(delayMs, roundMs - fastestRoundMs);
}

export interface CursorState {
  /** Start of every full listing: the host's failure, minus the slack the worker always allowed for clock skew. */
  failedSince: number;
  /** When the previous changes-since listing was sent, and the last full one (epoch ms). */
  previousSentAt?: number;
  lastFullAt?: number;
  now: number;
}

/**
 * Where the next changes-since listing starts: shortly before the previous one was sent (slack
 * for Nova's clocks and its one-second timestamps), and from the failure again every resyncMs, so
 * an update missed through clock skew is seen within resyncMs. Only instances that already left
 * the failed host are read this way, and for them a missed update can only delay "done", never
 * cause a second evacuation (the on-host listing is always complete).
 */
export function changesCursor(s: CursorState, slackMs: number, resyncMs: number): { since: number; full: boolean } {
  if (s.previousSentAt === undefined || s.lastFullAt === undefined || s.now - s.lastFullAt >= resyncMs) return { since: s.failedSince, full: true };
  return { since: Math.max(s.failedSince, s.previousSentAt - slackMs), full: false };
}

/**
 * Nova's latest record of one tracked instance. The on-host listing is complete, so an instance
 * in it is there now; one that is not has left (or is gone): the changes-since listing has it if
 * it changed since the cursor, else the record last seen on another host still holds.
 * 'ask' = no record can be trusted: fetch it by id.
 */
export function currentRecord(id: string, failedHost: string, here: ReadonlyMap<string, NovaServer>,
  changed: ReadonlyMap<string, NovaServer>, seenElsewhere: ReadonlyMap<string, NovaServer>): NovaServer | 'ask' {
  const onHost = here.get(id);
  if (onHost) return onHost;
  // A changed record still naming the failed host predates the on-host listing: it moved since.
  const fresh = changed.get(id);
  if (fresh && fresh.host !== failedHost) return fresh;
  const last = seenElsewhere.get(id);
  if (last && last.host !== failedHost && !fresh) return last;
  return 'ask';
}
