import { describe, expect, it } from 'vitest';
import { changesCursor, currentRecord, nextVerifyDelay, pauseAfterRound } from '../../lib/evacuation/verify-rounds.ts';
import { server } from '../helpers/evacuation/servers.ts';

describe('when to look again', () => {
  it('soon after requests went out or when something settled', () => {
    expect(nextVerifyDelay(undefined, false, 200, 1000)).toBe(200);
    expect(nextVerifyDelay(800, true, 200, 1000)).toBe(200);
  });
  it('backs off while nothing changes, never beyond the old fixed pace', () => {
    expect(nextVerifyDelay(200, false, 200, 1000)).toBe(400);
    expect(nextVerifyDelay(800, false, 200, 1000)).toBe(1000);
    expect(nextVerifyDelay(1000, false, 200, 1000)).toBe(1000);
  });
  it('a round slower than the fastest waits out the difference (Nova queueing); otherwise the delay holds', () => {
    expect(pauseAfterRound(100, 1500, 300)).toBe(1200);
    expect(pauseAfterRound(100, 320, 300)).toBe(100);
    expect(pauseAfterRound(100, 5, Infinity)).toBe(100); // the prefetched first round: no fastest yet
  });
});

describe('where changes-since starts', () => {
  const failedSince = 1_000_000;
  it('the first listing, and one every resync interval, go back to the failure', () => {
    expect(changesCursor({ failedSince, now: failedSince + 70_000 }, 5000, 10_000)).toEqual({ since: failedSince, full: true });
    expect(changesCursor({ failedSince, previousSentAt: failedSince + 78_000, lastFullAt: failedSince + 70_000, now: failedSince + 79_000 }, 5000, 10_000))
      .toEqual({ since: failedSince + 73_000, full: false });
    expect(changesCursor({ failedSince, previousSentAt: failedSince + 80_000, lastFullAt: failedSince + 70_000, now: failedSince + 80_000 }, 5000, 10_000).full).toBe(true);
  });
  it('never later than the previous listing minus the slack, never before the failure', () => {
    expect(changesCursor({ failedSince, previousSentAt: failedSince + 2000, lastFullAt: failedSince, now: failedSince + 3000 }, 5000, 10_000))
      .toEqual({ since: failedSince, full: false });
  });
});

describe('which record of an instance holds', () => {
  const here = new Map([['a', server('a', 'dead')]]);
  it('on the failed host now: the complete on-host listing', () => {
    expect(currentRecord('a', 'dead', here, new Map([['a', server('a', 'c1')]]), new Map())).toMatchObject({ host: 'dead' });
  });
  it('left: what changed since the cursor, else the record last seen elsewhere', () => {
    expect(currentRecord('b', 'dead', here, new Map([['b', server('b', 'c1', 'ACTIVE')]]), new Map([['b', server('b', 'c1', 'REBUILD', 'rebuilding')]])))
      .toMatchObject({ status: 'ACTIVE' });
    expect(currentRecord('b', 'dead', here, new Map(), new Map([['b', server('b', 'c1', 'REBUILD', 'rebuilding')]]))).toMatchObject({ status: 'REBUILD' });
  });
  it('no trustworthy record (never seen elsewhere, or a change listing older than the on-host one): ask Nova by id', () => {
    expect(currentRecord('b', 'dead', here, new Map(), new Map())).toBe('ask');
    expect(currentRecord('b', 'dead', here, new Map([['b', server('b', 'dead')]]), new Map())).toBe('ask');
    expect(currentRecord('b', 'dead', here, new Map([['b', server('b', 'dead')]]), new Map([['b', server('b', 'c1')]]))).toBe('ask');
  });
});
