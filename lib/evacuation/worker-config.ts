import type { Logger } from '../log.ts';
import type { OpenStack } from '../openstack/connect.ts';
import type { HostNaming } from '../host-names.ts';
import type { Attrd } from '../pacemaker/attrd.ts';
import type { FenceEvent } from '../pacemaker/fencing.ts';
import type { Ledger } from '../pacemaker/ledger.ts';
import type { EventSink } from './events.ts';

// What the NovaEvacuate worker is told (its parameters) and what it acts through.

export interface WorkerConfig {
  /** This cluster node (uname -n), for claims. */
  node: string;
  tag: string;
  concurrency: number;
  reservedHosts: string[];
  maxMicroversion: string;
  noSharedStorage: boolean;
  threshold: number;
  /** How long one instance may take (or wait) before it counts as failed. */
  verifyMs: number;
  maxAttempts: number;
  requireFencing: boolean;
  pollMs: number;
  evacuateDelayMs: number;
  /** How long a request we sent but got no answer to may still land in Nova. */
  graceMs: number;
  dryRun: boolean;
  naming: HostNaming;
}

export interface WorkerDeps {
  os: OpenStack;
  attrd: Attrd;
  ledger: Ledger;
  fencingHistory: (node: string) => Promise<FenceEvent[]>;
  /** Cluster nodes Pacemaker shows online. */
  onlineNodes: () => Promise<Set<string>>;
  log: Logger;
  events: EventSink;
  /** Written at the end of every poll (metrics.ts: only when something changed). */
  metrics?: { flush(): void };
  /** Calls back when a new mark may have appeared (a hint; marks are still polled). Returns the unsubscribe. */
  watchMarks?: (onChange: () => void) => () => void;
}
