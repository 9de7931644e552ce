// The floor under "F5 to the first stop" in code-server, measured as scripts/e2e.mjs measures
// ours: a workspace with one file and a launch.json of VS Code's own `node` type (no Lambda,
// the same packaged extension installed), the file open in the editor as the end-to-end
// run has its handler, F5 pressed in Chromium, the time until the Call Stack shows the file
// stopped at its `debugger` statement. First F5 of the window (as the
// e2e run's), then warm ones after Stop. For `npm run bench` and by hand:
// `node scripts/f5Floor.mjs` prints "VS Code node F5 to the stop: first N ms, warm N ms".

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeServerTools, packageExtension, startCodeServer } from './lib/codeServer.mjs';

const WARM_RUNS = 3;
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-f5-floor-'));
fs.writeFileSync(path.join(workspace, 'app.js'), 'const started = Date.now();\ndebugger;\nconsole.log(started);\n');
fs.mkdirSync(path.join(workspace, '.vscode'));
fs.writeFileSync(
  path.join(workspace, '.vscode', 'launch.json'),
  JSON.stringify({
    version: '0.2.0',
    configurations: [{ type: 'node', request: 'launch', name: 'app', program: '${workspaceFolder}/app.js' }],
  }),
);

const vscode = await startCodeServer({ tools: codeServerTools(), workspace, vsix: await packageExtension() });
let exitCode = 1;
try {
  const page = await vscode.open(vscode.url());
  await page.waitForTimeout(3000); // extensions activate
  // As in the end-to-end run: the file open in the editor, F5 once VS Code's TypeScript
  // server has analysed it and 5 s more.
  await page.keyboard.press('Control+P');
  await page.keyboard.type('app.js');
  await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.innerText.includes('started'), null, { timeout: 30_000 });
  await page
    .waitForFunction(() => !document.querySelector('.statusbar')?.textContent?.includes('Analyzing'), null, {
      timeout: 30_000,
    })
    .catch(() => undefined);
  await page.waitForTimeout(5000);
  const stopped = () =>
    page.waitForFunction(
      () => /app\.js\s*2:/.test(document.querySelector('.debug-call-stack')?.innerText ?? ''),
      null,
      { timeout: 30_000 },
    );
  const times = [];
  for (let run = 0; run <= WARM_RUNS; run++) {
    await page.locator('.monaco-workbench').click({ position: { x: 600, y: 300 } });
    const at = Date.now();
    await page.keyboard.press('F5');
    await stopped();
    times.push(Date.now() - at);
    await page.waitForTimeout(500);
    await page.keyboard.press('Shift+F5');
    await page.waitForFunction(
      () => !/app\.js\s*2:/.test(document.querySelector('.debug-call-stack')?.innerText ?? ''),
      null,
      { timeout: 15_000 },
    );
    await page.waitForTimeout(1000);
  }
  const warm = times.slice(1).sort((a, b) => a - b)[Math.floor(WARM_RUNS / 2)];
  console.log(`  VS Code node F5 to the stop: first ${times[0]} ms, warm ${warm} ms (${times.slice(1).join(', ')})`);
  exitCode = 0;
} catch (error) {
  console.error(String(error?.stack ?? error));
} finally {
  await vscode.close();
  fs.rmSync(workspace, { recursive: true, force: true });
}
process.exit(exitCode);
