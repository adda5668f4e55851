import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventLog } from '../../lib/evacuation/events.ts';
import { Logger } from '../../lib/log.ts';

// The event log's warnings about held hosts: one line a minute per host and reason, whichever
// of "unsafe" or "blocked" says it; a new reason at once.

describe('EventLog', () => {
  it('a held host reported unsafe, then blocked, for the same reason: one warning; another reason or host: written at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihaa-events-'));
    const clusterLog = join(dir, 'pacemaker.log');
    const events = new EventLog(join(dir, 'events.jsonl'), new Logger({ tag: 'test', stderr: false, syslog: false }), clusterLog);
    const why = 'mass failure: 3 of 4 compute services down (75%, threshold 50%)';
    events.emit({ event: 'host-unsafe', host: 'a', reason: why });
    events.emit({ event: 'host-blocked', host: 'a', reason: why });
    events.emit({ event: 'host-unsafe', host: 'a', reason: why });
    events.emit({ event: 'host-blocked', host: 'b', reason: why });
    events.emit({ event: 'host-blocked', host: 'a', reason: 'evacuation cannot finish: 1 failed' });
    const lines = readFileSync(clusterLog, 'utf8').trim().split('\n').map((l) => l.replace(/^.* \(evacuation\) /, ''));
    expect(lines).toEqual([`warning: host-unsafe a: ${why}`, `warning: host-blocked b: ${why}`, 'warning: host-blocked a: evacuation cannot finish: 1 failed']);
  });

  it('the proof a host was evacuated on goes to the Pacemaker log at notice, once, beside its claim', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihaa-events-'));
    const clusterLog = join(dir, 'pacemaker.log');
    const events = new EventLog(undefined, new Logger({ tag: 'test', stderr: false, syslog: false }), clusterLog);
    events.emit({ event: 'host-safe', host: 'a', reason: 'reboot of a succeeded at 2026-12-07T02:36:34.000Z' });
    events.emit({ event: 'host-claimed', host: 'a' });
    events.emit({ event: 'instance-evacuate-accepted', host: 'a', instance: 'vm-1' });
    const lines = readFileSync(clusterLog, 'utf8').trim().split('\n').map((l) => l.replace(/^.* \(evacuation\) /, ''));
    expect(lines).toEqual(['notice: host-safe a: reboot of a succeeded at 2026-12-07T02:36:34.000Z', 'notice: host-claimed a']);
  });
});
