import { lstatSync, mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO } from './run.ts';

// Test files run in parallel; those that install into system paths (/usr/sbin/fence_compute,
// /usr/lib/ocf/resource.d/openstack, the .deb) take turns. A lock left by a killed run expires.
const LOCK = '/run/lock/instance-ha-agents-tests';
const STALE_MS = 15 * 60_000;

export async function lockSystemPaths(timeoutMs = 600_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      try { if (Date.now() - statSync(LOCK).mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true }); } catch { /* gone */ }
      if (Date.now() > end) throw new Error(`system paths still locked by another test after ${timeoutMs / 1000} s (${LOCK})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export function unlockSystemPaths(): void {
  rmSync(LOCK, { recursive: true, force: true });
}

/**
 * Puts the built fence_compute where Pacemaker looks (/usr/sbin, Debian's moved aside with
 * dpkg-divert) and Debian's back: `bash DIVERT_FENCE_COMPUTE install LAUNCHER | restore | status`. Hold the lock.
 */
export const DIVERT_FENCE_COMPUTE = join(REPO, 'test/helpers/cluster/divert-fence-compute.sh');

/** Where Pacemaker looks for ocf:openstack:NovaEvacuate. */
export const OCF_NOVA_EVACUATE = '/usr/lib/ocf/resource.d/openstack/NovaEvacuate';

/** The built NovaEvacuate linked where Pacemaker looks (a stale link replaced; a file that is not ours refused). Hold the lock. */
export function linkOcfNovaEvacuate(): void {
  mkdirSync(join(OCF_NOVA_EVACUATE, '..'), { recursive: true });
  const found = lstatSync(OCF_NOVA_EVACUATE, { throwIfNoEntry: false });
  if (found && !found.isSymbolicLink()) throw new Error(`${OCF_NOVA_EVACUATE} exists and is not ours`);
  if (found) rmSync(OCF_NOVA_EVACUATE);
  symlinkSync(join(BIN, 'NovaEvacuate'), OCF_NOVA_EVACUATE);
}
