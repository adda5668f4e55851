import { closeSync, openSync, readSync, statSync } from 'node:fs';

// The test cluster's log files, read from an offset without reading what came before (the log
// of a machine that ran many suites is hundreds of MB). cluster.sh start moves a large log to
// `<file>.1` first: a reader whose offset lies beyond the new file reads the rest of the old one.

export const CLUSTER_LOG = '/tmp/ihaa-cluster/pacemaker.log';

export function logSize(file = CLUSTER_LOG): number {
  try { return statSync(file).size; } catch { return 0; }
}

function readFrom(file: string, offset: number): Buffer {
  let fd: number;
  try { fd = openSync(file, 'r'); } catch { return Buffer.alloc(0); }
  try {
    const size = statSync(file).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** What the log gained since `offset` (a logSize() taken earlier), across one rotation. */
export function logSince(offset: number, file = CLUSTER_LOG): string {
  if (logSize(file) >= offset) return readFrom(file, offset).toString('utf8');
  return readFrom(`${file}.1`, offset).toString('utf8') + readFrom(file, 0).toString('utf8');
}
