// The tables of bench/mass-failure.ts: every figure per minute, one column per scenario and the
// ratio of the mass failure to the single host held the same way (the issue-16 goal is about
// that ratio: costs must not grow with the number of held hosts).
import { TOOLS } from './mass-failure-deps.ts';
import type { Scenario, Window } from './mass-failure-run.ts';

export interface Measured { scenario: Scenario; windows: Window[] }

interface Row { label: string; value: (w: Window, s: Scenario) => number; digits?: number; perMinute?: boolean }

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

function rows(all: Measured[], i: number): Row[] {
  const classes = [...new Set(all.flatMap((m) => [...m.windows[i]!.requests.keys()]))].sort();
  return [
    { label: '**OpenStack requests**', value: (w) => sum(w.requests), perMinute: true },
    ...classes.map((c) => ({ label: `· \`${c}\``, value: (w: Window) => w.requests.get(c) ?? 0, perMinute: true })),
    { label: '**forks**', value: (w) => sum(w.forks), perMinute: true },
    ...TOOLS.map((t) => ({ label: `· ${t}`, value: (w: Window) => w.forks.get(t) ?? 0, perMinute: true })),
    { label: 'most `stonith_admin` at once', value: (w) => w.peakForks.get('stonith_admin') ?? 0 },
    { label: 'most `cibadmin` at once', value: (w) => w.peakForks.get('cibadmin') ?? 0 },
    { label: '**log lines, warning and above**', value: (w) => w.warningLines, perMinute: true },
    { label: '· the same per held host per hour', value: (w, s) => (w.warningLines * 3600) / w.seconds / s.marked },
    { label: 'log lines, all levels (debug too)', value: (w) => w.allLines, perMinute: true },
    { label: 'CPU seconds (process: worker + simulator)', value: (w) => w.cpuSeconds, digits: 1, perMinute: true },
    { label: 'RSS at the end (MiB, process)', value: (w) => w.rssMiB },
  ];
}

const fmt = (x: number, digits = 0) => (Number.isInteger(x) && !digits ? String(x) : x.toFixed(digits || (x < 10 ? 1 : 0)));

/** One window of every scenario; `base` and `mass` name the two columns of the ratio. */
export function renderTable(all: Measured[], i: number, base: Measured, mass: Measured): string {
  const head = `| per minute | ${all.map((m) => m.scenario.label).join(' | ')} | ${mass.scenario.label} / ${base.scenario.label} |`;
  const lines = rows(all, i).map((r) => {
    const v = (m: Measured) => { const w = m.windows[i]!; return r.value(w, m.scenario) * (r.perMinute ? 60 / w.seconds : 1); };
    const b = v(base);
    const ratio = b === 0 ? (v(mass) === 0 ? '—' : 'from 0') : `${(v(mass) / b).toFixed(1)}×`;
    return `| ${r.label} | ${all.map((m) => fmt(v(m), r.digits)).join(' | ')} | ${ratio} |`;
  });
  return [head, `| --- |${all.map(() => ' ---: |').join('')} ---: |`, ...lines].join('\n');
}
