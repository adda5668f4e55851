// Reads vitest's JSON report and prints the line CI reads: "N passed, M failed".
// A failed step before vitest (argv[3], e.g. the type check) counts as failed; so does a test
// file that failed to load (no test ran in it), or a report with no test at all.
import { readFileSync } from 'node:fs';

interface FileResult { status: string; assertionResults: unknown[] }
interface Report { numPassedTests: number; numFailedTests: number; numTotalTests: number; testResults: FileResult[] }

const [reportPath, stepsFailed = '0'] = process.argv.slice(2);
let passed = 0;
let failed = Number(stepsFailed);
try {
  const r = JSON.parse(readFileSync(reportPath ?? '', 'utf8')) as Report;
  passed = r.numPassedTests;
  failed += r.numFailedTests + r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  if (r.numTotalTests === 0) failed += 1;
} catch {
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
