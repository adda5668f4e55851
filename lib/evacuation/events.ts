import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import type { Logger } from '../log.ts';

// One JSON line per decision and per instance outcome (for machines: tests, the demo, an
// operator's jq), and one human line per host-level event in the log.

export interface EvacuationEvent {
  event: string;
  host?: string;
  instance?: string;
  reason?: string;
  [key: string]: unknown;
}

const HOST_EVENTS = new Set(['host-marked', 'host-safe', 'host-claimed', 'host-selected', 'host-incomplete', 'host-done', 'host-released', 'host-returned', 'host-reconciled', 'worker-started', 'worker-stopped', 'evacuation-resumed']);
/**
 * A host held or stuck, evacuation paused, a host evacuated on an operator's word instead of
 * Pacemaker's fencing: the operator must see it (warning level in the Pacemaker log).
 */
const WARNING_EVENTS = new Set(['host-unsafe', 'host-blocked', 'evacuation-paused', 'host-confirmed-off']);
/** A host waiting while evacuation is paused: the pause itself is the warning; this is info, rate-limited like warnings. */
const HELD_EVENTS = new Set(['host-paused']);
/** The same warning (event, host, reason) is written at most this often; a changed reason at once. */
const REPEAT_MS = 60_000;

/** Where events go: the worker's EventLog, or the operator command's progress display. */
export interface EventSink {
  emit(e: EvacuationEvent): void;
}

export class EventLog implements EventSink {
  private readonly file: string | undefined;
  private readonly log: Logger;
  private readonly clusterLog: string | undefined;
  private readonly lastWarning = new Map<string, { reason: string; at: number }>();

  /** clusterLog: Pacemaker's log file, where host-level lines go too (operators read it first). */
  constructor(file: string | undefined, log: Logger, clusterLog?: string) {
    this.file = file || undefined;
    this.log = log;
    this.clusterLog = clusterLog;
    if (this.file) mkdirSync(dirname(this.file), { recursive: true, mode: 0o750 });
  }

  emit(e: EvacuationEvent): void {
    if ((WARNING_EVENTS.has(e.event) || HELD_EVENTS.has(e.event)) && this.repeated(e)) return;
    const line = JSON.stringify({ time: new Date().toISOString(), pid: process.pid, ...e });
    if (this.file) {
      try { appendFileSync(this.file, `${this.log.mask(line)}\n`, { mode: 0o640 }); } catch (err) { this.log.warning(`event log ${this.file}: ${(err as Error).message}`); }
    }
    const text = `${e.event}${e.host ? ` ${e.host}` : ''}${e.instance ? ` ${e.instance}` : ''}${e.reason ? `: ${e.reason}` : ''}`;
    if (WARNING_EVENTS.has(e.event)) {
      this.log.warning(text);
      this.toClusterLog('warning', text);
    } else if (HOST_EVENTS.has(e.event)) {
      this.log.info(text);
      this.toClusterLog('notice', text);
    } else if (HELD_EVENTS.has(e.event)) {
      this.log.info(text);
    } else {
      this.log.debug(text);
    }
  }

  /** Seen with the same reason within REPEAT_MS (then not written again). */
  private repeated(e: EvacuationEvent): boolean {
    // A held host is reported as unsafe, then as blocked, for the same reason: one line a minute, not two.
    const key = e.event === 'host-unsafe' || e.event === 'host-blocked' ? `held ${e.host ?? ''}` : `${e.event} ${e.host ?? ''}`;
    const last = this.lastWarning.get(key);
    const now = Date.now();
    if (last && last.reason === (e.reason ?? '') && now - last.at < REPEAT_MS) return true;
    this.lastWarning.set(key, { reason: e.reason ?? '', at: now });
    return false;
  }

  /** Pacemaker's log, which operators read first. */
  private toClusterLog(level: 'notice' | 'warning', text: string): void {
    if (!this.clusterLog) return;
    try { appendFileSync(this.clusterLog, `${clusterTimestamp()} ${hostname()} NovaEvacuate [${process.pid}] (evacuation) ${level}: ${this.log.mask(text)}\n`); } catch { /* not ours to create */ }
  }
}

/** Pacemaker's own log line time: "Nov 22 18:37:54.123". */
function clusterTimestamp(d = new Date()): string {
  const month = d.toLocaleString('en-US', { month: 'short' });
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${month} ${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
