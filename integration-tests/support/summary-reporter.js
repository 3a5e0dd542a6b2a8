// Prints one plain closing line, "jest: N passed, N failed, N skipped on node vX.Y.Z", after every
// run so CI logs state the count of tests that ran and the Node line they ran on (a run that
// executes no test is reported as such).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTotalTests } = results;
    if (numTotalTests === 0) process.stdout.write('jest: no tests ran\n');
    process.stdout.write(
      `jest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped` +
        ` on node ${process.version}\n`,
    );
  }
}
module.exports = SummaryReporter;
