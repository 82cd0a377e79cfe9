// Prints one plain closing line, `tests: N passed, N failed, N skipped`, that any CI can read. It is
// written as the process exits, so it follows jest's own summary and the coverage report.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}

module.exports = SummaryReporter;
