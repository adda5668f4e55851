import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// The scale suite brings its testbed up once with IHA_SCALE_N computes (25 by default: at 50 on 2
// cores pacemaker-fenced falls behind during bring-up, pacemakerd kills it, and its fencing
// history is lost; docs/scale.md), and down again (also on failure).
const SCALE = join(import.meta.dirname, 'scale.sh');
export const scaleN = () => Number(process.env.IHA_SCALE_N ?? 25);

export async function setup(): Promise<void> {
  execFileSync('bash', [SCALE, 'up', String(scaleN()), '2'], { stdio: 'inherit', timeout: 1_200_000 });
}

export async function teardown(): Promise<void> {
  execFileSync('bash', [SCALE, 'down'], { stdio: 'inherit', timeout: 600_000 });
}
