// Reads vitest's JSON report and prints the line CI reads: "N passed, M failed".
// A failed step before vitest (argv[3], e.g. the type check) counts as failed; so does a test
// file that failed to load, or a report with no test at all.
import { readFileSync } from 'node:fs';

interface Report { numPassedTests: number; numFailedTests: number; numFailedTestSuites: number; numTotalTests: number }

const [reportPath, stepsFailed = '0'] = process.argv.slice(2);
let passed = 0;
let failed = Number(stepsFailed);
try {
  const r = JSON.parse(readFileSync(reportPath ?? '', 'utf8')) as Report;
  passed = r.numPassedTests;
  failed += Math.max(r.numFailedTests, r.numFailedTestSuites);
  if (r.numTotalTests === 0) failed += 1;
} catch {
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
