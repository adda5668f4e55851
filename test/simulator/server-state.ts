import type { VmState } from './model-types.ts';

// Nova's (vm_state, task_state) -> API status table (nova/api/openstack/common.py _STATE_MAP).
const REBUILD = { rebuilding: 'REBUILD', rebuild_block_device_mapping: 'REBUILD', rebuild_spawning: 'REBUILD' };
const RESIZE = { resize_prep: 'RESIZE', resize_migrating: 'RESIZE', resize_migrated: 'RESIZE', resize_finish: 'RESIZE' };
const STATE_MAP: Record<VmState, Record<string, string>> = {
  active: {
    default: 'ACTIVE', rebooting: 'REBOOT', reboot_pending: 'REBOOT', reboot_started: 'REBOOT',
    rebooting_hard: 'HARD_REBOOT', reboot_pending_hard: 'HARD_REBOOT', reboot_started_hard: 'HARD_REBOOT',
    updating_password: 'PASSWORD', migrating: 'MIGRATING', ...REBUILD, ...RESIZE,
  },
  building: { default: 'BUILD' },
  stopped: { default: 'SHUTOFF', ...REBUILD, ...RESIZE },
  resized: { default: 'VERIFY_RESIZE', resize_reverting: 'REVERT_RESIZE' },
  paused: { default: 'PAUSED', migrating: 'MIGRATING' },
  suspended: { default: 'SUSPENDED' },
  rescued: { default: 'RESCUE' },
  error: { default: 'ERROR', ...REBUILD },
  deleted: { default: 'DELETED' },
  'soft-delete': { default: 'SOFT_DELETED' },
  shelved: { default: 'SHELVED' },
  shelved_offloaded: { default: 'SHELVED_OFFLOADED' },
};

export function apiStatus(vmState: VmState, taskState: string | null): string {
  const row = STATE_MAP[vmState];
  return (taskState !== null ? row[taskState] : undefined) ?? row['default'] ?? 'UNKNOWN';
}

/** The vm_state (and task_state) a builder status like 'ACTIVE' or 'SHUTOFF' stands for. */
export function stateForStatus(status: string): { vmState: VmState; taskState: string | null } {
  switch (status.toUpperCase()) {
    case 'ACTIVE': return { vmState: 'active', taskState: null };
    case 'SHUTOFF': case 'STOPPED': return { vmState: 'stopped', taskState: null };
    case 'PAUSED': return { vmState: 'paused', taskState: null };
    case 'SUSPENDED': return { vmState: 'suspended', taskState: null };
    case 'ERROR': return { vmState: 'error', taskState: null };
    case 'BUILD': return { vmState: 'building', taskState: 'spawning' };
    case 'RESCUE': return { vmState: 'rescued', taskState: null };
    case 'VERIFY_RESIZE': return { vmState: 'resized', taskState: null };
    case 'SHELVED': return { vmState: 'shelved', taskState: null };
    case 'SHELVED_OFFLOADED': return { vmState: 'shelved_offloaded', taskState: null };
    case 'REBUILD': return { vmState: 'active', taskState: 'rebuilding' };
    case 'MIGRATING': return { vmState: 'active', taskState: 'migrating' };
    case 'REBOOT': return { vmState: 'active', taskState: 'rebooting' };
    default: throw new Error(`simulator: unknown server status ${status}`);
  }
}

// nova.compute.power_state values
export const POWER = { NOSTATE: 0, RUNNING: 1, PAUSED: 3, SHUTDOWN: 4, CRASHED: 6, SUSPENDED: 7 } as const;

export function defaultPowerState(vmState: VmState): number {
  switch (vmState) {
    case 'active': case 'rescued': case 'resized': case 'error': return POWER.RUNNING;
    case 'paused': return POWER.PAUSED;
    case 'suspended': return POWER.SUSPENDED;
    case 'stopped': case 'shelved': case 'shelved_offloaded': return POWER.SHUTDOWN;
    default: return POWER.NOSTATE;
  }
}
