// Runs the planned-maintenance cycle (maintenance.ts) on a testbed that is up, narrating; exit 1 on failure.
import { runMaintenance } from './maintenance.ts';

try {
  const r = await runMaintenance((line) => console.log(line));
  const bad = [
    r.startExit !== 0 && `maintenance start exited ${r.startExit}`,
    r.endExit !== 0 && `maintenance end exited ${r.endExit}`,
    r.fencings.some((f) => f.action !== 'on') && `the host was fenced: ${JSON.stringify(r.fencings)}`,
  ].filter(Boolean);
  console.log(`\ntimeline (s): ${Object.entries(r.steps).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
  if (bad.length) throw new Error(bad.join('; '));
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
