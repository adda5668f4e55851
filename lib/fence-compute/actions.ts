import type { FenceContext } from '../fence/agent.ts';

/** The Nova-facing actions (on, off, status, list, monitor). */
export async function runFenceComputeAction(action: string, ctx: FenceContext): Promise<number> {
  ctx.log.error(`action ${action} needs the OpenStack client, which this build does not have yet`);
  return 1;
}
