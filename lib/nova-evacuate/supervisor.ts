import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { childEnvironment } from '../child.ts';
import { sleep } from '../time.ts';
import { workerLockHolder } from './worker-lock.ts';

// start launches the evacuation worker as its own process and monitor checks it: evacuations
// then never run inside a monitor operation (the reference's worst failure: a long evacuation
// timed the monitor out), and the worker begins within a poll interval of a mark.
//
// The worker's parameters (secrets included) travel over a pipe, never in its argv or
// environment, so /proc/<pid>/environ of the worker holds no password.

export interface WorkerRecord {
  pid: number;
  /** /proc/<pid>/stat start time: guards against a reused pid. */
  startTicks: string;
}

export interface WorkerFiles {
  /** JSON WorkerRecord; its presence means "started". */
  state: string;
  /** Touched by the worker every loop. */
  heartbeat: string;
  log: string;
}

export function workerFiles(rsctmp: string, instance: string, logDir: string): WorkerFiles {
  const safe = instance.replace(/[^\w.:@-]/g, '_');
  return { state: join(rsctmp, `NovaEvacuate-${safe}.worker`), heartbeat: join(rsctmp, `NovaEvacuate-${safe}.heartbeat`), log: join(logDir, `nova-evacuate-${safe}.log`) };
}

export function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

export function readRecord(files: WorkerFiles): WorkerRecord | undefined {
  try { return JSON.parse(readFileSync(files.state, 'utf8')) as WorkerRecord; } catch { return undefined; }
}

export function workerAlive(files: WorkerFiles): WorkerRecord | undefined {
  const r = readRecord(files);
  return r && processStartTicks(r.pid) === r.startTicks ? r : undefined;
}

export function heartbeatAgeMs(files: WorkerFiles): number | undefined {
  try { return Date.now() - statSync(files.heartbeat).mtimeMs; } catch { return undefined; }
}

export function touchHeartbeat(path: string): void {
  const now = new Date();
  try { utimesSync(path, now, now); } catch { writeFileSync(path, ''); }
}

/**
 * Launches this program again as the worker (IHA_ROLE=worker; `script` is the bundle to run, or
 * undefined in the single-executable build), hands it the configuration, waits for its first heartbeat.
 */
export async function launchWorker(files: WorkerFiles, script: string | undefined, config: unknown, readyTimeoutMs: number): Promise<WorkerRecord> {
  mkdirSync(dirname(files.state), { recursive: true });
  mkdirSync(dirname(files.log), { recursive: true, mode: 0o750 });
  rmSync(files.heartbeat, { force: true });
  const logFd = openSync(files.log, 'a', 0o640);
  const child = spawn(process.execPath, script ? [...process.execArgv, script] : [], {
    detached: true,
    stdio: ['pipe', logFd, logFd],
    env: childEnvironment({ IHA_AGENT: 'NovaEvacuate', IHA_ROLE: 'worker' }),
  });
  closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stdin?.end(JSON.stringify(config));
  const pid = child.pid ?? 0;
  child.unref();
  const deadline = Date.now() + readyTimeoutMs;
  while (!existsSync(files.heartbeat)) {
    const code = await Promise.race([exited, sleep(100).then(() => 'running' as const)]);
    if (code !== 'running') throw new Error(`the evacuation worker exited (${code}) before it was ready; see ${files.log}`);
    if (Date.now() > deadline) {
      // A failed start must leave no worker: Pacemaker will start another one.
      killGroup(pid);
      await Promise.race([exited, sleep(2000)]);
      throw new Error(`the evacuation worker was not ready within ${readyTimeoutMs / 1000} s (stopped it); see ${files.log}`);
    }
  }
  const record = { pid, startTicks: processStartTicks(pid) ?? '' };
  writeFileSync(files.state, JSON.stringify(record), { mode: 0o600 });
  return record;
}

/** The worker and whatever it started (it leads its own process group: spawned detached). */
function killGroup(pid: number): void {
  try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

/**
 * TERM, then KILL after graceMs; always removes the state. Also the process holding the
 * worker's lock (worker-lock.ts), recorded or not, so no worker outlives a stop.
 */
export async function stopWorker(files: WorkerFiles, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  const recorded = workerAlive(files);
  const holder = workerLockHolder(files.heartbeat);
  const targets = [recorded, holder && holder !== recorded?.pid ? { pid: holder, startTicks: processStartTicks(holder) ?? '' } : undefined]
    .filter((r): r is WorkerRecord => r !== undefined);
  for (const r of targets) { try { process.kill(r.pid, 'SIGTERM'); } catch { /* gone */ } }
  for (const r of targets) {
    while (processStartTicks(r.pid) === r.startTicks && Date.now() < deadline) await sleep(100);
    if (processStartTicks(r.pid) === r.startTicks) killGroup(r.pid);
  }
  rmSync(files.state, { force: true });
  rmSync(files.heartbeat, { force: true });
}

/** A worker holding the lock that no state file records (it is adopted by start, stopped by stop). */
export function unrecordedWorker(files: WorkerFiles): WorkerRecord | undefined {
  if (workerAlive(files)) return undefined;
  const pid = workerLockHolder(files.heartbeat);
  const startTicks = pid === undefined ? undefined : processStartTicks(pid);
  return pid !== undefined && startTicks ? { pid, startTicks } : undefined;
}

/** Records a worker as this resource's (start adopting one that holds the lock). */
export function recordWorker(files: WorkerFiles, record: WorkerRecord): void {
  writeFileSync(files.state, JSON.stringify(record), { mode: 0o600 });
}
