import { describe, expect, it } from 'vitest';
import { planInstance, type InstanceFacts } from '../../lib/evacuation/instance-plan.ts';
import { migration, server } from './servers.ts';

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
