import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logSince, logSize } from './cluster-log.ts';

// The tests read the cluster's log from an offset; cluster.sh start may move a large log aside
// in between, and then the reader must still see every line written after its offset.

describe('the cluster log, read from an offset', () => {
  it('returns only what came after the offset, also across one move of the log to <file>.1', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ihaa-log-')), 'pacemaker.log');
    expect(logSize(file)).toBe(0);
    appendFileSync(file, 'old line\n');
    const from = logSize(file);
    appendFileSync(file, 'before the move\n');
    expect(logSince(from, file)).toBe('before the move\n');
    renameSync(file, `${file}.1`);
    appendFileSync(file, 'after\n');
    expect(logSince(from, file)).toBe('before the move\nafter\n');
  });
});
