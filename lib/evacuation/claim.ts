import { EVACUATE_ATTR } from '../pacemaker/marks.ts';
import type { WorkerConfig, WorkerDeps } from './worker-config.ts';

// The claim on a host being evacuated: attrd `<node>@<epoch>` (the reference protocol: other
// evacuators leave it alone for 60 s) and the ledger's `evacuating`, refreshed until released.

const CLAIM_REFRESH_MS = 20_000;

export interface Claim {
  /** Stops refreshing; waits for a refresh in flight, so none can overwrite the final evacuate=no. */
  release(): Promise<void>;
}

export async function claimHost(c: WorkerConfig, d: WorkerDeps, host: string, markedAt: number): Promise<Claim> {
  let inFlight: Promise<void> = Promise.resolve();
  const write = () => d.attrd.update(EVACUATE_ATTR, `${c.node}@${Math.floor(Date.now() / 1000)}`, { node: host, private: true });
  // Independent writes; both are done before any request is sent.
  await Promise.all([write(), d.ledger.set({ host, phase: 'evacuating', since: markedAt / 1000, by: c.node })]);
  d.events.emit({ event: 'host-claimed', host, by: c.node });
  const timer = setInterval(() => {
    inFlight = write().catch((e: unknown) => d.log.warning(`${host}: refreshing claim: ${(e as Error).message}`));
  }, CLAIM_REFRESH_MS);
  return { release: async () => { clearInterval(timer); await inFlight; } };
}
