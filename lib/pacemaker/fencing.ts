import { runChild } from '../child.ts';
import { elements } from './xml-attrs.ts';
import { printable } from '../text.ts';
import { sharedRead } from '../shared-read.ts';

// Pacemaker's fencing history (stonith_admin --history), the evidence that a node was really
// fenced before its instances are started elsewhere.

export interface FenceEvent {
  target: string;
  action: string;
  status: 'success' | 'pending' | string;
  /** Epoch ms; undefined while pending. */
  completed: number | undefined;
}

export class FencingHistoryError extends Error {
  override name = 'FencingHistoryError';
}

/**
 * A time as Pacemaker's tools print it: "2026-11-22 18:37:54Z" (2.1 on a UTC host),
 * "2026-12-06 17:04:49 +01:00" (2.1 elsewhere) or ISO 8601. A time without a zone is refused:
 * reading it in our zone could move a fencing across the incident's bounds.
 */
export function parsePacemakerTime(s: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?) ?(Z|[+-]\d{2}:?\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const zone = m[3] === 'Z' ? 'Z' : m[3]!.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const t = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isFinite(t) ? t : undefined;
}

/** Throws on a time it cannot read: an unreadable fencing must never pass for "not fenced" in silence. */
export function parseFenceHistory(xml: string): FenceEvent[] {
  return elements(xml, 'fence_event').map((e) => {
    const completed = e.completed ? parsePacemakerTime(e.completed) : undefined;
    if (e.completed && completed === undefined) throw new FencingHistoryError(`stonith_admin --history printed a time this agent cannot read: '${printable(e.completed)}'`);
    return { target: e.target ?? '', action: e.action ?? '', status: e.status ?? '', completed };
  });
}

/**
 * Every node's history from one read shared by the callers of the last `maxAgeMs` (short: a
 * fencing completing now must show soon): hundreds of hosts held at the gate cost one
 * stonith_admin per interval, not one each.
 */
export function sharedFencingHistory(read = () => fencingHistory('*'), maxAgeMs = 500): (node: string) => Promise<FenceEvent[]> {
  const all = sharedRead(read, maxAgeMs);
  return async (node) => (await all()).filter((e) => e.target === node);
}

/** `binary`: another stonith_admin (tests run a failing one). `node` '*': every node's. */
export async function fencingHistory(node: string, timeoutMs = 15_000, binary = 'stonith_admin'): Promise<FenceEvent[]> {
  const r = await runChild(binary, ['--history', node, '--verbose', '--output-as=xml'], { timeoutMs });
  if (r.timedOut) throw new FencingHistoryError(`stonith_admin --history ${node}: no answer within ${timeoutMs / 1000} s`);
  if (r.exitCode !== 0) throw new FencingHistoryError(`stonith_admin --history ${node} failed: ${r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`}`);
  return parseFenceHistory(r.stdout);
}
