// What both cloud processes of the testbed (sim-server.ts, real-nova-bridge.ts) share: the
// cluster's view of the "nova-compute" clone, and the state files the scenarios read.
import { execFile } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';

/** crm_mon's XML, or undefined when the cluster does not answer within 5 s. */
export function crmMonXml(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('crm_mon', ['-1', '--output-as=xml'], { timeout: 5000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } },
      (err, out) => resolve(err ? undefined : out));
  });
}

/** Hosts where Pacemaker runs the nova-compute clone. */
export const novaComputeStarted = (xml: string): Set<string> =>
  new Set([...xml.matchAll(/<resource id="nova-compute"[^>]*role="Started"[^>]*>\s*<node name="([^"]+)"/g)].map((m) => m[1] ?? ''));

/** Replaces a state file at once: readers never see half of it. */
export function writeJson(file: string, data: unknown): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(data, null, 1));
  renameSync(`${file}.tmp`, file);
}

/** A server's evacuations as the state file records them: each source host, and when Nova created the migration (ms since the epoch). */
export function evacuationRecords(moves: { from: string | null; at: number }[]): { evacuatedFrom: (string | null)[]; evacuatedAt: number[] } {
  return { evacuatedFrom: moves.map((m) => m.from), evacuatedAt: moves.map((m) => m.at) };
}
