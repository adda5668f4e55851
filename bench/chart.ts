// docs/benchmarks.svg: one pair of horizontal bars per timed figure (ours, reference), on a log
// scale so that 30 ms and 200 s fit on one chart. Plain SVG text, no dependency.
import { figures, fmt, type Figure } from './figures.ts';
import type { Parts } from './results.ts';

const W = 900;
const LABEL_W = 330;
const BAR_H = 11;
const ROW_H = 2 * BAR_H + 10;
const TOP = 50;
const COLORS = { ours: '#2b7bb9', reference: '#d9822b' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderChart(p: Parts): string {
  const rows = figures(p).filter((f) => f.unit === 'ms' && (f.ours || f.reference));
  const values = rows.flatMap((f) => [f.ours?.median, f.reference?.median]).filter((v): v is number => v !== undefined && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values, 10)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values, 1000)));
  const plotW = W - LABEL_W - 90;
  const x = (v: number) => LABEL_W + (plotW * Math.log10(v / lo)) / Math.log10(hi / lo);
  const height = TOP + rows.length * ROW_H + 30;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${height}" fill="white"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">instance-ha-agents vs the reference agents (median, log scale; shorter is better)</text>`,
    legend(10, 36, 'ours', COLORS.ours), legend(80, 36, 'reference (hatched: model)', COLORS.reference),
  ];
  for (let v = lo; v <= hi; v *= 10) {
    out.push(`<line x1="${x(v)}" y1="${TOP - 6}" x2="${x(v)}" y2="${height - 24}" stroke="#ddd"/>`,
      `<text x="${x(v)}" y="${height - 10}" text-anchor="middle" fill="#555">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`);
  }
  rows.forEach((f, i) => out.push(...row(f, TOP + i * ROW_H, x)));
  out.push('<defs><pattern id="model" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    + `<rect width="6" height="6" fill="${COLORS.reference}" opacity="0.35"/><line x1="0" y1="0" x2="0" y2="6" stroke="${COLORS.reference}" stroke-width="3"/></pattern></defs>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function row(f: Figure, y: number, x: (v: number) => number): string[] {
  const out = [`<text x="${LABEL_W - 8}" y="${y + BAR_H + 3}" text-anchor="end">${esc(f.label)}</text>`];
  const bar = (s: Figure['ours'], yy: number, fill: string) => {
    if (!s) return;
    const x0 = x(Math.max(s.median, 1));
    out.push(`<rect x="${LABEL_W}" y="${yy}" width="${Math.max(1, x0 - LABEL_W).toFixed(1)}" height="${BAR_H}" fill="${fill}"/>`,
      `<text x="${(x0 + 4).toFixed(1)}" y="${yy + BAR_H - 2}" fill="#333">${esc(fmt({ ...s, min: s.median, max: s.median }, f.unit))}</text>`);
  };
  bar(f.ours, y, COLORS.ours);
  bar(f.reference, y + BAR_H + 1, f.referenceModel ? 'url(#model)' : COLORS.reference);
  return out;
}

const legend = (x: number, y: number, text: string, color: string) =>
  `<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${color}"/><text x="${x + 14}" y="${y}">${esc(text)}</text>`;
