// One host failure on the real cloud, handled one way, timed in Nova's own view.
import { bootOn, computeSh, isBack, reset, waitFor, watchEvacuation } from './cloud.ts';
import type { Nova } from './nova.ts';
import type { Way } from './ways.ts';

/** Milliseconds after t0, the kill -9 of the host's nova-compute. */
export interface Timeline {
  /** The way's force-down (fence) finished. */
  fenced: number;
  /** Nova had every evacuate request (task_state set, or already moved). */
  allAccepted: number;
  /** Every instance ACTIVE on another host, no task pending. */
  allActiveElsewhere: number;
  /** nova-compute started again (right after all ACTIVE elsewhere). */
  restarted: number;
  /** The service up, enabled and not forced down. */
  hostBack: number;
  /** The way's own account (ours: the worker's events), ms after t0. */
  breakdown?: Record<string, number>;
}

export async function measureOnce(way: Way, nova: Nova, host: string, n: number): Promise<Timeline> {
  await reset(nova, host);
  const ids = await bootOn(nova, host, n);
  await way.arm();
  try {
    const t0 = Date.now();
    computeSh('kill', host);
    const watching = watchEvacuation(nova, host, ids, t0);
    watching.catch(() => { /* awaited below; do not let it go unhandled while fencing */ });
    await way.fence();
    const fenced = Date.now() - t0;
    await way.evacuate();
    const seen = await watching;
    const restarted = Date.now() - t0;
    computeSh('start', host);
    await waitFor(`${host} back in service`, 600_000, async () => {
      if (isBack(await nova.service(host))) return true;
      await way.returnHost();
      return isBack(await nova.service(host)) ? true : undefined;
    }, 500);
    const hostBack = Date.now() - t0;
    await way.disarm(); // ours: the worker stopped, its events all written
    return { fenced, ...seen, restarted, hostBack, breakdown: way.breakdown?.(t0) };
  } catch (e) {
    await way.disarm();
    throw e;
  }
}
