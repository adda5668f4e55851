// Plain records of the simulated cloud. Builders live in model.ts; HTTP views in nova/ and glance.ts.

export type VmState =
  | 'active' | 'building' | 'stopped' | 'paused' | 'suspended' | 'error' | 'rescued'
  | 'resized' | 'shelved' | 'shelved_offloaded' | 'soft-delete' | 'deleted';

/** How a rebuild that lands on a compute ends: normally, in ERROR, or never (stuck task). */
export type RebuildOutcome = 'ok' | 'fail' | 'hang';

export interface ServiceRecord {
  id: number;          // shown below microversion 2.53
  uuid: string;        // shown from 2.53
  binary: string;
  host: string;
  zone: string;
  /** The service process heartbeats (false after model.crash()). */
  alive: boolean;
  forcedDown: boolean;
  disabled: boolean;
  disabledReason: string | null;
  /** Last heartbeat or update. */
  updatedAt: Date;
}

export interface HypervisorRecord {
  id: number;
  uuid: string;
  hostname: string;
  hostIp: string;
  type: string;
  version: number;
  vcpus: number;
  memoryMb: number;
  localGb: number;
}

export interface ComputeHost extends ServiceRecord {
  hypervisor: HypervisorRecord;
  rebuildOutcome: RebuildOutcome;
}

export interface Flavor {
  id: string;
  name: string;
  vcpus: number;
  ram: number;
  disk: number;
  ephemeral: number;
  swap: number;
  rxtxFactor: number;
  isPublic: boolean;
  disabled: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
  /** Projects that may use a private flavor. */
  projects: Set<string>;
}

export interface Image {
  id: string;
  seq: number;
  name: string | null;
  tags: string[];
  /** Glance "extra properties": shown as top-level keys of the image. */
  properties: Record<string, string>;
  visibility: 'public' | 'private' | 'shared' | 'community';
  status: string;
  owner: string;
  size: number;
  diskFormat: string;
  containerFormat: string;
  minRam: number;
  minDisk: number;
  protected: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
  availabilityZone: string | null;
  hosts: string[];
  metadata: Record<string, string>;
  createdAt: Date;
  updatedAt: Date | null;
}

export type MigrationStatus =
  | 'accepted' | 'pre-migrating' | 'migrating' | 'done' | 'completed' | 'failed' | 'error' | 'cancelled'
  // live migration: accepted -> queued -> preparing -> running -> completed
  | 'queued' | 'preparing' | 'running' | 'post-migrating';

export interface Migration {
  id: number;
  uuid: string;
  instanceUuid: string;
  migrationType: 'evacuation' | 'migration' | 'live-migration' | 'resize';
  status: MigrationStatus;
  sourceCompute: string | null;
  sourceNode: string | null;
  destCompute: string | null;
  destNode: string | null;
  destHost: string | null;
  oldInstanceTypeId: number | null;
  newInstanceTypeId: number | null;
  userId: string;
  projectId: string;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface InstanceFault {
  code: number;
  message: string;
  details: string;
  created: Date;
}
