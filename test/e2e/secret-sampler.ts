// Samples /proc throughout the end-to-end run: no process of ours (the installed agents and
// every process they start: the evacuation worker, attrd_updater, stonith_admin, …) may carry a
// secret in its argv or environment. One exception, by protocol: an OCF action process gets its
// parameters from pacemaker-execd as OCF_RESKEY_* variables, so its own environment is not ours
// to clean (its argv and its children still are).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const OUR_BINARY = '/usr/lib/instance-ha-agents/instance-ha-agents';

interface Proc { pid: number; ppid: number; exe: string }

function processes(): Map<number, Proc> {
  const all = new Map<number, Proc>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      all.set(Number(d), { pid: Number(d), ppid, exe: readlinkSync(`/proc/${d}/exe`) });
    } catch { /* gone, or a kernel thread */ }
  }
  return all;
}

function ourProcesses(all: Map<number, Proc>): Proc[] {
  const ours = (p: Proc | undefined, depth = 0): boolean =>
    p !== undefined && depth < 32 && (p.exe === OUR_BINARY || ours(all.get(p.ppid), depth + 1));
  return [...all.values()].filter((p) => ours(p));
}

export interface SamplerResult { samples: number; processesSeen: number; hits: string[] }

export function startSecretSampler(secrets: readonly string[], intervalMs = 300): { stop(): SamplerResult } {
  const hits = new Set<string>();
  const seen = new Set<number>();
  let samples = 0;
  const sample = () => {
    samples++;
    for (const p of ourProcesses(processes())) {
      seen.add(p.pid);
      try {
        const argv = readFileSync(`/proc/${p.pid}/cmdline`, 'latin1');
        const env = readFileSync(`/proc/${p.pid}/environ`, 'latin1');
        const ocfAction = p.exe === OUR_BINARY && env.split('\0').some((v) => v.startsWith('OCF_RESOURCE_INSTANCE='));
        for (const s of secrets) {
          if (argv.includes(s)) hits.add(`argv of ${p.exe} (pid ${p.pid}): ${argv.replaceAll('\0', ' ').replaceAll(s, '<secret>')}`);
          if (!ocfAction && env.includes(s)) hits.add(`environment of ${p.exe} (pid ${p.pid})`);
        }
      } catch { /* exited meanwhile */ }
    }
  };
  const timer = setInterval(sample, intervalMs);
  return { stop: () => { clearInterval(timer); return { samples, processesSeen: seen.size, hits: [...hits] }; } };
}
