import { describe, expect, it } from 'vitest';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCibWritten } from '../../lib/pacemaker/cib-changes.ts';
import { Ledger } from '../../lib/pacemaker/ledger.ts';
import { sleep } from '../../lib/time.ts';

// The worker's hint that a mark may have appeared: pacemaker-based rewriting cib.xml.

const count = () => {
  const seen = { n: 0 };
  return { seen, onWrite: () => { seen.n++; } };
};

describe('onCibWritten', () => {
  it('calls back when cib.xml is renamed into place, not for the other files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihaa-cib-'));
    const { seen, onWrite } = count();
    const stop = onCibWritten(onWrite, dir);
    try {
      writeFileSync(join(dir, 'cib.last'), '1');
      writeFileSync(join(dir, 'cib.tmp'), '<cib/>');
      await sleep(200);
      expect(seen.n).toBe(0);
      renameSync(join(dir, 'cib.tmp'), join(dir, 'cib.xml'));
      await sleep(200);
      expect(seen.n).toBeGreaterThan(0);
    } finally {
      stop();
    }
  });
  it('a directory that does not exist gives no hints and no error', () => {
    const stop = onCibWritten(() => { throw new Error('called'); }, '/nonexistent/ihaa-cib');
    expect(() => stop()).not.toThrow();
  });
  it('the real cluster: a ledger write on this node is seen within a second', async () => {
    const { seen, onWrite } = count();
    const stop = onCibWritten(onWrite);
    const ledger = new Ledger();
    const host = `cib-watch-${process.pid}`;
    try {
      const t = Date.now();
      await ledger.set({ host, phase: 'pending', since: t / 1000 });
      while (seen.n === 0 && Date.now() - t < 5000) await sleep(20);
      expect(seen.n).toBeGreaterThan(0);
      expect(Date.now() - t).toBeLessThan(1000);
    } finally {
      stop();
      await ledger.remove(host).catch(() => {});
    }
  });
});
