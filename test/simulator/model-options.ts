import type { Flavor, Image, InstanceFault, Migration, RebuildOutcome, VmState } from './model-types.ts';

// Options of the CloudModel builders (model.ts). Everything is optional except what has no
// sensible default.

export interface ComputeOptions {
  alive?: boolean;
  forcedDown?: boolean;
  disabled?: boolean;
  disabledReason?: string | null;
  zone?: string;
  serviceId?: number;
  serviceUuid?: string;
  hypervisorId?: number;
  hypervisorUuid?: string;
  hypervisorHostname?: string;
  hostIp?: string;
  /** How rebuilds (evacuations) landing on this host end. Default 'ok'. */
  rebuild?: RebuildOutcome;
}

export interface ServerOptions {
  host: string | null;
  id?: string;
  name?: string;
  /** Image id or record; null = boot from volume (image ""); omitted = the default image. */
  image?: string | Image | null;
  /** Flavor id or record; omitted = the default flavor. */
  flavor?: string | Flavor;
  /** API status (ACTIVE, SHUTOFF, PAUSED, ERROR, ...); vmState/taskState override it. */
  status?: string;
  vmState?: VmState;
  taskState?: string | null;
  powerState?: number;
  metadata?: Record<string, string>;
  tags?: string[];
  tenantId?: string;
  userId?: string;
  locked?: boolean;
  lockedReason?: string | null;
  description?: string | null;
  keyName?: string | null;
  fault?: InstanceFault | null;
  createdAt?: Date;
  updatedAt?: Date;
  launchedAt?: Date | null;
  /** How this server's rebuilds (evacuations) end, whatever the destination says. */
  rebuild?: RebuildOutcome;
}

export interface FlavorOptions {
  id?: string;
  name?: string;
  vcpus?: number;
  ram?: number;
  disk?: number;
  ephemeral?: number;
  swap?: number;
  rxtxFactor?: number;
  isPublic?: boolean;
  disabled?: boolean;
  description?: string | null;
  extraSpecs?: Record<string, string>;
  /** Project ids (or names) that may use a private flavor. */
  projects?: string[];
}

export interface ImageOptions {
  id?: string;
  name?: string | null;
  tags?: string[];
  properties?: Record<string, string>;
  visibility?: Image['visibility'];
  status?: string;
  owner?: string;
  createdAt?: Date;
}

export interface AggregateOptions {
  id?: number;
  uuid?: string;
  name: string;
  hosts?: string[];
  metadata?: Record<string, string>;
  availabilityZone?: string | null;
  createdAt?: Date;
}

export type MigrationOptions = Partial<Migration> & { instanceUuid: string };
