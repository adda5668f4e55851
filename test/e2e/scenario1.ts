// Scenario 1, the main job: kill -9 pacemaker-remoted on compute-0 ⇒ IPMI power-off ⇒
// fence_compute off ⇒ exactly the evacuable instances evacuated to other hosts ⇒ host powered
// on ⇒ unfencing ⇒ trigger starts ⇒ nova-compute starts ⇒ Nova service enabled, not forced down.
// Reads the truth from the cluster (stonith_admin, crm_mon), NovaEvacuate's JSON events and the
// simulator's state. Used by the demo (with narration) and by the e2e test.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evacuatedBeforeFenced, HERE, pacemakerTime, signalCloud, simState, sh, STATE, type SimState } from './cluster-ops.ts';

export { simState, STATE };
const events = (): { event: string; host?: string; time: string }[] => (existsSync(join(STATE, 'events.jsonl'))
  ? readFileSync(join(STATE, 'events.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

export interface Timeline { [step: string]: number }

export interface ScenarioOptions {
  /** How the host dies: kill -9 of pacemaker-remoted (default), or a silent crash (link down, processes stopped). */
  failure?: 'kill-remoted' | 'freeze';
  /** Nova answers 503 for this long from the failure on (scenario 5: fencing fails until it is back). */
  novaOutageMs?: number;
  /** Called once the first evacuate went out (scenario 4 kills the worker there). */
  onFirstEvacuation?: () => void | Promise<void>;
  /** Another agent evacuates (the reference NovaEvacuate): progress is read from Nova, not from our worker's events. */
  otherEvacuator?: boolean;
  /** The host's OS comes up this long after its BMC powered it on (chassis-control.sh), as a real server's does. */
  bootDelayS?: number;
}

/** Tells the simulator process (sim-server.ts) to answer every Nova request with 503 for a while. */
function startNovaOutage(ms: number): void {
  writeFileSync(join(STATE, 'nova-outage-ms'), String(ms));
  signalCloud('SIGUSR1');
}

/**
 * Boots `count` more evacuable instances on a host (simulator or real cloud) and waits until
 * they are ACTIVE there; `rebuild: 'hang'` (simulator only) makes their evacuations never end.
 */
export async function bootEvacuable(host: string, count: number, timeoutMs = 300_000, rebuild?: 'hang'): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `ha-${host}-${Date.now().toString(36)}-${i}`);
  writeFileSync(join(STATE, 'boot-request.json'), JSON.stringify({ host, names, rebuild }));
  signalCloud('SIGUSR2');
  const ready = () => names.every((n) => simState().servers.some((s) => s.name === n && s.host === host && s.status === 'ACTIVE' && s.evacuable));
  for (const t0 = Date.now(); !ready(); await new Promise((r) => setTimeout(r, 500))) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`${count} instances did not become ACTIVE on ${host} within ${timeoutMs / 1000} s`);
  }
  return names;
}

export async function runScenario1(say: (line: string) => void = () => {}, host = 'compute-0', timeoutMs = 300_000, opts: ScenarioOptions = {}): Promise<Timeline> {
  const t0 = Date.now();
  const timeline: Timeline = {};
  const mark = (step: string, line: string) => { timeline[step] = (Date.now() - t0) / 1000; say(`[${timeline[step]!.toFixed(1).padStart(6)} s] ${line}`); };
  const until = async (step: string, line: string, cond: () => boolean) => {
    while (!cond()) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`scenario 1: timed out waiting for: ${line}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    mark(step, line);
  };
  // Earlier scenarios may have emptied this host: it needs instances to evacuate.
  if (!simState().servers.some((s) => s.host === host && s.evacuable && s.status === 'ACTIVE')) await bootEvacuable(host, 2);
  const before = simState();
  const evacuable = before.servers.filter((s) => s.host === host && s.evacuable);
  const plain = before.servers.filter((s) => s.host === host && !s.evacuable);
  // Evacuations away from this host: with two hosts failing at once, an instance rebuilt onto the
  // other failing host (not yet fenced, so Nova still schedules to it) is rightly evacuated again from there.
  const fromHere = (s: SimState['servers'][number]) => s.evacuatedFrom.filter((h) => h === host).length;
  const evacuationsBefore = new Map(before.servers.map((s) => [s.id, fromHere(s)]));
  const eventsBefore = events().length;
  const hostEvents = () => events().slice(eventsBefore).filter((e) => e.host === host);
  say(`${host} runs ${evacuable.length} evacuable instances (image tagged evacuable) and ${plain.length} untagged ones`);

  const failure = opts.failure ?? 'kill-remoted';
  if (opts.novaOutageMs) startNovaOutage(opts.novaOutageMs);
  const bootDelay = join(STATE, `boot-delay-${host}`);
  if (opts.bootDelayS) writeFileSync(bootDelay, String(opts.bootDelayS));
  execFileSync('bash', [join(HERE, 'node.sh'), failure, host]);
  mark('failure', failure === 'freeze' ? `${host} froze: link down, every process stopped (nothing closes a connection)`
    : `kill -9 pacemaker-remoted on ${host}`);
  if (opts.novaOutageMs) say(`Nova answers 503 for the next ${opts.novaOutageMs / 1000} s`);
  const fencings = (status: string) => [...sh('stonith_admin', ['--history', host, '--verbose', '--output-as=xml']).matchAll(/<fence_event ([^>]*)\/>/g)]
    .filter((m) => /action="(reboot|off)"/.test(m[1] ?? '') && new RegExp(`status="${status}"`).test(m[1] ?? '')
      && pacemakerTime(/completed="([^"]+)"/.exec(m[1] ?? '')?.[1] ?? '') >= t0 - 1000);
  const online = () => new RegExp(`<node name="${host}"[^>]*online="true"`).test(sh('crm_mon', ['-1', '--output-as=xml']));
  await until('node_lost', failure === 'freeze' ? `the remote connection's monitor failed: Pacemaker lost ${host}` : `Pacemaker lost ${host}`, () => !online());
  if (opts.novaOutageMs) {
    await until('fencing_failed', 'a fencing attempt failed (fence_compute could not reach Nova); Pacemaker retries', () => fencings('failed').length > 0);
  }
  const fencedAfter = () => fencings('success').length > 0;
  await until('fenced', `Pacemaker fenced ${host}: the fencing level ran IPMI power-off, then fence_compute off`, fencedAfter);
  await until('forced_down', `Nova shows nova-compute on ${host} forced down and disabled`,
    () => simState().services.some((s) => s.host === host && s.forcedDown && s.disabled));
  // Nova's view when another agent evacuates: an evacuation from here, then every evacuable instance ACTIVE elsewhere.
  const movedNow = () => { const now = simState(); return evacuable.map((s) => now.servers.find((x) => x.id === s.id)); };
  const firstEvacuation = opts.otherEvacuator
    ? () => movedNow().some((s) => s !== undefined && fromHere(s) > (evacuationsBefore.get(s.id) ?? 0))
    : () => hostEvents().some((e) => e.event === 'instance-evacuate-accepted');
  const allEvacuated = opts.otherEvacuator
    ? () => movedNow().every((s) => s !== undefined && s.host !== host && s.status === 'ACTIVE')
    : () => hostEvents().some((e) => e.event === 'host-done');
  await until('first_evacuation', `${opts.otherEvacuator ? 'Nova shows' : 'NovaEvacuate sent'} the first evacuate`, firstEvacuation);
  await opts.onFirstEvacuation?.();
  await until('all_evacuated', `every evacuable instance is ACTIVE on another host${opts.otherEvacuator ? '' : ' (verified)'}: ${evacuable.length}`, allEvacuated);
  // While a slow host boots, crm_mon may already count it online (its connection is starting).
  const booted = () => sh('bash', [join(HERE, 'node.sh'), 'status', host]).trim() === 'on';
  await until('node_online', `${host} powered on again (IPMI)${opts.bootDelayS ? `, booted ${opts.bootDelayS} s later,` : ''} and back in the cluster`,
    () => online() && (!opts.bootDelayS || booted()));
  rmSync(bootDelay, { force: true });
  await until('trigger_started', 'unfencing done: compute-unfence-trigger started on it',
    () => new RegExp(`<resource id="compute-unfence-trigger"[^>]*role="Started"[^>]*>\\s*<node name="${host}"`).test(sh('crm_mon', ['-1', '--output-as=xml'])));
  await until('nova_compute_started', `nova-compute started on ${host} (ordered after the trigger)`,
    () => simState().services.some((s) => s.host === host && s.alive));
  await until('in_service', `Nova shows ${host} enabled and not forced down: back in service`,
    () => simState().services.some((s) => s.host === host && s.alive && !s.forcedDown && !s.disabled));
  const after = simState();
  const moved = evacuable.map((s) => after.servers.find((x) => x.id === s.id)!);
  const problems = [
    ...moved.filter((s) => s.host === host || s.status !== 'ACTIVE').map((s) => `${s.name} is ${s.status} on ${s.host}`),
    ...moved.filter((s) => fromHere(s) - (evacuationsBefore.get(s.id) ?? 0) !== 1).map((s) => `${s.name} was evacuated from ${host} ${fromHere(s) - (evacuationsBefore.get(s.id) ?? 0)} times`),
    ...plain.map((s) => after.servers.find((x) => x.id === s.id)!).filter((s) => s.host !== host || fromHere(s) !== (evacuationsBefore.get(s.id) ?? 0)).map((s) => `${s.name} (untagged) was moved`),
    // Ours waits for the fencing to complete; the reference agent acts on the mark alone (fence_compute writes it mid-fencing, after the power-off).
    ...(opts.otherEvacuator ? [] : evacuatedBeforeFenced([host], before.time, after)),
  ];
  if (problems.length) throw new Error(`scenario 1: ${problems.join('; ')}`);
  say(`every evacuable instance moved exactly once (${[...new Set(moved.map((s) => s.host))].join(', ')}); the untagged ones stayed on ${host}`);
  return timeline;
}
