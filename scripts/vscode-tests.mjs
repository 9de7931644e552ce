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
const workspace = path.join(root, 'examples');
// `--grep TEXT` runs only the extension-host tests whose titles contain TEXT.
const grepAt = process.argv.indexOf('--grep');
const grep = grepAt === -1 ? {} : { LLD_TEST_GREP: process.argv[grepAt + 1] };
// A test asks for a screenshot of the workbench by writing <name>.request in this folder; the
// runner saves out/screenshots/<name>.png and answers <name>.json with the notifications'
// texts on screen (what the extension host's API cannot read).
const screenshotRequests = path.join(root, 'out', 'test', 'screenshot-requests');
fs.rmSync(screenshotRequests, { recursive: true, force: true });
fs.mkdirSync(screenshotRequests, { recursive: true });
const vscode = await startCodeServer({
  tools,
  workspace,
  env: { LLD_TEST_RESULTS: resultsFile, LLD_SCREENSHOT_REQUESTS: screenshotRequests, ...grep },
});
let exitCode = 1;
let answering = true;
async function answerScreenshotRequests(page) {
  while (answering) {
    for (const file of fs.readdirSync(screenshotRequests)) {
      if (!file.endsWith('.request')) continue;
      const name = file.slice(0, -'.request'.length);
      fs.mkdirSync(screenshots, { recursive: true });
      const notifications = await page
        .locator('.notification-toast .notification-list-item')
        .allInnerTexts()
        .catch(() => []);
      await page.screenshot({ path: path.join(screenshots, `${name}.png`) }).catch(() => undefined);
      fs.rmSync(path.join(screenshotRequests, file), { force: true });
      fs.writeFileSync(path.join(screenshotRequests, `${name}.json`), JSON.stringify({ notifications }));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
try {
  const payload = [
    ['extensionDevelopmentPath', vscode.remote(root)],
    ['extensionTestsPath', vscode.remote(testsEntry)],
    ['skipWelcome', 'true'],
  ];
  const page = await vscode.open(vscode.url(`&payload=${encodeURIComponent(JSON.stringify(payload))}`));
  const answered = answerScreenshotRequests(page);
  await waitFor(() => fs.existsSync(resultsFile), {
    timeoutMs: 10 * 60_000,
    intervalMs: 250,
    message: 'the extension-host suite to finish (its results file)',
  });
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, 'extension-host-suite.png') });
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const title of results.passes) console.log(`  ✔ ${title}`);
  for (const failure of results.failures) console.log(`  ✘ ${failure}`);
  console.log(`\n  ${results.passes.length} passing, ${results.failed} failing (extension host in code-server)`);
  exitCode = results.failed === 0 && results.passes.length > 0 ? 0 : 1;
  answering = false;
  await answered;
} catch (error) {
  console.error(String(error?.stack ?? error));
  console.error(vscode.log().split('\n').slice(-30).join('\n'));
} finally {
  answering = false;
  await vscode.close();
}
process.exit(exitCode);
