import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../../scripts/build.ts';

// The live contract suite (vitest.openstack.config.ts) installs and starts the real cloud once,
// and stops it again, also when starting failed. IHA_OPENSTACK_TARGETS=simulator skips it;
// IHA_OPENSTACK_REUSE=1 uses a cloud already started by hand (start.sh) and leaves it running.
// The built `instance-ha` (maintenance.openstack.ts) needs build/bin and the local test cluster
// (its ledger is the CIB): built here, the cluster started and stopped like the main suite's
// (IHA_TEST_NO_CLUSTER=1: a cluster someone else runs). Hold /run/lock/ihaa-cluster.lock.
const HERE = dirname(fileURLToPath(import.meta.url));
const CLUSTER = '../helpers/cluster/cluster.sh';
const wanted = () => (process.env.IHA_OPENSTACK_TARGETS ?? 'simulator,real').split(',').includes('real')
  && process.env.IHA_OPENSTACK_REUSE !== '1';
const ownCluster = () => process.env.IHA_TEST_NO_CLUSTER !== '1';

/** Runs a script of ours to its end (bounded), its output on ours; never blocks vitest's event loop (its workers exit meanwhile). */
const sh = (script: string, timeoutMs: number, ...args: string[]) => new Promise<void>((ok, fail) => {
  const p = spawn('bash', [join(HERE, script), ...args], { stdio: 'inherit', timeout: timeoutMs });
  p.on('error', fail);
  p.on('exit', (code, signal) => (code === 0 ? ok() : fail(new Error(`${script} ${args.join(' ')}: ${signal ?? `exit code ${code}`}`))));
});

export async function setup(): Promise<void> {
  await buildBundle();
  if (ownCluster()) await sh(CLUSTER, 600_000, 'start');
  if (!wanted()) return;
  try {
    await sh('install.sh', 900_000); // idempotent: a second run costs nothing
    await sh('start.sh', 300_000);   // ~50-150 s: stops a previous run's processes first, wipes the state
  } catch (e) {
    await sh('stop.sh', 120_000);
    if (ownCluster()) await sh(CLUSTER, 120_000, 'stop');
    throw e;
  }
}

export async function teardown(): Promise<void> {
  try {
    if (wanted()) await sh('stop.sh', 120_000);
  } finally {
    if (ownCluster()) await sh(CLUSTER, 120_000, 'stop');
  }
}
