// Runs the extension-host suite (test/vscode) in a real VS Code: code-server with the
// examples/ workspace, the extension loaded from this folder as a development extension,
// the workbench opened in Chromium (playwright-core), as ../shared/REAL-VSCODE.md says.
// The suite writes its results to a file; this script waits for it, prints it, and ends
// code-server and the browser. On a desktop with a VS Code download, @vscode/test-electron
// can run the same out/test/vscode/index.js.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildExtensionTests, codeServerTools, projectRoot as root, startCodeServer } from './lib/codeServer.mjs';
import { waitFor } from './lib/waitFor.mjs';

const screenshots = path.join(root, 'out', 'screenshots');
const tools = codeServerTools();

const testsEntry = await buildExtensionTests();

const resultsFile = path.join(root, 'out', 'test', 'vscode-results.json');
fs.rmSync(resultsFile, { force: true });
// A test asks for a screenshot of the workbench by writing NAME.request in this folder
// (test/vscode/screenshot.ts); this script takes out/screenshots/vscode-NAME.png and
// answers with NAME.done.
const shotRequests = path.join(root, 'out', 'test', 'vscode-screenshot-requests');
fs.rmSync(shotRequests, { recursive: true, force: true });
fs.mkdirSync(shotRequests, { recursive: true });
fs.mkdirSync(screenshots, { recursive: true });
const workspace = path.join(root, 'examples');
// `--grep TEXT` runs only the extension-host tests whose titles contain TEXT.
const grepAt = process.argv.indexOf('--grep');
const grep = grepAt === -1 ? {} : { LLD_TEST_GREP: process.argv[grepAt + 1] };
const vscode = await startCodeServer({
  tools,
  workspace,
  env: { LLD_TEST_RESULTS: resultsFile, LLD_SCREENSHOT_REQUESTS: shotRequests, ...grep },
});
let exitCode = 1;
let shots = null;
try {
  const payload = [
    ['extensionDevelopmentPath', vscode.remote(root)],
    ['extensionTestsPath', vscode.remote(testsEntry)],
    ['skipWelcome', 'true'],
  ];
  const page = await vscode.open(vscode.url(`&payload=${encodeURIComponent(JSON.stringify(payload))}`));
  // The extension host reads and writes the browser's clipboard (Copy Served URLs).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: vscode.url().split('/?')[0] });
  let shooting = false;
  shots = setInterval(() => {
    if (shooting) return;
    shooting = true;
    void (async () => {
      for (const request of fs.readdirSync(shotRequests).filter((f) => f.endsWith('.request'))) {
        const name = request.slice(0, -'.request'.length);
        await page.screenshot({ path: path.join(screenshots, `vscode-${name}.png`) });
        fs.renameSync(path.join(shotRequests, request), path.join(shotRequests, `${name}.done`));
      }
    })()
      .catch((error) => console.error(`screenshot: ${error}`))
      .finally(() => (shooting = false));
  }, 200);
  await waitFor(() => fs.existsSync(resultsFile), {
    timeoutMs: 10 * 60_000,
    intervalMs: 250,
    message: 'the extension-host suite to finish (its results file)',
  });
  await page.screenshot({ path: path.join(screenshots, 'extension-host-suite.png') });
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const title of results.passes) console.log(`  ✔ ${title}`);
  for (const failure of results.failures) console.log(`  ✘ ${failure}`);
  console.log(`\n  ${results.passes.length} passing, ${results.failed} failing (extension host in code-server)`);
  exitCode = results.failed === 0 && results.passes.length > 0 ? 0 : 1;
} catch (error) {
  console.error(String(error?.stack ?? error));
  console.error(vscode.log().split('\n').slice(-30).join('\n'));
} finally {
  if (shots) clearInterval(shots);
  await vscode.close();
}
process.exit(exitCode);
