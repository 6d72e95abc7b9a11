// Writes the component-test counts to a JSON file for scripts/test.ts, which prints the one
// `N passed, N failed` line CI reads (web-test-runner prints no such line of its own).
import { writeFileSync } from 'node:fs';

function countTests(suite, tally) {
  for (const test of suite.tests) {
    if (test.skipped) tally.skipped += 1;
    else if (test.passed) tally.passed += 1;
    else tally.failed += 1;
  }
  for (const child of suite.suites) countTests(child, tally);
}

export function summaryReporter(outFile) {
  return {
    onTestRunFinished({ sessions }) {
      const tally = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        if (session.testResults) countTests(session.testResults, tally);
        // A file that failed to load has errors but no test results: count it as a failure.
        if (!session.passed && (!session.testResults || session.errors.length > 0)) tally.failed += 1;
      }
      if (outFile) writeFileSync(outFile, JSON.stringify(tally));
    },
  };
}
