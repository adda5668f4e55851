// The figures of a benchmark run, ours beside the reference, as rows that the Markdown table
// and the SVG chart both draw from.
import type { Stat } from './evacuation-reference.ts';
import type { OursCell, Parts } from './results.ts';
import { RUNTIME_ALONE } from './cold-start.ts';

export interface Figure {
  group: 'cold start' | 'evacuation' | 'first evacuate' | 'peak memory';
  label: string;
  unit: 'ms' | 'KiB';
  ours?: Stat;
  reference?: Stat;
  /** The reference figure is a model, not a measurement (says how). */
  referenceModel?: string;
  note?: string;
}

/** The reference NovaEvacuate's loop (not in Debian): a 10 s monitor, then fence_evacuate. */
export const MONITOR_MS = 10_000;

export const floorMs = (c: OursCell, concurrency: number, rebuildMs: number) => Math.ceil(c.n / concurrency) * c.latencyMs + rebuildMs;
const shift = (s: Stat, lo: number, mid: number, hi: number): Stat => ({ median: s.median + mid, min: s.min + lo, max: s.max + hi });

export function figures(p: Parts): Figure[] {
  const out: Figure[] = [];
  for (const c of p.coldStart?.results ?? []) {
    const label = c.action === RUNTIME_ALONE ? c.action : `fence_compute ${c.action}`;
    out.push({ group: 'cold start', label, unit: 'ms', ours: c.ours, reference: c.reference,
      ...(c.action === RUNTIME_ALONE ? { note: 'the bound for anything run through Node' } : {}) });
  }
  const oursCells = p.ours?.cells ?? [];
  const refCells = p.reference?.cells ?? [];
  const keys = [...new Set([...oursCells, ...refCells].map((c) => `${c.latencyMs}:${c.n}`))]
    .map((k) => k.split(':').map(Number) as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [latencyMs, n] of keys) {
    const o = oursCells.find((c) => c.n === n && c.latencyMs === latencyMs);
    const r = refCells.find((c) => c.n === n && c.latencyMs === latencyMs);
    const at = `N=${n}, ${latencyMs} ms/request`;
    out.push({ group: 'evacuation', label: `${at}: all evacuations accepted`, unit: 'ms', ours: o?.lastAccepted, reference: r?.lastAccepted });
    if (o && p.ours) {
      const floor = floorMs(o, p.ours.concurrency, p.ours.rebuildMs);
      out.push({ group: 'evacuation', label: `${at}: all ACTIVE elsewhere (verified)`, unit: 'ms', ours: o.allActive,
        note: `${(o.allActive.median / floor).toFixed(2)}× the floor ${(floor / 1000).toFixed(2)} s; the reference does not wait` });
    }
    if (o || r) {
      out.push({ group: 'first evacuate', label: `${at}: mark → first evacuate`, unit: 'ms', ours: o?.firstPost,
        reference: r && shift(r.firstPost, 0, MONITOR_MS / 2, MONITOR_MS), referenceModel: 'model: 10 s monitor (0–10 s, median 5 s) + fence_evacuate start → first POST measured; its extra -o status run not counted' });
    }
  }
  for (const c of p.coldStart?.results ?? []) {
    const label = c.action === RUNTIME_ALONE ? c.action : `fence_compute ${c.action}`;
    out.push({ group: 'peak memory', label: `${label} (max RSS)`, unit: 'KiB', ours: c.oursRssKiB, reference: c.referenceRssKiB });
  }
  const biggest = [...refCells].sort((a, b) => b.n - a.n || b.peakRssKiB.median - a.peakRssKiB.median)[0];
  if (p.ours || biggest) {
    const n = biggest?.n ?? Math.max(...oursCells.map((c) => c.n));
    const rss = p.ours?.processMaxRssKiB;
    out.push({ group: 'peak memory', label: `evacuating N=${n} (max RSS)`, unit: 'KiB', reference: biggest?.peakRssKiB,
      ours: rss === undefined ? undefined : { median: rss, min: rss, max: rss },
      note: 'ours: the whole bench process (worker + in-process simulator + harness), an upper bound; reference: fence_evacuate VmHWM' });
  }
  return out;
}

export function fmt(s: Stat | undefined, unit: Figure['unit']): string {
  if (!s || !Number.isFinite(s.median)) return '—';
  const one = (x: number) => (unit === 'KiB' ? `${(x / 1024).toFixed(0)}` : x >= 1000 ? (x / 1000).toFixed(2) : x.toFixed(0));
  const u = unit === 'KiB' ? 'MiB' : s.median >= 1000 ? 's' : 'ms';
  return s.min === s.max ? `${one(s.median)} ${u}` : `${one(s.median)} ${u} (${one(s.min)}–${one(s.max)})`;
}

/** reference / ours: how many times faster (or smaller) ours is. */
export const ratio = (f: Figure) => (f.ours && f.reference ? f.reference.median / f.ours.median : undefined);
