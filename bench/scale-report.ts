// The tables of bench/scale.ts, with the issue-16 goals as ratios measured in the same run.
import type { WindowFigures } from '../test/scale/probe.ts';
import { MILESTONES, summarise } from '../test/scale/failures.ts';
import type { ScaleResult } from './scale.ts';

const fmt = (x: number | undefined, digits = 1) => (x === undefined || Number.isNaN(x) ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(digits));
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? '—' : 'from 0') : `${(a / b).toFixed(2)}×`);
const perMin = (w: WindowFigures, v: number) => (v * 60) / w.seconds;
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| --- |${head.slice(1).map(() => ' ---: |').join('')}`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function steadyTable(r: ScaleResult): string {
  const s = r.sizes;
  const first = s[0]!;
  const last = s[s.length - 1]!;
  const rows: [string, (w: WindowFigures, n: number) => number, boolean][] = [
    ['Nova requests / min', (w) => perMin(w, w.novaRequests), false],
    ['· per node', (w, n) => perMin(w, w.novaRequests) / n, true],
    ['Keystone logins / min', (w) => perMin(w, w.keystoneLogins), false],
    ['· per node', (w, n) => perMin(w, w.keystoneLogins) / n, true],
    ['CPU-seconds of ours (those + the worker) / min', (w) => perMin(w, w.ourCpuSeconds), false],
    ['· per node', (w, n) => perMin(w, w.ourCpuSeconds) / n, true],
    ['our processes and their forks / min', (w) => perMin(w, w.ourProcesses), false],
    ['forks, all (Pacemaker, fence agents, ours) / min', (w) => perMin(w, w.forks), false],
    ['· per node', (w, n) => perMin(w, w.forks) / n, true],
    ['CPU-seconds of everything that ended / min', (w) => perMin(w, w.allCpuSeconds), false],
    ['CIB writes / min', (w) => perMin(w, w.cibWrites), false],
    ['· per node', (w, n) => perMin(w, w.cibWrites) / n, true],
    ['our Pacemaker log lines / min', (w) => perMin(w, w.ourLogLines), false],
    ['NovaEvacuate worker RSS (MiB)', (w) => w.workerRssMiB ?? Number.NaN, false],
  ];
  return table(['steady state', ...s.map((x) => `N = ${x.n}`), `N = ${last.n} / N = ${first.n} (per node)`], [
    ['testbed up (s)', ...s.map((x) => fmt(x.upSeconds, 0)), ''],
    ...rows.map(([label, f, perNode]) => [label, ...s.map((x) => fmt(f(x.steady, x.n), 2)),
      perNode ? ratio(f(last.steady, last.n), f(first.steady, first.n)) : '']),
  ]);
}

function failureTable(r: ScaleResult): string {
  const base = r.failures.find((f) => f.k === 1);
  const rows = r.failures.map(({ k, timelines }) => {
    const s = summarise(timelines);
    const evac = timelines.reduce((a, t) => a + t.evacuations, 0);
    const inst = timelines.reduce((a, t) => a + t.instances, 0);
    const vsOne = base ? ratio(s.all_active_elsewhere.max, summarise(base.timelines).all_active_elsewhere.max) : '—';
    return [String(k), ...MILESTONES.map((m) => `${fmt(s[m].median)} / ${fmt(s[m].max)}`), `${evac} / ${inst}`, vsOne];
  });
  return table(['hosts failed together', ...MILESTONES.map((m) => `${m.replaceAll('_', ' ')} (s, median / last)`),
    'evacuations / instances (an instance placed on a host not yet seen failing is evacuated again from there)', 'last all ACTIVE vs k = 1'], rows);
}

function heldTable(r: ScaleResult): string {
  const [one, many] = r.held;
  if (!one || !many) return '(not measured)';
  const rows: [string, (w: WindowFigures, hosts: number) => number][] = [
    ['Nova requests / min', (w) => perMin(w, w.novaRequests)],
    ['Keystone logins / min', (w) => perMin(w, w.keystoneLogins)],
    ['forks / min', (w) => perMin(w, w.forks)],
    ['our processes and their forks / min', (w) => perMin(w, w.ourProcesses)],
    ['CPU-seconds of ours (those + the worker) / min', (w) => perMin(w, w.ourCpuSeconds)],
    ['CIB writes / min', (w) => perMin(w, w.cibWrites)],
    ['our Pacemaker log lines / min', (w) => perMin(w, w.ourLogLines)],
    ['· per held host per hour', (w, h) => (perMin(w, w.ourLogLines) * 60) / h],
  ];
  return table(['held, per window', one.label, many.label, `${many.label} / ${one.label}`],
    rows.map(([label, f]) => [label, fmt(f(one.figures, one.hosts), 1), fmt(f(many.figures, many.hosts), 1), ratio(f(many.figures, many.hosts), f(one.figures, one.hosts))]));
}

export function renderScale(r: ScaleResult, end: { date: string; commit: string; machine: string; loadBefore: number[]; loadAfter?: number[]; command: string }): string {
  return `### The scale testbed: a real Pacemaker cluster of N pacemaker_remote computes

\`${end.command}\` — ${end.date}, commit ${end.commit}, ${end.machine},
load average ${end.loadBefore.join('/')} before, ${end.loadAfter?.join('/')} after.

Steady state (a window of ${fmt(r.sizes[0]?.steady.seconds, 0)} s per N, nothing failed; Pacemaker's own monitors included in "forks"):

${steadyTable(r)}

${r.failures.length ? `Hosts failing together at N = ${r.largest} (pacemaker-remoted killed on each at the same moment; seconds from the kill):\n\n${failureTable(r)}\n` : ''}
${r.held.length ? `A mass failure held by the guard at N = ${r.largest} (${r.held[1]?.hosts} of ${r.largest} hosts lost, default threshold 50 %) beside 1 host held the same way (threshold 0), over ${fmt(r.held[0]?.figures.seconds, 0)} s of holding:\n\n${heldTable(r)}\n` : ''}
${r.errors.length ? `Not completed: ${r.errors.join('; ')}\n\n` : ''}Memory: the NovaEvacuate worker ${fmt(r.workerRssMiB, 0)} MiB RSS holding the mass failure; the highest RSS of any other agent process seen during the failures ${fmt(r.agentPeakRssMiB, 0)} MiB (VmHWM, sampled every 250 ms).
`;
}
