// What one benchmark run measured: each part (cold start, reference evacuation, ours) is saved
// to build/bench/<part>.json on its own, so the slow reference side and the cluster-locked side
// of ours can run apart; the report is rendered from whatever parts are there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { ColdStart } from './cold-start.ts';
import type { Stat } from './evacuation-reference.ts';

export const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, 'build', 'bench');

export interface Context { date: string; machine: string; commit: string; loadBefore: number[]; loadAfter?: number[]; quick: boolean }

export interface OursCell { n: number; latencyMs: number; runs: number; lastAccepted: Stat; firstPost: Stat; allActive: Stat }
export interface ReferenceCell { n: number; latencyMs: number; runs: number; lastAccepted: Stat; firstPost: Stat; peakRssKiB: Stat }

export interface Parts {
  coldStart?: { context: Context; runs: number; results: ColdStart[] };
  reference?: { context: Context; cells: ReferenceCell[] };
  /** processMaxRssKiB: the whole bench process (worker + in-process simulator), after the largest N. */
  ours?: { context: Context; cells: OursCell[]; concurrency: number; rebuildMs: number; pollMs: number; processMaxRssKiB: number };
}

export function context(quick: boolean): Context {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    // What ran is the working tree: say so when the measured code differs from the commit.
    if (execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'lib', 'agents', 'bench'], { encoding: 'utf8' }).trim()) commit += ' + uncommitted changes in lib/agents/bench';
  } catch { /* not a clone */ }
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  return { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), machine, commit, loadBefore: loadavg().map(round1), quick };
}

export const finish = (c: Context): Context => ({ ...c, loadAfter: loadavg().map(round1) });
const round1 = (x: number) => Math.round(x * 10) / 10;

export function savePart<K extends keyof Parts>(name: K, value: NonNullable<Parts[K]>): void {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, `${name}.json`), `${JSON.stringify(value, null, 1)}\n`);
}

export function loadParts(): Parts {
  const read = (name: string) => (existsSync(join(DIR, `${name}.json`)) ? JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) : undefined);
  return { coldStart: read('coldStart'), reference: read('reference'), ours: read('ours') };
}
