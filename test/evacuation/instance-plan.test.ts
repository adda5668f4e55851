import { describe, expect, it } from 'vitest';
import { awaitingOwnRequest, planInstance, type InstanceFacts } from '../../lib/evacuation/instance-plan.ts';
import { migration, server } from '../helpers/evacuation/servers.ts';

const NOW = 1_700_000_000_000;
const facts = (f: Partial<InstanceFacts>): InstanceFacts => ({
  id: 'a', failedHost: 'dead', server: server('a', 'dead'), migrations: [], attempts: 0, now: NOW,
  graceMs: 15_000, verifyMs: 600_000, maxAttempts: 3, ...f,
});

describe('what to do with one instance', () => {
  it('on the failed host, nothing under way: evacuate', () => {
    expect(planInstance(facts({})).kind).toBe('evacuate');
  });
  it('verified done only on another host without a task', () => {
    expect(planInstance(facts({ server: server('a', 'c1') })).kind).toBe('done');
    expect(planInstance(facts({ server: server('a', 'c1', 'REBUILD', 'rebuild_spawning') })).kind).toBe('wait');
    expect(planInstance(facts({ server: undefined }))).toMatchObject({ kind: 'done', reason: 'deleted' });
  });
  it('never evacuates what Nova shows under way: a task, or an evacuation migration in progress', () => {
    expect(planInstance(facts({ server: server('a', 'dead', 'REBUILD', 'rebuilding') })).kind).toBe('wait');
    for (const status of ['accepted', 'pre-migrating', 'running', 'done']) {
      expect(planInstance(facts({ migrations: [migration('a', 'dead', status)], attempts: 1, lastAttemptAt: NOW - 60_000 })).kind).toBe('wait');
    }
  });
  it('an accepted request is waited for; an unanswered one for the grace time', () => {
    expect(planInstance(facts({ attempts: 1, lastAttemptAt: NOW - 1000 })).kind).toBe('wait');
    expect(planInstance(facts({ attempts: 1, lastAttemptAt: NOW - 1000, uncertain: true })).kind).toBe('wait');
    expect(planInstance(facts({ attempts: 1, lastAttemptAt: NOW - 20_000, uncertain: true }))).toMatchObject({ kind: 'evacuate', reason: 'retry 2 of 3' });
  });
  it('failed migrations count as attempts, up to max_attempts', () => {
    const failed = [migration('a', 'dead', 'failed'), migration('a', 'dead', 'error'), migration('a', 'dead', 'failed')];
    expect(planInstance(facts({ migrations: failed })).kind).toBe('failed');
  });
  it('states Nova cannot evacuate are reported, not sent', () => {
    expect(planInstance(facts({ server: server('a', 'dead', 'PAUSED') })).kind).toBe('skip');
  });
});

describe('when its migrations need not be listed', () => {
  const histories = [[], ['accepted'], ['running'], ['done'], ['failed'], ['failed', 'error', 'failed']]
    .map((h) => h.map((status) => migration('a', 'dead', status)));
  const servers = [server('a', 'dead'), server('a', 'dead', 'ERROR'), server('a', 'dead', 'REBUILD', 'rebuilding'), server('a', 'c1'), undefined];
  const requests = [{ lastAttemptAt: NOW - 1000 }, { lastAttemptAt: NOW - 10_000, uncertain: true }, { lastAttemptAt: NOW - 14_999 }];
  it('while our own request is recent the decision is the same whatever the migrations say', () => {
    for (const r of requests) {
      for (const s of servers) {
        const f = facts({ ...r, server: s, attempts: 1 });
        expect(awaitingOwnRequest(f)).toBe(true);
        const kinds = new Set(histories.map((migrations) => planInstance({ ...f, migrations }).kind));
        expect(kinds.size).toBe(1);
      }
    }
  });
  it('never sent, or sent longer ago than the grace time: they matter', () => {
    expect(awaitingOwnRequest(facts({}))).toBe(false);
    expect(awaitingOwnRequest(facts({ attempts: 1, lastAttemptAt: NOW - 15_000 }))).toBe(false);
    expect(planInstance(facts({ attempts: 1, lastAttemptAt: NOW - 20_000, migrations: [migration('a', 'dead', 'running')] })).kind).toBe('wait');
  });
});

describe('every wait ends', () => {
  it('a wait longer than verify_timeout fails with what it waited for', () => {
    const stuck = facts({ server: server('a', 'dead', 'ACTIVE', 'rebuilding'), verifyMs: 60_000 });
    expect(planInstance({ ...stuck, waitingSince: NOW - 30_000 }).kind).toBe('wait');
    expect(planInstance({ ...stuck, waitingSince: NOW - 61_000 })).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/task rebuilding in progress for more than 60 s.*clears only when its nova-compute runs again/) });
  });
  it('a destination that never finishes the rebuild fails too', () => {
    const f = facts({ server: server('a', 'c1', 'REBUILD', 'rebuild_spawning'), verifyMs: 60_000, waitingSince: NOW - 120_000 });
    expect(planInstance(f)).toMatchObject({ kind: 'failed', reason: expect.stringContaining('on c1, task rebuild_spawning') });
  });
  it('failed attempts of an earlier host round do not count: capacity added later is used', () => {
    const failed = [migration('a', 'dead', 'error'), migration('a', 'dead', 'error'), migration('a', 'dead', 'error')];
    expect(planInstance(facts({ migrations: failed })).kind).toBe('failed');
    expect(planInstance(facts({ migrations: failed, retriesSince: Date.parse('2025-01-01T00:00:00Z') })).kind).toBe('evacuate');
  });
});
