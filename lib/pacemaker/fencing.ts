import { runChild } from '../child.ts';
import { elements } from './xml-attrs.ts';

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

/** "2026-11-22 18:37:54Z" (Pacemaker 2.1) or ISO. */
export function parsePacemakerTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s.includes('T') ? s : s.replace(' ', 'T'));
  return Number.isFinite(t) ? t : undefined;
}

export function parseFenceHistory(xml: string): FenceEvent[] {
  return elements(xml, 'fence_event').map((e) => ({
    target: e.target ?? '', action: e.action ?? '', status: e.status ?? '', completed: parsePacemakerTime(e.completed),
  }));
}

/** `binary`: another stonith_admin (tests run a failing one). */
export async function fencingHistory(node: string, timeoutMs = 15_000, binary = 'stonith_admin'): Promise<FenceEvent[]> {
  const r = await runChild(binary, ['--history', node, '--verbose', '--output-as=xml'], { timeoutMs });
  if (r.timedOut) throw new FencingHistoryError(`stonith_admin --history ${node}: no answer within ${timeoutMs / 1000} s`);
  if (r.exitCode !== 0) throw new FencingHistoryError(`stonith_admin --history ${node} failed: ${r.stderr.trim().split('\n')[0] || `exit code ${r.exitCode}`}`);
  return parseFenceHistory(r.stdout);
}

/**
 * The rule: a node counts as fenced when its history has an off/reboot that succeeded at or
 * after `notBefore`, or one still in flight. fence_compute marks a host only after the power
 * device of the same level succeeded, so the fencing completes shortly before the mark:
 * callers pass the mark's time minus the longest plausible fencing time.
 */
export function fencedSince(events: readonly FenceEvent[], notBefore: number): FenceEvent | undefined {
  return events.find((e) => (e.action === 'off' || e.action === 'reboot')
    && ((e.status === 'success' && (e.completed ?? 0) >= notBefore) || e.status === 'pending'));
}
