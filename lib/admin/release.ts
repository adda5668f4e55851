import { hostname, userInfo } from 'node:os';
import { Attrd } from '../pacemaker/attrd.ts';
import { Ledger } from '../pacemaker/ledger.ts';
import { BLOCKED_ATTR, EVACUATE_ATTR } from '../pacemaker/marks.ts';
import { phaseOf } from './status.ts';
import { CommandError, EXIT } from './exit-codes.ts';

// `instance-ha release HOST`: the operator's way out of a host whose evacuation cannot finish,
// after checking by hand. The ledger says done (recording who released it), evacuate=no, the
// blocked report is cleared: the worker stops working on the host, and unfencing may return it.
// Instances still on the host are not evacuated any more: that is the operator's decision.

export async function releaseHost(host: string, attrd = new Attrd(), ledger = new Ledger()): Promise<string> {
  const [mark, blocked, entry] = await Promise.all([attrd.query(EVACUATE_ATTR, host), attrd.query(BLOCKED_ATTR, host), ledger.get(host)]);
  if (!mark && !entry && blocked) {
    throw new CommandError(EXIT.NOTHING, `${host} has no evacuation, only a blocked report (a copy under a Pacemaker node name that host_map or domain give, or a leftover): release the host under its Nova name (instance-ha status), or drop the report with instance-ha forget ${host}`);
  }
  const before = phaseOf(mark, entry, blocked);
  if (before === 'done' && !blocked) throw new CommandError(EXIT.NOTHING, `${host} has no evacuation to release (no open ledger entry, no evacuate mark)`);
  const by = `released by ${userInfo().username} on ${hostname()}`;
  // The ledger first: the worker stops at the ledger's done; the mark then lets `on` return the host.
  await ledger.set({ host, phase: 'done', since: Date.now() / 1000, by });
  await attrd.update(EVACUATE_ATTR, 'no', { node: host, private: true });
  if (blocked) await attrd.remove(BLOCKED_ATTR, { node: host });
  return `${host}: released (was ${before}${blocked ? `: ${blocked}` : ''}); ${by}`;
}
