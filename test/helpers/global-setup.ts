import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../../scripts/build.ts';
import { unlockSystemPaths } from './system-lock.ts';

// Once per test run: build the agents as shipped, and start the real single-node Pacemaker
// cluster the attrd and stonith tests talk to. No fallback: if it cannot start, the run fails.
const HERE = dirname(fileURLToPath(import.meta.url));
const CLUSTER = join(HERE, 'cluster', 'cluster.sh');

export async function setup(): Promise<void> {
  // For running a few cluster-free test files while another run owns the cluster (and its locks).
  const shared = process.env.IHA_TEST_NO_CLUSTER === '1';
  if (!shared) unlockSystemPaths(); // a lock left by a run that was killed
  await buildBundle();
  if (shared) return;
  execFileSync('bash', [CLUSTER, 'start'], { stdio: 'inherit', timeout: 600_000 });
}

export async function teardown(): Promise<void> {
  if (process.env.IHA_TEST_NO_CLUSTER === '1') return;
  execFileSync('bash', [CLUSTER, 'stop'], { stdio: 'inherit', timeout: 120_000 });
}
