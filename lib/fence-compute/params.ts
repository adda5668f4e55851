import { fenceCommonParams, fenceTargetParams } from '../params/fence-common.ts';
import { openstackParams } from '../params/openstack.ts';
import type { ParamSpec } from '../params/types.ts';

const fenceComputeOwnParams = [
  { name: 'record_only', short: 'r', valueName: 'value', type: 'string', default: 'False',
    shortdesc: 'Only record the host as needing evacuation',
    longdesc: 'fence_compute always only records (NovaEvacuate evacuates), so 1/True change nothing. The values 2 and disabled turn the device into a no-op that succeeds for every action, as in the reference agent.' },
  { name: 'instance_filtering', type: 'boolean', flag: true, default: '1',
    noEffect: 'fence_compute evacuates nothing itself; NovaEvacuate selects instances',
    shortdesc: 'Only evacuate instances tagged evacuable' },
  { name: 'no_shared_storage', type: 'boolean', flag: true, default: '0',
    noEffect: 'fence_compute evacuates nothing itself; set it on NovaEvacuate',
    shortdesc: 'Instances are not on shared storage' },
  { name: 'unfence_wait', valueName: 'seconds', type: 'second', default: '30', added: true,
    shortdesc: 'Longest wait in "on" for the host\'s evacuation to finish',
    longdesc: 'Unfencing (on) returns the host to Nova only after its evacuation finished; it fails after this long, and Pacemaker retries the unfencing. Keep it short: while "on" waits, the cluster runs no other recovery (a restart of a failed NovaEvacuate included). Give the device a pcmk_on_timeout a little above it.' },
  { name: 'leave_disabled', type: 'boolean', flag: true, default: '0', added: true,
    shortdesc: 'On unfencing, unset force-down but leave the service disabled',
    longdesc: 'For operators who re-enable recovered hosts by hand after checking them.' },
] as const satisfies readonly ParamSpec[];

export const fenceComputeParams = [
  ...fenceTargetParams,
  ...openstackParams,
  ...fenceComputeOwnParams,
  ...fenceCommonParams,
] as const satisfies readonly ParamSpec[];
