import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The live contract suite (vitest.openstack.config.ts) installs and starts the real cloud once,
// and stops it again, also when starting failed. IHA_OPENSTACK_TARGETS=simulator skips it;
// IHA_OPENSTACK_REUSE=1 uses a cloud already started by hand (start.sh) and leaves it running.
const HERE = dirname(fileURLToPath(import.meta.url));
const wanted = () => (process.env.IHA_OPENSTACK_TARGETS ?? 'simulator,real').split(',').includes('real')
  && process.env.IHA_OPENSTACK_REUSE !== '1';
const sh = (script: string, timeoutMs: number) => execFileSync('bash', [join(HERE, script)], { stdio: 'inherit', timeout: timeoutMs });

export async function setup(): Promise<void> {
  if (!wanted()) return;
  try {
    sh('install.sh', 900_000); // idempotent: a second run costs nothing
    sh('start.sh', 300_000);   // ~50-65 s: stops a previous run's processes first, wipes the state
  } catch (e) {
    sh('stop.sh', 120_000);
    throw e;
  }
}

export async function teardown(): Promise<void> {
  if (wanted()) sh('stop.sh', 120_000);
}
