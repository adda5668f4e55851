import type { EvacuationEvent, EventSink } from '../evacuation/events.ts';

// What the operator sees while instances move: on a terminal one bar, redrawn in place; otherwise
// (a pipe, a log) one line per instance outcome. It also keeps each instance's last outcome for
// the final report.

export interface Outcome { state: 'done' | 'failed' | 'skip' | 'moving'; reason: string }

const BAR = 30;

export class Progress implements EventSink {
  readonly outcomes = new Map<string, Outcome>();
  private total = 0;
  private readonly out: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly verb: string;

  constructor(out: NodeJS.WriteStream, verb: string) {
    this.out = out;
    this.tty = Boolean(out.isTTY);
    this.verb = verb;
  }

  emit(e: EvacuationEvent): void {
    if (e.event === 'host-selected') this.total += Number(e.selected ?? 0);
    const id = e.instance;
    if (!id) return;
    const state = e.event === 'instance-done' ? 'done' : e.event === 'instance-failed' ? 'failed' : e.event === 'instance-skip' ? 'skip'
      : e.event === `instance-${this.verb}-accepted` || e.event === 'instance-wait' ? 'moving' : undefined;
    if (!state) return;
    this.outcomes.set(id, { state, reason: e.reason ?? '' });
    if (this.tty) this.draw();
    else if (state !== 'moving') this.out.write(`${id}: ${state}: ${e.reason ?? ''}\n`);
  }

  /** Ends the bar's line (a terminal), so what follows starts on a line of its own. */
  finish(): void {
    if (this.tty && this.total > 0) { this.draw(); this.out.write('\n'); }
  }

  count(state: Outcome['state']): number {
    return [...this.outcomes.values()].filter((o) => o.state === state).length;
  }

  private draw(): void {
    const done = this.count('done');
    const filled = this.total === 0 ? BAR : Math.round((done / this.total) * BAR);
    const others = [`${this.count('moving')} moving`, this.count('failed') ? `${this.count('failed')} failed` : '', this.count('skip') ? `${this.count('skip')} cannot move` : ''].filter(Boolean).join(', ');
    this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${done}/${this.total} moved${others ? `, ${others}` : ''}\x1b[K`);
  }
}
