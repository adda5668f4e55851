import type { InstanceFault, RebuildOutcome, VmState } from './model-types.ts';
import { apiStatus } from './server-state.ts';

/** Keeps the model's by-host index right whenever a server's host changes. */
export interface HostIndex {
  move(server: Server, from: string | null, to: string | null): void;
}

/** The fields a server is created with. */
export interface ServerInit {
  id: string;
  seq: number;
  name: string;
  tenantId: string;
  userId: string;
  vmState: VmState;
  taskState: string | null;
  powerState: number;
  imageId: string | null;
  flavorId: string;
  metadata: Record<string, string>;
  tags: string[];
  locked: boolean;
  lockedReason: string | null;
  description: string | null;
  keyName: string | null;
  availabilityZone: string;
  volumes: string[];
  fault: InstanceFault | null;
  createdAt: Date;
  updatedAt: Date;
  launchedAt: Date | null;
}

// A Server carries every field of ServerInit (declared once, above) and the members below.
export interface Server extends ServerInit {}

export class Server {
  /** OS-EXT-SRV-ATTR:hypervisor_hostname */
  node: string | null = null;
  /** Overrides the destination's rebuild outcome (one instance whose rebuild hangs). */
  rebuildOutcome: RebuildOutcome | undefined;
  #host: string | null = null;
  #index: HostIndex;

  constructor(init: ServerInit, index: HostIndex) {
    Object.assign(this, init);
    this.#index = index;
  }

  /** OS-EXT-SRV-ATTR:host. Assigning it re-indexes the server. */
  get host(): string | null {
    return this.#host;
  }

  set host(to: string | null) {
    const from = this.#host;
    this.#host = to;
    this.node = to;
    this.#index.move(this, from, to);
  }

  get status(): string {
    return apiStatus(this.vmState, this.taskState);
  }

  get instanceName(): string {
    return `instance-${this.seq.toString(16).padStart(8, '0')}`;
  }

  get reservationId(): string {
    return `r-${this.id.slice(0, 8)}`;
  }
}

/** Nova's default list order: created_at desc, then id desc (the integer DB id, our seq). */
export function newestFirst(a: { createdAt: Date; seq: number }, b: { createdAt: Date; seq: number }): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || b.seq - a.seq;
}
