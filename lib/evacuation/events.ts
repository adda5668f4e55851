import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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

const HOST_EVENTS = new Set(['host-marked', 'host-unsafe', 'host-blocked', 'host-claimed', 'host-selected', 'host-done', 'host-incomplete', 'worker-started', 'worker-stopped']);

export class EventLog {
  private readonly file: string | undefined;
  private readonly log: Logger;

  constructor(file: string | undefined, log: Logger) {
    this.file = file || undefined;
    this.log = log;
    if (this.file) mkdirSync(dirname(this.file), { recursive: true, mode: 0o750 });
  }

  emit(e: EvacuationEvent): void {
    const line = JSON.stringify({ time: new Date().toISOString(), pid: process.pid, ...e });
    if (this.file) {
      try { appendFileSync(this.file, `${this.log.mask(line)}\n`, { mode: 0o640 }); } catch (err) { this.log.warning(`event log ${this.file}: ${(err as Error).message}`); }
    }
    const text = `${e.event}${e.host ? ` ${e.host}` : ''}${e.instance ? ` ${e.instance}` : ''}${e.reason ? `: ${e.reason}` : ''}`;
    if (HOST_EVENTS.has(e.event)) this.log.info(text);
    else this.log.debug(text);
  }
}
