import type { FenceAgent, FenceContext } from '../fence/agent.ts';
import type { ParamValues } from '../params/types.ts';
import { fenceComputeParams } from './params.ts';
import { validateOpenstackParams } from '../openstack/validate.ts';

/** record_only values that turn the device into a no-op (reference behaviour). */
const RECORD_ONLY_DISABLED = new Set(['2', 'disabled']);

export const fenceCompute: FenceAgent = {
  name: 'fence_compute',
  shortdesc: 'Fence agent for the automatic resurrection of OpenStack compute instances',
  longdesc:
    'Marks a failed compute host for evacuation: forces its nova-compute service down, disables it and records evacuate=yes for the Nova host in attrd, where the NovaEvacuate resource picks it up. Used as the second device of a fencing level, after the power device. Unfencing (on) returns the host to Nova once its evacuation has finished.',
  vendorUrl: 'https://www.openstack.org',
  params: fenceComputeParams,
  actions: [
    { name: 'on', automatic: true },
    { name: 'off' },
    { name: 'status' },
    { name: 'list' },
    { name: 'list-status' },
    { name: 'monitor' },
    { name: 'metadata' },
    { name: 'manpage' },
    { name: 'validate-all' },
  ],
  actionAliases: { 'meta-data': 'metadata', enable: 'on', disable: 'off' },
  actionsWithoutPlug: ['list', 'list-status', 'monitor'],
  refusedActions: { reboot: 'fence_compute is a fabric fencing agent (off, then on when unfencing)' },
  validate(values: ParamValues): string[] {
    return validateOpenstackParams(values, process.env);
  },
  async run(action: string, ctx: FenceContext): Promise<number> {
    const recordOnly = String(ctx.values.record_only ?? '').toLowerCase();
    if (RECORD_ONLY_DISABLED.has(recordOnly)) {
      ctx.log.info(`record_only=${recordOnly}: device disabled, ${action} does nothing`);
      return 0;
    }
    const { runFenceComputeAction } = await import('./actions.ts');
    return runFenceComputeAction(action, ctx);
  },
};
