import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:net';

// One evacuation worker per resource and node, whatever happened before: the lock is an
// abstract Unix socket name, which the kernel frees when its holder dies (SIGKILL included)
// and gives to one process only. Nothing on disk can go stale.

/** The worker's exit code when another one holds the lock. */
export const WORKER_LOCK_HELD_EXIT = 3;

export class WorkerLockHeld extends Error {
  override name = 'WorkerLockHeld';
}

/**
 * The lock of the worker whose heartbeat file is `key` (one per resource instance and state
 * directory, so tests with their own HA_RSCTMP do not meet Pacemaker's worker). Abstract names
 * hold 107 bytes: a longer key is hashed.
 */
export function workerLockName(key: string): string {
  const name = `instance-ha-agents:${key}`;
  return `\0${name.length <= 100 ? name : `instance-ha-agents:${createHash('sha256').update(key).digest('hex')}`}`;
}

/** Holds the lock until the process ends (or release()); throws WorkerLockHeld when another process holds it. */
export async function holdWorkerLock(key: string): Promise<{ release: () => void }> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new WorkerLockHeld(`another evacuation worker (${key}) is running on this node`) : e));
    server.listen(workerLockName(key), resolve);
  });
  server.unref();
  return { release: () => server.close() };
}

/** The pid holding the lock (from /proc: the socket's inode, then whose descriptor it is), if any. */
export function workerLockHolder(key: string): number | undefined {
  const name = `@${workerLockName(key).slice(1)}`;
  let inode: string | undefined;
  try {
    for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[7] === name) inode = f[6];
    }
  } catch { return undefined; }
  if (!inode) return undefined;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSafe(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`)) return Number(pid);
    } catch { /* gone, or not ours to read */ }
  }
  return undefined;
}

function readlinkSafe(path: string): string | undefined {
  try { return readlinkSync(path); } catch { return undefined; }
}
