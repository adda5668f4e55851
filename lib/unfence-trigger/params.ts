import { openstackParams } from '../params/openstack.ts';
import type { ParamSpec } from '../params/types.ts';

// ocf:openstack:compute-unfence-trigger. Nova credentials are optional: without them no admin
// secret lives on the compute node, and the trigger relies on the cluster's own records.

const own = [
  { name: 'leave_disabled', type: 'boolean', default: '0',
    shortdesc: 'Leave the nova-compute service disabled on the way back',
    longdesc: 'With credentials, start unsets force-down but does not enable the service; monitor does not report a disabled service as degraded.' },
  { name: 'evacuable_tag', type: 'string', default: 'evacuable',
    shortdesc: 'Tag / extra spec / metadata key that makes instances evacuable (as NovaEvacuate)' },
  // above: 0: 0 would make start query attrd (and Nova) without pause until its timeout.
  { name: 'poll_interval', type: 'second', default: '2', above: 0,
    shortdesc: 'How often start re-checks while it waits' },
] as const satisfies readonly ParamSpec[];

export const unfenceTriggerParams = [...openstackParams.map((p) => ({ ...p, required: false })), ...own] as const satisfies readonly ParamSpec[];
