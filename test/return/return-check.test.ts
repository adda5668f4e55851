import { describe, expect, it } from 'vitest';
import { decideReturn } from '../../lib/return/return-check.ts';
import type { NovaService } from '../../lib/openstack/nova.ts';

const svc = (forcedDown: boolean): NovaService => ({ id: 1, host: 'c0', binary: 'nova-compute', state: 'down', status: 'disabled', forcedDown, disabledReason: null, updatedAt: null });

describe('may the host serve again', () => {
  it('the durable ledger decides when the mark is absent', () => {
    expect(decideReturn({ ledger: { host: 'c0', phase: 'done', since: 1 }, mark: undefined, service: svc(true) }).finished).toBe(true);
    expect(decideReturn({ ledger: { host: 'c0', phase: 'evacuating', since: 1 }, mark: undefined, service: svc(false), remaining: 0 }).finished).toBe(false);
  });
  it("a yes (or a claim) newer than the ledger's done: an evacuation is owed again", () => {
    expect(decideReturn({ ledger: { host: 'c0', phase: 'done', since: 1 }, mark: 'yes', service: svc(true) }).finished).toBe(false);
    expect(decideReturn({ ledger: { host: 'c0', phase: 'done', since: 1 }, mark: 'ctl-1@1700000000', service: svc(true) }).finished).toBe(false);
  });
  it('evacuate=no over an open ledger entry: another evacuator (the reference NovaEvacuate, an operator) finished it', () => {
    expect(decideReturn({ ledger: { host: 'c0', phase: 'pending', since: 1 }, mark: 'no', service: svc(true) })).toMatchObject({ finished: true, reason: expect.stringContaining('another evacuator') });
    expect(decideReturn({ ledger: { host: 'c0', phase: 'evacuating', since: 1 }, mark: 'no' }).finished).toBe(true);
  });
  it('evacuate=no: yes', () => expect(decideReturn({ mark: 'no', service: svc(true) }).finished).toBe(true));
  it('evacuate=yes or a claim: not yet', () => {
    expect(decideReturn({ mark: 'yes', service: svc(true) }).finished).toBe(false);
    expect(decideReturn({ mark: 'ctl-1@1700000000', service: svc(true) })).toMatchObject({ finished: false, reason: expect.stringContaining('in progress') });
  });
  it('no mark, not forced down: never fenced by us, nothing to wait for', () => {
    expect(decideReturn({ mark: undefined, service: svc(false) }).finished).toBe(true);
  });
  it('no mark, forced down: an absent mark is no proof; Nova decides', () => {
    expect(decideReturn({ mark: undefined, service: svc(true) }).finished).toBe(false);
    expect(decideReturn({ mark: undefined, service: svc(true), remaining: 3 })).toMatchObject({ finished: false, reason: expect.stringContaining('3 evacuable') });
    expect(decideReturn({ mark: undefined, service: svc(true), remaining: 0 }).finished).toBe(true);
  });
});
