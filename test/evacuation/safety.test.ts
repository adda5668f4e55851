import { describe, expect, it } from 'vitest';
import { FENCE_WINDOW_MS, safetyVerdict, type SafetyFacts } from '../../lib/evacuation/safety.ts';
import type { NovaService } from '../../lib/openstack/nova.ts';
import type { FenceEvent } from '../../lib/pacemaker/fencing.ts';

// The safety rule fed by hand: only a successful power fencing of this incident is proof.

const MARK = 1_800_000_000_000;
const service = (s: Partial<NovaService> = {}): NovaService => ({ id: 1, host: 'c0', binary: 'nova-compute', state: 'down', status: 'disabled', forcedDown: true, disabledReason: 'instance-ha: fenced', updatedAt: null, ...s });
const event = (action: string, status: string, completed?: number): FenceEvent => ({ target: 'c0', action, status, completed });
const facts = (f: Partial<SafetyFacts>): SafetyFacts => ({ host: 'c0', service: service(), requireFencing: true, markedAt: MARK, nodes: ['c0'], fencing: [], ...f });
const verdict = (f: Partial<SafetyFacts>) => safetyVerdict(facts(f));

describe('proof that the host was fenced in this incident', () => {
  it('a power fencing that succeeded just before the mark is proof', () => {
    expect(verdict({ fencing: [event('off', 'success', MARK - 2000)] })).toMatchObject({ safe: true, proof: expect.stringContaining('off of c0 succeeded') });
    expect(verdict({ fencing: [event('reboot', 'success', MARK + 500)] }).safe).toBe(true);
  });
  it('a stale success (before the window, an earlier incident) is not', () => {
    expect(verdict({ fencing: [event('off', 'success', MARK - FENCE_WINDOW_MS - 1000)] })).toMatchObject({ safe: false, reason: expect.stringContaining('no successful fencing of c0') });
  });
  it('a fencing in flight is not proof, and says so', () => {
    expect(verdict({ fencing: [event('off', 'pending')] })).toMatchObject({ safe: false, reason: expect.stringContaining('still in flight') });
  });
  it('a failed fencing is not proof', () => {
    expect(verdict({ fencing: [event('off', 'failed', MARK - 1000)] }).safe).toBe(false);
  });
  it('the host seen in service after the fencing (unfenced since) voids it', () => {
    const fencing = [event('off', 'success', MARK - 60_000), event('on', 'success', MARK - 30_000)];
    expect(verdict({ fencing })).toMatchObject({ safe: false, reason: expect.stringContaining('since its last unfencing') });
    expect(verdict({ fencing: [...fencing, event('off', 'success', MARK - 1000)] }).safe).toBe(true);
  });
  it('an unfencing only (no power fencing) is not proof', () => {
    expect(verdict({ fencing: [event('on', 'success', MARK - 1000)] }).safe).toBe(false);
  });
  it("Nova's half: only forced down counts; down and disabled is not fenced, up is never touched", () => {
    const fencing = [event('off', 'success', MARK - 1000)];
    expect(verdict({ fencing, service: service({ forcedDown: false }) })).toMatchObject({ safe: false, reason: expect.stringContaining('not forced down') });
    expect(verdict({ fencing, service: service({ forcedDown: false, state: 'up', status: 'enabled' }) })).toMatchObject({ safe: false, reason: 'Nova shows its nova-compute up' });
    expect(verdict({ fencing, service: undefined })).toMatchObject({ safe: false, reason: expect.stringContaining('no nova-compute service') });
  });
  it('require_fencing=0 asks only Nova', () => {
    expect(verdict({ requireFencing: false }).safe).toBe(true);
    expect(verdict({ requireFencing: false, service: service({ forcedDown: false }) }).safe).toBe(false);
  });
  it('any of the node names the host may have', () => {
    expect(verdict({ nodes: ['c0', 'c0.example'], fencing: [{ ...event('off', 'success', MARK), target: 'c0.example' }] }).safe).toBe(true);
  });
});

describe("the operator's confirmation that the host is off (instance-ha evacuate --host-is-off)", () => {
  const confirmed = (at: number) => ({ at, by: 'alice on ctl-0', reason: 'BMC dead' });
  it('is proof instead of Pacemaker\'s fencing, for this mark, and says whose word it is', () => {
    expect(verdict({ confirmedOff: confirmed(MARK) })).toEqual({ safe: true, byOperator: true, proof: expect.stringMatching(/^no fencing: alice on ctl-0 confirmed the host off at .* \(BMC dead\)/) });
    expect(verdict({ confirmedOff: confirmed(MARK + 60_000) }).safe).toBe(true);
  });
  it('not for a later mark (an earlier incident\'s word)', () => {
    expect(verdict({ confirmedOff: confirmed(MARK - 1000) })).toMatchObject({ safe: false, reason: expect.stringContaining(`instance-ha evacuate c0 --host-is-off`) });
  });
  it('not after the host was unfenced since (it was back in service)', () => {
    expect(verdict({ confirmedOff: confirmed(MARK + 1000), fencing: [event('on', 'success', MARK + 2000)] }).safe).toBe(false);
  });
  it("never without Nova's half: the host must be forced down", () => {
    expect(verdict({ confirmedOff: confirmed(MARK), service: service({ forcedDown: false }) }).safe).toBe(false);
    expect(verdict({ confirmedOff: confirmed(MARK), service: service({ forcedDown: false, state: 'up', status: 'enabled' }) }).safe).toBe(false);
  });
  it("Pacemaker's proof, when there is one, is the proof named", () => {
    expect(verdict({ confirmedOff: confirmed(MARK), fencing: [event('off', 'success', MARK - 1000)] })).toEqual({ safe: true, proof: expect.stringContaining('off of c0 succeeded') });
  });
});
