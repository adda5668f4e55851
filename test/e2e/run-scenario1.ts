// Runs scenario 1 on a testbed that is up (test/e2e/testbed.sh up), narrating; exit 1 on failure.
import { runScenario1 } from './scenario1.ts';

try {
  const t = await runScenario1((line) => console.log(line));
  console.log(`\ntimeline (s): ${Object.entries(t).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
