import { describe, expect, it } from 'vitest';
import { parseFenceHistory, parsePacemakerTime, sharedFencingHistory, type FenceEvent } from '../../lib/pacemaker/fencing.ts';

// stonith_admin --history --output-as=xml prints local times on a host that does not keep UTC.

const history = (completed: string) => `<pacemaker-result api-version="2.25" request="stonith_admin --history c0 --verbose --output-as=xml">
  <fence_history>
    <fence_event action="off" target="c0" client="pacemaker-controld.1" origin="vm" status="success" delegate="vm" completed="${completed}"/>
    <fence_event action="reboot" target="c0" client="stonith_admin.2" origin="vm" status="pending"/>
  </fence_history>
  <status code="0" message="OK"/>
</pacemaker-result>`;

describe('times as Pacemaker prints them', () => {
  it('UTC ("…Z") and an offset ("… +01:00") give the same instant', () => {
    const utc = Date.UTC(2026, 11, 6, 16, 4, 49);
    expect(parsePacemakerTime('2026-12-06 16:04:49Z')).toBe(utc);
    expect(parsePacemakerTime('2026-12-06 17:04:49 +01:00')).toBe(utc);
    expect(parsePacemakerTime('2026-12-06 11:34:49 -04:30')).toBe(utc);
    expect(parsePacemakerTime('2026-12-06 17:04:49 +0100')).toBe(utc);
    expect(parsePacemakerTime('2026-12-06T16:04:49.000Z')).toBe(utc);
  });
  it('a time without a zone, or garbage, is not read', () => {
    expect(parsePacemakerTime('2026-12-06 17:04:49')).toBeUndefined();
    expect(parsePacemakerTime('yesterday')).toBeUndefined();
  });
  it('a history from a controller in Europe/Berlin reads as the UTC one', () => {
    const [berlin] = parseFenceHistory(history('2026-12-06 17:04:49 +01:00'));
    const [utc] = parseFenceHistory(history('2026-12-06 16:04:49Z'));
    expect(berlin).toEqual(utc);
    expect(berlin).toMatchObject({ action: 'off', status: 'success', completed: Date.UTC(2026, 11, 6, 16, 4, 49) });
  });
  it('a pending event has no completion time', () => {
    expect(parseFenceHistory(history('2026-12-06 16:04:49Z'))[1]).toMatchObject({ status: 'pending', completed: undefined });
  });
  it('a completion time it cannot read is an error naming the text, never "not fenced"', () => {
    expect(() => parseFenceHistory(history('06.12.2026 17:04'))).toThrow(/cannot read: '06\.12\.2026 17:04'/);
  });
});

describe('one fencing history read for many hosts', () => {
  it('hosts asking together share one read of every node\'s history, each gets its own events; a later ask reads again', async () => {
    let reads = 0;
    const events: FenceEvent[] = [
      { target: 'compute-0', action: 'off', status: 'success', completed: 1 },
      { target: 'compute-1', action: 'on', status: 'success', completed: 2 },
      { target: 'compute-10', action: 'reboot', status: 'pending', completed: undefined },
    ];
    const historyOf = sharedFencingHistory(async () => { reads++; return events; }, 100);
    const got = await Promise.all(['compute-0', 'compute-1', 'compute-10', 'compute-2'].map(historyOf));
    expect(got.map((e) => e.map((x) => `${x.target} ${x.action}`))).toEqual([['compute-0 off'], ['compute-1 on'], ['compute-10 reboot'], []]);
    expect(reads).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    await historyOf('compute-0');
    expect(reads).toBe(2);
  });
});
