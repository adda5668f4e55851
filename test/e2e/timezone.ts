// Scenario 1 with the controller in another time zone. Pacemaker 2.1 tools print times in the
// caller's local zone: in UTC stonith_admin's history says completed="2026-12-06 17:04:49Z", in
// any other zone "2026-12-06 13:34:49 -03:30". NovaEvacuate reads that history before it
// evacuates (the fencing check), so it must understand both forms. The zone is west of UTC and
// not a whole hour: an offset that is ignored or cut to hours puts the fencing before the mark
// and nothing would be evacuated.
// stonith_admin has no TZ in its environment (our agents give children PATH, LANG and LC_ALL
// only), so /etc/localtime decides: changing it is enough for every new process. Running
// daemons are another matter: they read the zone when they start, and after a change only
// some of their log lines follow it (seen here: pacemaker-controld's did, pacemaker-fenced's
// and pacemaker-attrd's did not). So Pacemaker is restarted in the zone, as on a controller
// installed that way: its daemons and our NovaEvacuate worker then all log local time.
import { lstatSync, rmSync } from 'node:fs';
import { run, sh } from './cluster-ops.ts';

export const ZONE = 'America/St_Johns';
/** The zone's offset in December, as Pacemaker prints it. */
export const ZONE_OFFSET = '-03:30';
/** Kept across runs: testbed.sh restores it when a crashed run left the zone changed. */
export const LOCALTIME_BACKUP = '/var/tmp/ihaa-e2e-localtime';
const exists = (p: string) => { try { lstatSync(p); return true; } catch { return false; } };

export function setZone(zone: string): void {
  if (!exists(LOCALTIME_BACKUP)) run('cp', ['-P', '/etc/localtime', LOCALTIME_BACKUP]); // an older backup is the original
  run('ln', ['-sfn', `/usr/share/zoneinfo/${zone}`, '/etc/localtime']);
}

export function restoreZone(): void {
  if (!exists(LOCALTIME_BACKUP)) return;
  run('cp', ['-P', '--remove-destination', LOCALTIME_BACKUP, '/etc/localtime']);
  rmSync(LOCALTIME_BACKUP);
}

/** The host's successful fencings as stonith_admin prints them to a process of ours (same environment). */
export function printedFencings(host: string): string[] {
  const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' };
  return [...sh('stonith_admin', ['--history', host, '--verbose', '--output-as=xml'], env).matchAll(/<fence_event [^>]*status="success"[^>]*completed="([^"]+)"/g)]
    .map((m) => m[1] ?? '');
}

/** "Dec 06 13:34:49.123" of a Pacemaker log line, read as a time of `zone` on the day of `near` → epoch ms. */
export function logLineTime(line: string, zone: string, near: number): number {
  const m = /^(\w{3}) (\d\d) (\d\d):(\d\d):(\d\d)/.exec(line);
  if (!m) return Number.NaN;
  const local = Date.UTC(new Date(near).getUTCFullYear(), ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(m[1]!),
    Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
  return local - zoneOffsetMs(zone, near);
}

/** The zone's offset from UTC at `at` (ms, east positive). */
function zoneOffsetMs(zone: string, at: number): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric',
    day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(at).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(at / 1000) * 1000;
}
