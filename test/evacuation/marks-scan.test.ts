import { describe, expect, it } from 'vitest';
import { scanMarks } from '../../lib/evacuation/marks-scan.ts';
import type { LedgerEntry } from '../../lib/pacemaker/ledger.ts';

const NOW = 1_800_000_000_000;
const me = { node: 'ctl-0', startedAt: NOW - 5000, now: NOW };
const entry = (host: string, phase: LedgerEntry['phase']): LedgerEntry => ({ host, phase, since: NOW / 1000 - 30 });
const mark = (node: string, value: string) => ({ node, value });

describe('which hosts are owed an evacuation', () => {
  it('yes, an open ledger entry, an abandoned or our own old claim', () => {
    const scan = scanMarks([mark('a', 'yes'), mark('b', `other@${NOW / 1000 - 120}`), mark('c', `ctl-0@${NOW / 1000 - 10}`)], [entry('d', 'pending')], me);
    expect(scan.open.sort()).toEqual(['a', 'b', 'c', 'd']);
  });
  it("another evacuator's fresh claim is left to it", () => {
    expect(scanMarks([mark('a', `other@${NOW / 1000 - 10}`)], [], me).open).toEqual([]);
  });
  it("a yes newer than the ledger's done opens the host", () => {
    expect(scanMarks([mark('a', 'yes')], [entry('a', 'done')], me).open).toEqual(['a']);
  });
  it('evacuate=no over an open ledger entry: finished by another evacuator, to be recorded done', () => {
    const scan = scanMarks([mark('a', 'no')], [entry('a', 'pending'), entry('b', 'evacuating')], me);
    expect(scan.open).toEqual(['b']);
    expect(scan.doneElsewhere.map((e) => e.host)).toEqual(['a']);
  });
  it('done with no mark, or no: nothing owed', () => {
    expect(scanMarks([mark('a', 'no')], [entry('a', 'done'), entry('b', 'done')], me)).toEqual({ open: [], doneElsewhere: [] });
  });
});

describe('planned maintenance', () => {
  it('a host in maintenance is held: neither its entry nor a mark opens it', () => {
    expect(scanMarks([mark('a', 'yes')], [entry('a', 'maintenance')], me)).toEqual({ open: [], doneElsewhere: [] });
  });
});
