// Runs the extension-host suite (test/vscode) in a real VS Code: code-server with the
// examples/ workspace, the extension loaded from this folder as a development extension,
// the workbench opened in Chromium (playwright-core), as ../shared/REAL-VSCODE.md says.
// The suite writes its results to a file; this script waits for it, prints it, and ends
// code-server and the browser. Meanwhile it does what a test asks of the workbench page
// through the folder LLD_TEST_ACTIONS (test/vscode/workbench.ts): wait for an element, click, type,
// press a key, take a screenshot, as a person at the browser would. On a desktop with a VS Code download, @vscode/test-electron
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
fs.mkdirSync(screenshots, { recursive: true });
const workspace = path.join(root, 'examples');
// `--grep TEXT` runs only the extension-host tests whose titles contain TEXT.
const grepAt = process.argv.indexOf('--grep');
const grep = grepAt === -1 ? {} : { LLD_TEST_GREP: process.argv[grepAt + 1] };
const actionsDir = path.join(root, 'out', 'test', 'workbench-actions');
fs.rmSync(actionsDir, { recursive: true, force: true });
fs.mkdirSync(actionsDir, { recursive: true });
const vscode = await startCodeServer({
  tools,
  workspace,
  env: { LLD_TEST_RESULTS: resultsFile, LLD_TEST_ACTIONS: actionsDir, ...grep },
});

/** Does the actions the tests ask for, each `<n>.json` answered by `<n>.done`: its error, if
 * any, and the inner texts of the elements `texts` selects (what the extension host's API
 * cannot read, such as the notifications on screen). */
async function serveActions(page, until) {
  while (!until()) {
    for (const file of fs.readdirSync(actionsDir).filter((f) => f.endsWith('.json'))) {
      const request = path.join(actionsDir, file);
      const action = JSON.parse(fs.readFileSync(request, 'utf8'));
      fs.rmSync(request);
      let error = '';
      let texts = [];
      try {
        if (action.waitFor) await page.waitForSelector(action.waitFor, { state: 'visible', timeout: 30_000 });
        if (action.click) await page.click(action.click, { timeout: 30_000 });
        if (action.type) await page.keyboard.type(action.type);
        if (action.press) await page.keyboard.press(action.press);
        if (action.texts) texts = await page.locator(action.texts).allInnerTexts();
        if (action.screenshot) {
          fs.mkdirSync(screenshots, { recursive: true });
          await page.screenshot({ path: path.join(screenshots, `${action.screenshot}.png`) });
        }
      } catch (e) {
        error = String(e?.message ?? e);
      }
      fs.writeFileSync(request.replace(/\.json$/, '.done'), JSON.stringify({ error, texts }));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
let exitCode = 1;
try {
  const payload = [
    ['extensionDevelopmentPath', vscode.remote(root)],
    ['extensionTestsPath', vscode.remote(testsEntry)],
    ['skipWelcome', 'true'],
  ];
  const page = await vscode.open(vscode.url(`&payload=${encodeURIComponent(JSON.stringify(payload))}`));
  const actions = serveActions(page, () => fs.existsSync(resultsFile));
  // The extension host reads and writes the browser's clipboard (Copy Served URLs).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: vscode.url().split('/?')[0] });
  await waitFor(() => fs.existsSync(resultsFile), {
    timeoutMs: 10 * 60_000,
    intervalMs: 250,
    message: 'the extension-host suite to finish (its results file)',
  });
  await actions;
  fs.mkdirSync(screenshots, { recursive: true });
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
  await vscode.close();
}
process.exit(exitCode);
