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

const HOST_EVENTS = new Set(['host-marked', 'host-unsafe', 'host-blocked', 'host-claimed', 'host-selected', 'host-done', 'host-incomplete', 'host-returned', 'host-reconciled', 'worker-started', 'worker-stopped']);

export class EventLog {
  private readonly file: string | undefined;
  private readonly log: Logger;
  private readonly clusterLog: string | undefined;

  /** clusterLog: Pacemaker's log file, where host-level lines go too (operators read it first). */
  constructor(file: string | undefined, log: Logger, clusterLog?: string) {
    this.file = file || undefined;
    this.log = log;
    this.clusterLog = clusterLog;
    if (this.file) mkdirSync(dirname(this.file), { recursive: true, mode: 0o750 });
  }

  emit(e: EvacuationEvent): void {
    const line = JSON.stringify({ time: new Date().toISOString(), pid: process.pid, ...e });
    if (this.file) {
      try { appendFileSync(this.file, `${this.log.mask(line)}\n`, { mode: 0o640 }); } catch (err) { this.log.warning(`event log ${this.file}: ${(err as Error).message}`); }
    }
    const text = `${e.event}${e.host ? ` ${e.host}` : ''}${e.instance ? ` ${e.instance}` : ''}${e.reason ? `: ${e.reason}` : ''}`;
    if (HOST_EVENTS.has(e.event)) {
      this.log.info(text);
      if (this.clusterLog) {
        try { appendFileSync(this.clusterLog, `${clusterTimestamp()} ${hostname()} NovaEvacuate [${process.pid}] (evacuation) notice: ${this.log.mask(text)}\n`); } catch { /* not ours to create */ }
      }
    } else {
      this.log.debug(text);
    }
  }
}

/** Pacemaker's own log line time: "Nov 22 18:37:54.123". */
function clusterTimestamp(d = new Date()): string {
  const month = d.toLocaleString('en-US', { month: 'short' });
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${month} ${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
