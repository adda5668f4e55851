// Reads vitest's JSON reports and prints the line CI reads: "N passed, M failed".
//   node scripts/summarize-tests.ts FAILED_STEPS REPORT...
// A failed step outside vitest (the type check) counts as failed; so does a test file that
// failed to load (no test ran in it), a missing report, or a report with no test at all.
import { readFileSync } from 'node:fs';

interface FileResult { status: string; assertionResults: unknown[] }
interface Report { numPassedTests: number; numFailedTests: number; numTotalTests: number; testResults: FileResult[] }

const [stepsFailed = '0', ...reports] = process.argv.slice(2);
let passed = 0;
let failed = Number(stepsFailed);
for (const path of reports) {
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as Report;
    passed += r.numPassedTests;
    failed += r.numFailedTests + r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
    if (r.numTotalTests === 0) failed += 1;
  } catch {
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
