import type { NovaService } from '../openstack/nova.ts';
import { isOurDisableReason } from '../pacemaker/marks.ts';

// Mass-failure guard. When many computes fail at once the cause is rarely the computes (a
// network partition, a Nova or message-bus outage): evacuating would storm the survivors.
//
// Counted over nova-compute services an operator has not taken out (enabled, or disabled by
// instance-ha itself): share = (down or forced down) × 100 / counted. Above `threshold` percent
// nothing is evacuated until the share drops or an operator overrides. 100 disables the guard.

export interface GuardResult {
  blocked: boolean;
  reason: string;
}

export function massFailureGuard(services: readonly NovaService[], thresholdPercent: number): GuardResult {
  const counted = services.filter((s) => s.status === 'enabled' || isOurDisableReason(s.disabledReason));
  const down = counted.filter((s) => s.state !== 'up' || s.forcedDown).length;
  const share = counted.length === 0 ? 0 : (down * 100) / counted.length;
  const blocked = thresholdPercent < 100 && share > thresholdPercent;
  const reason = `${down} of ${counted.length} compute services down (${share.toFixed(0)}%, threshold ${thresholdPercent}%)`;
  return { blocked, reason };
}
