import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { EvacuationEvent, EventSink } from './events.ts';

// The worker's metrics in Prometheus text format, for node_exporter's textfile collector
// (NovaEvacuate's metrics_file: name it *.prom in the collector's directory). Fed by the same
// events as the event log; the worker calls flush() once per poll, and the file is rewritten
// (temp file + rename, so the collector never reads half a file) only when its content changed.
// Its directory is the collector's: it must exist (a missing one is reported, not created).

/** Upper bounds (s) of the mark → done histogram. */
export const DURATION_BUCKETS = [30, 60, 120, 300, 600, 1200, 1800, 3600];
export const PHASES = ['marked', 'evacuating', 'blocked', 'paused'] as const;
type Phase = (typeof PHASES)[number];

/** Which phase an event puts its host in; done and released end it. */
const PHASE_OF: Record<string, Phase> = {
  'host-marked': 'marked', 'host-unsafe': 'marked', 'host-blocked': 'blocked', 'host-incomplete': 'blocked',
  'host-paused': 'paused', 'host-safe': 'evacuating', 'host-claimed': 'evacuating',
};

export class EvacuationMetrics implements EventSink {
  private readonly file: string;
  private readonly warn: (line: string) => void;
  private readonly hosts = new Map<string, { phase: Phase; markedAt: number; done: Set<string> }>();
  private readonly instances = { done: 0, failed: 0 };
  private readonly durations = { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
  private paused = false;
  private running = false;
  private written: string | undefined;
  private lastError: string | undefined;

  constructor(file: string, warn: (line: string) => void) {
    this.file = file;
    this.warn = warn;
  }

  emit(e: EvacuationEvent): void {
    const host = e.host ? this.hosts.get(e.host) : undefined;
    switch (e.event) {
      case 'worker-started': this.running = true; return;
      case 'worker-stopped':
        // The worker may go on elsewhere: this node reports nothing open any more.
        this.running = false;
        this.hosts.clear();
        this.flush();
        return;
      case 'evacuation-paused': this.paused = true; return;
      case 'evacuation-resumed':
        this.paused = false;
        for (const h of this.hosts.values()) if (h.phase === 'paused') h.phase = 'marked';
        return;
      case 'host-marked': {
        const since = Date.parse(String(e.since ?? ''));
        this.hosts.set(e.host ?? '', { phase: 'marked', markedAt: Number.isFinite(since) ? since : Date.now(), done: new Set() });
        return;
      }
      case 'instance-done':
        // Once per instance and incident: a host retried verifies its moved instances again.
        if (host && e.instance && !host.done.has(e.instance)) { host.done.add(e.instance); this.instances.done++; }
        return;
      case 'instance-failed': this.instances.failed++; return;
      case 'host-done':
        if (host && !e.dryRun) this.observeDuration((Date.now() - host.markedAt) / 1000);
        this.hosts.delete(e.host ?? '');
        return;
      case 'host-released': this.hosts.delete(e.host ?? ''); return;
    }
    const phase = PHASE_OF[e.event];
    if (host && phase) host.phase = phase;
  }

  private observeDuration(seconds: number): void {
    DURATION_BUCKETS.forEach((le, i) => { if (seconds <= le) this.durations.buckets[i]!++; });
    this.durations.sum += seconds;
    this.durations.count++;
  }

  render(): string {
    const byPhase = new Map<Phase, number>(PHASES.map((p) => [p, 0]));
    for (const h of this.hosts.values()) byPhase.set(h.phase, (byPhase.get(h.phase) ?? 0) + 1);
    const d = this.durations;
    return [
      '# HELP instance_ha_instances_total Instances whose evacuation ended, by result (done: verified running elsewhere or deleted, once per incident; failed: each time one failed a host round, which is retried).',
      '# TYPE instance_ha_instances_total counter',
      `instance_ha_instances_total{result="done"} ${this.instances.done}`,
      `instance_ha_instances_total{result="failed"} ${this.instances.failed}`,
      '# HELP instance_ha_hosts Hosts whose evacuation this worker has open, by phase.',
      '# TYPE instance_ha_hosts gauge',
      ...PHASES.map((p) => `instance_ha_hosts{phase="${p}"} ${byPhase.get(p)}`),
      '# HELP instance_ha_host_evacuation_seconds Time from a host\'s mark to its evacuation done.',
      '# TYPE instance_ha_host_evacuation_seconds histogram',
      ...DURATION_BUCKETS.map((le, i) => `instance_ha_host_evacuation_seconds_bucket{le="${le}"} ${d.buckets[i]}`),
      `instance_ha_host_evacuation_seconds_bucket{le="+Inf"} ${d.count}`,
      `instance_ha_host_evacuation_seconds_sum ${Math.round(d.sum * 1000) / 1000}`,
      `instance_ha_host_evacuation_seconds_count ${d.count}`,
      '# HELP instance_ha_paused 1 while evacuation is paused cluster-wide (instance-ha pause).',
      '# TYPE instance_ha_paused gauge',
      `instance_ha_paused ${this.paused ? 1 : 0}`,
      '# HELP instance_ha_worker_running 1 while the NovaEvacuate worker runs on this node.',
      '# TYPE instance_ha_worker_running gauge',
      `instance_ha_worker_running ${this.running ? 1 : 0}`,
      '',
    ].join('\n');
  }

  /** Writes the file when its content changed since the last write (a failed write is tried again next time). */
  flush(): void {
    const text = this.render();
    if (text === this.written) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, text, { mode: 0o644 });
      renameSync(tmp, this.file);
      this.written = text;
      this.lastError = undefined;
    } catch (e) {
      rmSync(tmp, { force: true });
      const message = `metrics_file ${this.file}: ${(e as Error).message}`;
      if (message !== this.lastError) this.warn(message);
      this.lastError = message;
    }
  }
}

/** Every event to both: the event log and the metrics. */
export function bothSinks(a: EventSink, b: EventSink): EventSink {
  return { emit: (e) => { a.emit(e); b.emit(e); } };
}
