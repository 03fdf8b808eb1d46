// Prints one plain closing line ("tests: N passed, N failed, N skipped") that CI systems and
// scripts can read without parsing jest's own summary, and before it the slowest files with
// their times, so a slow CI run says where its time went.
class SummaryReporter {
  onTestFileResult(_test, result) {
    const seconds = (result.perfStats.end - result.perfStats.start) / 1000;
    const file = result.testFilePath.replace(`${process.cwd()}/`, '');
    process.stdout.write(`[time] ${new Date().toISOString()} ${file} ${seconds.toFixed(1)} s\n`);
  }

  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({
        file: r.testFilePath.replace(`${process.cwd()}/`, ''),
        seconds: (r.perfStats.end - r.perfStats.start) / 1000,
      }))
      .sort((a, b) => b.seconds - a.seconds);
    const total = files.reduce((sum, f) => sum + f.seconds, 0);
    const slowest = files.slice(0, 12).map((f) => `  ${f.seconds.toFixed(1).padStart(7)} s  ${f.file}`);
    process.stdout.write(
      `\nslowest files (of ${files.length}, ${Math.round(total)} s in all):\n${slowest.join('\n')}\n`,
    );
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
