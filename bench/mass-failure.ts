// Issue 16: a mass failure held by the guard, simulator only. What NovaEvacuate's worker costs
// per minute while it holds 250 of 500 marked computes (mass-failure guard), beside the same
// worker holding 1 host the same way (guard, threshold 0) and 1 host held as unsafe (no fencing
// proof). Prints the tables and refreshes their block in docs/scale.md. Not a test; touches no
// Pacemaker (mass-failure-deps.ts stands in for attrd, the CIB and stonith_admin, and counts forks).
//
//   node bench/mass-failure.ts [--seconds 60] [--computes 500] [--marked 250]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { replaceBlock } from '../scripts/generate.ts';
import { renderTable, type Measured } from './mass-failure-report.ts';
import { runScenario, type Scenario } from './mass-failure-run.ts';
import { context, finish, ROOT } from './results.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, computes: { type: 'string', default: '500' }, marked: { type: 'string', default: '250' } } });
const seconds = Number(values.seconds);
const computes = Number(values.computes);
const marked = Number(values.marked);
// Just under the share marked: at the default 50, exactly 50 % down is not "above" and would be evacuated.
const massThreshold = Math.max(0, Math.ceil((marked * 100) / computes) - 1);
const GUARD = /^mass failure/;
const scenarios: Scenario[] = [
  { label: '1 held by the guard', marked: 1, threshold: 0, fenced: true, heldBy: GUARD },
  { label: '1 held, no fencing proof', marked: 1, threshold: 50, fenced: false, heldBy: /fencing history shows no successful fencing/ },
  { label: `${marked} held by the guard`, marked, threshold: massThreshold, fenced: true, heldBy: GUARD },
];
const progress = (s: string) => process.stderr.write(`[mass-failure ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

const ctx = context(false);
const measured: Measured[] = [];
for (const s of scenarios) {
  progress(`${s.label}: ${computes} computes, threshold ${s.threshold} %, 2 windows of ${seconds} s`);
  measured.push({ scenario: s, windows: await runScenario(s, computes, seconds) });
}
const end = finish(ctx);
const [base, , mass] = measured as [Measured, Measured, Measured];
const tables = [0, 1].map((i) => renderTable(measured, i, base, mass));

const section = `### Mass failure held by the guard (simulator only)

\`node bench/mass-failure.ts --seconds ${seconds} --computes ${computes} --marked ${marked}\` — ${end.date}, commit ${end.commit}, ${end.machine},
load average ${end.loadBefore.join('/')} before, ${end.loadAfter?.join('/')} after.

The real \`EvacuationWorker\` in one Node process with NovaEvacuate's parameter defaults (poll_interval
1 s, require_fencing 1), against the in-process simulator: ${computes} computes, 2 evacuable instances each.
The marked hosts are failed all at once as \`fence_compute off\` leaves them (crashed, forced down, disabled
by instance-ha, ledger pending, \`evacuate=yes\`, an off in the fencing history); the worker was polling
3 s before. attrd, the CIB ledger, \`stonith_admin --history\` and \`crm_mon\` are in-memory stand-ins
(bench/mass-failure-deps.ts) answering after 20–80 ms: each call is counted as the fork it is in
production. Threshold: 0 % for 1 held by the guard, ${massThreshold} % for ${marked} of ${computes}
(exactly 50 % is not above the default 50, and would be evacuated). Every marked host was checked
held for the expected reason, with no server action sent. Log lines: the worker's logger (syslog
gets warning and info; debug only with verbose=1). CPU and RSS are the whole process, simulator included.

First window (${seconds} s from the marks: the worker picks up the hosts, reads them once, starts holding):

${tables[0]}

Second window (the ${seconds} s after it, held):

${tables[1]}
`;

console.log(section);
const file = join(ROOT, 'docs', 'scale.md');
const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Scale (issue 16)\n\n<!-- scale:mass-failure -->\n<!-- /scale:mass-failure -->\n';
writeFileSync(file, replaceBlock(doc, 'mass-failure', section, 'scale'));
progress(`wrote ${file}`);
