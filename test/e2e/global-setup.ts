import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// The end-to-end suite brings the whole testbed up once, and down again (also on failure).
const TESTBED = join(dirname(fileURLToPath(import.meta.url)), 'testbed.sh');

export async function setup(): Promise<void> {
  execFileSync('bash', [TESTBED, 'up'], { stdio: 'inherit', timeout: 900_000 });
}

export async function teardown(): Promise<void> {
  execFileSync('bash', [TESTBED, 'down'], { stdio: 'inherit', timeout: 300_000 });
}
