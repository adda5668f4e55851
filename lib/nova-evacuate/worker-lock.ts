import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

// One evacuation worker per resource and node, whatever happened before: the lock is an
// abstract Unix socket name, which the kernel frees when its holder dies (SIGKILL included)
// and gives to one process only. Nothing on disk can go stale.

export class WorkerLockHeld extends Error {
  override name = 'WorkerLockHeld';
}

export function workerLockName(instance: string): string {
  return `\0instance-ha-agents/NovaEvacuate/${instance}`;
}

/** Holds the lock until the process ends (or release()); throws WorkerLockHeld when another process holds it. */
export async function holdWorkerLock(instance: string): Promise<{ release: () => void }> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new WorkerLockHeld(`another evacuation worker of ${instance} is running on this node`) : e));
    server.listen(workerLockName(instance), resolve);
  });
  server.unref();
  return { release: () => server.close() };
}

/** The pid holding the lock (from /proc: the socket's inode, then whose descriptor it is), if any. */
export function workerLockHolder(instance: string): number | undefined {
  const name = `@${workerLockName(instance).slice(1)}`;
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
