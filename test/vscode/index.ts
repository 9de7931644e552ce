// The extension-host suite's entry: VS Code (desktop under @vscode/test-electron, or
// code-server here) loads this module and calls run(). Results also go to the file named
// by LLD_TEST_RESULTS, when set, so a runner outside the workbench can read them;
// LLD_TEST_GREP, when set, picks tests by title.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // LLD_TEST_GREP (scripts/vscode-tests.mjs --grep TEXT) runs only the tests whose titles match.
  if (process.env.LLD_TEST_GREP) mocha.grep(process.env.LLD_TEST_GREP);
  for (const file of fs.readdirSync(__dirname)) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  const resultsFile = process.env.LLD_TEST_RESULTS ?? path.join(__dirname, 'results.json');
  return new Promise((resolve, reject) => {
    const failures: string[] = [];
    const passes: string[] = [];
    const write = (failed: number) =>
      fs.writeFileSync(resultsFile, JSON.stringify({ failed, passes, failures }, null, 2));
    let runner: Mocha.Runner;
    try {
      runner = mocha.run((failed) => {
        write(failed);
        if (failed > 0) reject(new Error(`${failed} extension-host tests failed.`));
        else resolve();
      });
    } catch (error) {
      // A test file that fails to load: said in the results at once, rather than leaving the
      // runner to wait for a file that never comes.
      failures.push(`loading the tests: ${(error as Error).stack ?? String(error)}`);
      write(1);
      reject(error);
      return;
    }
    runner.on('pass', (test) => passes.push(test.fullTitle()));
    runner.on('fail', (test, error) => failures.push(`${test.fullTitle()}: ${error.stack ?? error.message}`));
  });
}
