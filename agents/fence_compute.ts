import { fenceCompute } from '../lib/fence-compute/agent.ts';
import { fenceComputeManPage } from '../lib/fence-compute/manpage.ts';
import { runFenceAgent } from '../lib/fence/run.ts';

/** fence_compute: the fence-agents protocol over lib/fence-compute. */
export async function main(): Promise<number> {
  return runFenceAgent(fenceCompute, fenceComputeManPage);
}
