// End to end, as a person would: the packaged extension (.vsix) installed in code-server,
// the examples/ workspace open in Chromium; open the Orders handler, set a breakpoint,
// press F5 with no launch.json and pick the function, stop on the module's first line
// (Init), continue to the handler's first line (Invoke) and the breakpoint in the
// handler, then Invoke again from the debug toolbar and see the warm state; Stop ends
// every environment. Screenshots go to out/screenshots/e2e-*.png.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeServerTools, packageExtension, projectRoot as root, startCodeServer } from './lib/codeServer.mjs';
import { processesWithVariable } from './lib/processes.mjs';
import { waitFor } from './lib/waitFor.mjs';

const screenshots = path.join(root, 'out', 'screenshots');
fs.mkdirSync(screenshots, { recursive: true });
const tools = codeServerTools();
const vsix = await packageExtension();

const ordersProcesses = () => processesWithVariable('AWS_LAMBDA_FUNCTION_NAME', 'OrdersFunction');

// The Configuration view saves local settings in examples/.vscode/launch.json: removed afterwards.
const localSettings = path.join(root, 'examples', '.vscode');
const hadLocalSettings = fs.existsSync(localSettings);
const vscode = await startCodeServer({ tools, workspace: path.join(root, 'examples'), vsix });
let page;
let step = 0;
const shot = async (name) => {
  const file = path.join(screenshots, `e2e-${String(++step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  console.log(`  screenshot ${path.relative(root, file)}`);
};
/** Waits until the workbench shows `text` somewhere (Call Stack, editor tabs, Debug Console). */
const waitForText = (text, timeout = 60_000) =>
  page.waitForFunction((t) => document.body.innerText.includes(t), text, { timeout });
const callStack = () => page.locator('.debug-call-stack').innerText();
/** The first frame of the page (webviews are frames) where `test` holds, within 20 s; else null. */
const frameWhere = (test) =>
  waitFor(
    async () => {
      for (const frame of page.frames()) if (await test(frame).catch(() => false)) return frame;
      return null;
    },
    { timeoutMs: 20_000, intervalMs: 200 },
  ).catch(() => null);
const check = (condition, message) => {
  if (!condition) throw new Error(message);
  console.log(`  ✔ ${message}`);
};

let exitCode = 1;
try {
  page = await vscode.open(vscode.url());
  await page.waitForTimeout(3000); // extensions activate
  await shot('workbench');

  // Open the handler and put a breakpoint on the handler's first line (27).
  await page.keyboard.press('Control+P');
  await page.keyboard.type('orders/app.js');
  await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 30_000 });
  await page.keyboard.press('Enter');
  await waitForText('DatabaseClient');
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
  await page.keyboard.type('37');
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await page.keyboard.press('F9');
  await shot('breakpoint-in-handler');

  // As a developer would, F5 comes a few seconds after opening the file: VS Code's TypeScript
  // server has analysed it by then (it takes a core for seconds after a file first opens).
  await page
    .waitForFunction(() => !document.querySelector('.statusbar')?.textContent?.includes('Analyzing'), null, {
      timeout: 30_000,
    })
    .catch(() => undefined);
  await page.waitForTimeout(5000);

  // (The Debug Console is closed until the session's first stop.)
  const replShown = () => (document.querySelector('.repl')?.getBoundingClientRect().height ?? 0) > 0;
  check(!(await page.evaluate(replShown)), 'the Debug Console is closed before F5');

  // F5 with no launch.json: pick the Lambda debugger if asked, then the function.
  await page.keyboard.press('F5');
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 30_000 });
  if ((await quickInput.innerText()).includes('AWS Lambda (Lifecycle Debugger)')) {
    await shot('select-debugger');
    await page.keyboard.type('AWS Lambda');
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('.quick-input-widget')?.innerText.includes('OrdersFunction'),
      null,
      { timeout: 30_000 },
    );
  }
  await shot('pick-function');
  await page.keyboard.type('OrdersFunction');
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');

  // F5 lands on the module's first statement (Init, app.js line 7): no file of ours.
  const f5At = Date.now();
  if (process.env.E2E_TRACE)
    for (let i = 0; i < 20; i++) {
      await page.waitForTimeout(500);
      console.log(`  [${Date.now() - f5At} ms] ${(await callStack()).replace(/\n/g, ' | ')}`);
    }
  await page.waitForFunction(
    () => /app\.js\s*7:/.test(document.querySelector('.debug-call-stack')?.innerText ?? ''),
    null,
    { timeout: 30_000 },
  );
  console.log(`  F5 (function picked) to the Init stop: ${Date.now() - f5At} ms`);
  // The Debug Console opens after the stop, not on the way to it (src/ui/debugConsole.ts),
  // and leaves the focus in the editor.
  console.log(`  the Debug Console at the stop: ${(await page.evaluate(replShown)) ? 'shown' : 'not yet shown'}`);
  const consoleOpened = await page.waitForFunction(replShown, null, { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  check(consoleOpened, 'the Debug Console opens after the Init stop');
  check(
    await page.evaluate(() => !!document.activeElement?.closest('.monaco-editor')),
    'the focus stays in the editor',
  );
  await page.waitForTimeout(1000);
  await shot('stopped-on-init');
  const initStack = await callStack();
  check(/app\.js\s*7:/.test(initStack), "F5 stops on the module's first line (Init, app.js line 7)");
  check(!/phases|bootstrap|Unknown Source/.test(initStack), `no runtime file in the Call Stack: ${initStack}`);
  check(/Paused on Init \(cold\)/i.test(initStack), 'the stop is named after its phase: Paused on Init (cold)');

  // Continue (one key): the Invoke stop on the handler's first line, then the breakpoint.
  await page.keyboard.press('F5');
  await page.waitForFunction(
    () => /app\.js\s*27:/.test(document.querySelector('.debug-call-stack')?.innerText ?? ''),
    null,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(500);
  await shot('stopped-on-invoke');
  const invokeStack = await callStack();
  check(/app\.js\s*27:/.test(invokeStack), "Invoke stops on the handler's first line (app.js line 27)");
  check(/Paused on Invoke #1 \(cold\)/i.test(invokeStack), 'named Paused on Invoke #1 (cold)');
  await page.keyboard.press('F5');
  await page.waitForFunction(
    () => /app\.js\s*37:/.test(document.querySelector('.debug-call-stack')?.innerText ?? ''),
    null,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(500);
  await shot('breakpoint-hit-in-handler');
  check(
    /app\.js\s*37:/.test(await callStack()),
    'the line breakpoint in the handler hits on the first, cold invocation',
  );
  await page.keyboard.press('F5');
  await waitForText('Init Duration');
  await page.waitForTimeout(500);
  await shot('first-invocation-report');

  // Invoke again from the debug toolbar: warm, the same environment, the cache is hit.
  await page.locator('.debug-toolbar [aria-label="Invoke"]').click();
  await page.waitForFunction(
    () => /app\.js\s*27:/.test(document.querySelector('.debug-call-stack')?.innerText ?? ''),
    null,
    { timeout: 30_000 },
  );
  await page.waitForFunction(
    () => (document.querySelector('.debug-call-stack')?.innerText ?? '').includes('Invoke #2 (warm)'),
    null,
    { timeout: 30_000 },
  );
  await shot('warm-invoke-stopped');
  const lifecycle = await callStack();
  check(!/Remote Process|Unknown Source|\[worker/.test(lifecycle), `one row per environment: ${lifecycle}`);
  check(/env 1 · warm · 2 invocations/.test(lifecycle), 'the environment is named as the panel names it');
  const lambdaScopes = [
    'Lambda: Event',
    'Lambda: Context',
    'Lambda: Module state',
    'Lambda: /tmp',
    'Lambda: Last REPORT',
  ];
  // (The view fills in after the Call Stack: its scopes come from two debuggers.)
  await page
    .waitForFunction(
      (names) => names.every((n) => document.querySelector('.debug-variables')?.innerText.includes(n)),
      lambdaScopes,
      { timeout: 10_000 },
    )
    .catch(() => undefined); // checked below
  const variables = await page.locator('.debug-variables').innerText();
  check(
    lambdaScopes.every((s) => variables.includes(s)) && variables.indexOf('Local') < variables.indexOf('Lambda: Event'),
    'the Variables view shows the Lambda scopes after the JavaScript scopes',
  );
  check(
    lifecycle.includes('Invoke #2 (warm)') &&
      lifecycle.includes('Invoke #1 (cold)') &&
      /Init \(cold, \d+ ms\)/.test(lifecycle),
    "the environment's thread shows its lifecycle as frames: Invoke #2 (warm), Invoke #1 (cold), Init (cold, N ms)",
  );
  await page.keyboard.press('F5');
  await page.waitForFunction(
    () => /app\.js\s*37:/.test(document.querySelector('.debug-call-stack')?.innerText ?? ''),
    null,
    { timeout: 30_000 },
  );
  await page.keyboard.press('F5');
  await waitForText('invocation 2, cache hit');
  await page.waitForTimeout(500);
  await shot('warm-invocation-output');
  const replText = await page.locator('.repl').innerText();
  check(
    replText.includes('invocation 2, cache hit'),
    'the warm invocation reuses module state and /tmp (invocation 2, cache hit)',
  );
  check(
    // (The console scrolls: earlier lines may be out of view, never shown twice.)
    replText.split('invocation 2, cache hit').length === 2 && replText.split('connected to orders-dev').length <= 2,
    'each console line appears once in the Debug Console',
  );

  // Invoke with an event picked from the workspace.
  await page.locator('.debug-toolbar [aria-label="Invoke with Event…"]').click();
  await page.locator('.quick-input-widget').waitFor({ state: 'visible' });
  await page.keyboard.type('greet.json');
  await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 30_000 });
  await page.keyboard.press('Enter');
  // The Invoke stop (Invoke #3 on the handler's first line), then the breakpoint in the handler.
  for (const stop of ['Invoke #3 (warm)', 'app.js\n37:']) {
    await page.waitForFunction(
      (text) =>
        /PAUSED/i.test(document.querySelector('.debug-call-stack')?.innerText ?? '') &&
        (document.querySelector('.debug-call-stack')?.innerText ?? '').includes(text),
      stop,
      { timeout: 30_000 },
    );
    await page.keyboard.press('F5');
  }
  await waitForText('invocation 3, cache hit');
  await shot('invoke-with-event');
  check(true, 'Invoke with Event… runs the picked event (invocation 3)');

  // The state panel: what the environment carries after three invocations.
  await page.locator('.debug-toolbar [aria-label="Show State"]').click();
  const panel = await frameWhere(async (frame) =>
    (await frame.evaluate(() => document.body?.innerText ?? '')).includes('Invoke #3 (warm)'),
  );
  check(panel !== null, 'the state panel opens from the toolbar and shows the environment with its three invocations');
  const panelText = await panel.evaluate(() => document.body.innerText);
  await shot('state-panel');
  check(/invocations: 3 changed/.test(panelText), 'the panel shows the module counter grown to 3, marked changed');
  check(panelText.includes('/tmp/orders-cache.json'), 'the panel lists the file the function keeps in /tmp');
  check(/setTimeout 100 ms/.test(panelText), 'the panel lists the timer left pending');

  // The Lambda sidebar: the template's functions, and the running environment under Orders.
  await page.locator('.activitybar [aria-label="Lambda"]').first().click();
  await waitForText('GreeterFunction');
  await page.waitForFunction(
    () =>
      /env 1\s*warm · 3 invocations/.test(
        document.querySelector('[id="workbench.view.extension.lambdaLifecycle"]')?.innerText ?? document.body.innerText,
      ),
    null,
    { timeout: 30_000 },
  );
  await shot('functions-view');
  check(true, 'the Functions view lists the functions and shows env 1 · warm · 3 invocations under OrdersFunction');

  // Change the memory in the Configuration view: the next invocation is cold, with the new size.
  await page.locator('.monaco-list-row', { hasText: 'OrdersFunction' }).first().click();
  const form = await frameWhere((frame) =>
    frame.evaluate(() => document.getElementById('function-name')?.textContent === 'OrdersFunction'),
  );
  check(form !== null, 'selecting OrdersFunction shows its settings in the Configuration view');
  await form.fill('#memorySize', '512');
  await form.click('#apply');
  await waitFor(
    async () =>
      (await form.evaluate(() => document.getElementById('status')?.textContent ?? '')).includes(
        'next invocation is cold',
      ),
    { timeoutMs: 20_000, intervalMs: 200 },
  ).catch(() => undefined); // checked below
  await shot('configuration-changed');
  const { cpuNote, memory, status } = await form.evaluate(() => ({
    cpuNote: document.getElementById('cpu-note').textContent,
    memory: document.getElementById('memorySize').value,
    status: document.getElementById('status').textContent,
  }));
  const cpuNoteRight = /^CPU share enforced: 0\.29 vCPU by (a cgroup CPU quota|duty-cycling)/.test(cpuNote);
  check(
    cpuNoteRight,
    'the view says the CPU share of 512 MB is enforced, and by what' +
      (cpuNoteRight ? '' : ` (it says "${cpuNote}"; memory field ${memory}; status "${status}")`),
  );
  await form.locator('#memorySize').scrollIntoViewIfNeeded();
  await shot('configuration-cpu-share');
  check(
    (await form.evaluate(() => document.getElementById('status').textContent)).includes('next invocation is cold'),
    'the view says the running session retired its warm environments',
  );
  await page.locator('.debug-toolbar [aria-label="Invoke"]').click();
  for (let i = 0; i < 6; i++) {
    // Through the stops of a cold start: Init, Invoke, the breakpoint.
    if ((await page.locator('.repl').innerText()).includes('Memory Size: 512 MB')) break;
    await page
      .waitForFunction(() => /PAUSED/i.test(document.querySelector('.debug-call-stack')?.innerText ?? ''), null, {
        timeout: 30_000,
      })
      .catch(() => undefined);
    await page.keyboard.press('F5');
    await page.waitForTimeout(700);
  }
  await waitForText('Memory Size: 512 MB');
  const repl = await page.locator('.repl').innerText();
  check(
    /Memory Size: 512 MB\s+Max Memory Used: \d+ MB\s+Init Duration/.test(repl),
    'the next invocation is cold, with 512 MB in its REPORT',
  );
  await shot('cold-after-configuration-change');

  // Stop: every environment ends.
  check(ordersProcesses().length >= 1, 'an environment process runs while the session is alive');
  await page.keyboard.press('Shift+F5');
  await waitFor(() => ordersProcesses().length === 0, { timeoutMs: 15_000, intervalMs: 100 }).catch(() => undefined);
  await shot('stopped');
  check(ordersProcesses().length === 0, 'Stop ends every environment process');
  exitCode = 0;
} catch (error) {
  console.error(String(error?.stack ?? error));
  if (page) await shot('failure').catch(() => undefined);
} finally {
  await vscode.close();
  if (!hadLocalSettings) fs.rmSync(localSettings, { recursive: true, force: true });
}
process.exit(exitCode);
