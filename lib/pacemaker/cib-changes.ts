import { watch } from 'node:fs';

// pacemaker-based writes the CIB to disk (cib.xml, renamed into place) on every full cluster
// node within milliseconds of each configuration change. fence_compute's ledger entry is such
// a change, so watching that directory lets the NovaEvacuate worker see a new mark at once
// instead of at its next poll. A hint only: the poll stays the source of truth (a reference
// fence_compute writes no ledger entry; a node without the directory simply gets no hints).

export const CIB_DIR = '/var/lib/pacemaker/cib';

/** Calls onWrite after each CIB write on this node; returns the function that stops watching. */
export function onCibWritten(onWrite: () => void, dir = CIB_DIR): () => void {
  try {
    const watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name === 'cib.xml') onWrite();
    });
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return () => {};
  }
}
