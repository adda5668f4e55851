// Each scenario's switch that breaks the behaviour it checks. `IHA_E2E_BREAK=<scenario>` (1, 2,
// 3b, 4, 5, tz, join, upgrade, blocked or maintenance; several separated by commas) applies one for that
// scenario's run, which must then fail; CI runs scenario 1's in a dedicated test, to prove the
// suite can fail.
import { execFileSync } from 'node:child_process';

const COMPUTES = ['compute-0', 'compute-1', 'compute-2'];

/** One level per compute: its IPMI device, then fence_compute (unless overridden). */
export function setTopology(override: Record<string, string>): void {
  const levels = COMPUTES.map((c) =>
    `<fencing-level id="fl-${c}-1" target="${c}" index="1" devices="${override[c] ?? `ipmi-${c},fence-nova`}"/>`);
  execFileSync('cibadmin', ['--replace', '--scope', 'fencing-topology', '--xml-text', `<fencing-topology>${levels.join('')}</fencing-topology>`]);
}

/** Turns a resource's recurring monitor off (or back on) in the CIB. */
function setMonitor(resource: string, enabled: boolean): void {
  const op = execFileSync('cibadmin', ['--query', '--xpath', `//primitive[@id='${resource}']/operations/op[@name='monitor']`], { encoding: 'utf8' });
  const id = /id="([^"]+)"/.exec(op)?.[1];
  if (!id) throw new Error(`no monitor operation on ${resource}`);
  execFileSync('cibadmin', ['--modify', '--xml-text', `<op id="${id}" enabled="${enabled}"/>`]);
}

const setParameter = (resource: string, name: string, value: string) =>
  execFileSync('crm_resource', ['--resource', resource, '--set-parameter', name, '--parameter-value', value]);
const setLedger = (host: string, value: string | undefined) => execFileSync('crm_attribute',
  ['--type', 'crm_config', '--set-name', 'instance-ha-evacuations', '--name', `evacuation-${host}`, ...(value ? ['--update', value] : ['--delete'])]);
const setProperty = (name: string, value: string) => execFileSync('crm_attribute', ['--type', 'crm_config', '--name', name, '--update', value]);

export const BREAKS: Record<string, { what: string; apply(host: string): () => void }> = {
  '1': { what: 'fence_compute left out of the fencing level (IPMI alone)',
    apply: (host) => { setTopology({ [host]: `ipmi-${host}` }); return () => setTopology({}); } },
  '2': { what: 'the remote connection has no monitor: a silent crash goes unnoticed',
    apply: (host) => { setMonitor(host, false); return () => setMonitor(host, true); } },
  '3b': { what: 'no mass-failure guard (threshold 100 %)',
    apply: () => { setParameter('nova-evacuate', 'threshold', '100'); return () => setParameter('nova-evacuate', 'threshold', '50'); } },
  '4': { what: 'NovaEvacuate has no monitor: nobody notices the killed worker',
    apply: () => { setMonitor('nova-evacuate', false); return () => setMonitor('nova-evacuate', true); } },
  '5': { what: 'fencing is not retried (stonith-max-attempts=1)',
    apply: () => { setProperty('stonith-max-attempts', '1'); return () => setProperty('stonith-max-attempts', '60'); } },
  // Issue 15 (trust.e2e.ts); the scenario restores the zone itself.
  tz: { what: 'the controller back in UTC: stonith_admin prints "…Z", the offset form is never exercised',
    apply: () => { execFileSync('ln', ['-sfn', '/usr/share/zoneinfo/Etc/UTC', '/etc/localtime']); return () => {}; } },
  join: { what: 'an open ledger entry for the new host, as if it had been fenced: fence_compute on must not return it',
    apply: (host) => { setLedger(host, `pending@${Math.floor(Date.now() / 1000)}`); return () => setLedger(host, undefined); } },
  // These are applied by their scenario (isBroken): the reference NovaEvacuate gets skip_done=1,
  // NovaEvacuate keeps its verify_timeout.
  upgrade: { what: 'the reference NovaEvacuate evacuates but never writes evacuate=no', apply: () => () => {} },
  blocked: { what: 'verify_timeout left at its default (600 s): the stuck instance is not reported in time', apply: () => () => {} },
  // Issue 17 (operator.e2e.ts), applied by maintenance.ts after `maintenance start`.
  maintenance: { what: 'the node put back into the cluster before its power-off: the cluster must treat it as a failure', apply: () => () => {} },
};

export const isBroken = (scenario: string) => (process.env.IHA_E2E_BREAK ?? '').split(',').includes(scenario);

/** Applies the break of IHA_E2E_BREAK if it names this scenario; returns its undo. */
export function breakIfAsked(scenario: string, host: string, say: (line: string) => void): () => void {
  const b = isBroken(scenario) ? BREAKS[scenario] : undefined;
  if (!b) return () => {};
  say(`IHA_E2E_BREAK=${scenario}: ${b.what} — this scenario must fail`);
  return b.apply(host);
}
