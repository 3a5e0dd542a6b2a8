// Prints one plain closing line, "jest: N passed, N failed, N skipped", after every run so CI
// logs state the count of tests that ran (a run that executes no test is reported as such).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTotalTests } = results;
    if (numTotalTests === 0) process.stdout.write('jest: no tests ran\n');
    process.stdout.write(
      `jest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
