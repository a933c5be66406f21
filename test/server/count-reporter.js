// @ts-check
/**
 * Prints `N passed, N failed` once the run ends, and writes the same counts
 * to `.test-results/browser.json` for scripts/test.js to add up.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

/**
 * @param {import('@web/test-runner').TestSuiteResult | undefined} suite
 * @param {{ passed: number, failed: number, skipped: number }} counts
 */
function count(suite, counts) {
  if (!suite) return;
  for (const test of suite.tests) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const child of suite.suites) count(child, counts);
}

/** @returns {import('@web/test-runner').Reporter} */
export function countReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        count(session.testResults, counts);
        // A file that crashed before its tests ran has no results, only errors: count it as failed.
        if (!session.passed && !session.testResults?.tests.length && !session.testResults?.suites.length)
          counts.failed++;
      }
      mkdirSync('.test-results', { recursive: true });
      writeFileSync('.test-results/browser.json', JSON.stringify(counts));
    },
  };
}
