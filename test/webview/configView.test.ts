// The Configuration view's real page and script in headless Chromium: the selected
// function's values, its vCPU share, the variables table (add, edit, remove, reveal a
// masked value) by keyboard, Apply sending the values, problems shown by field.

/// <reference lib="dom" />
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configViewHtml } from '../../src/ui/webviewPages';
import type { ConfigViewShow } from '../../src/protocol/webviewProtocol';
import { SCREENSHOTS, WebviewHarness, posted, waitUntil } from '../support/webviewHarness';

const SHOW: ConfigViewShow = {
  type: 'show',
  name: 'OrdersFunction',
  sourceNote: 'From template.yaml.',
  canWriteTemplate: true,
  runtimes: ['nodejs22.x', 'nodejs20.x'],
  settings: {
    memorySize: 256,
    timeout: 10,
    ephemeralStorage: 512,
    runtime: 'nodejs20.x',
    environment: { TABLE_NAME: 'orders-dev', SECRET: 'hunter2' },
  },
  cpu: { mode: 'share', mechanism: 'cgroup', cores: 2 },
};

describe('the Configuration view (webview) in Chromium', function () {
  this.timeout(60_000);
  let harness: WebviewHarness;
  before(async () => {
    harness = await WebviewHarness.start(configViewHtml, 'configView.js', 'statePanel.css');
  });
  after(async () => harness?.stop());

  it('shows the function, edits variables by keyboard, applies, and shows problems by field', async () => {
    const { page, errors } = await harness.open('dark', { width: 420, height: 900 });
    await page.evaluate((show: unknown) => window.postMessage(show, '*'), SHOW);
    await waitUntil(
      page,
      () => document.getElementById('function-name')?.textContent === 'OrdersFunction',
      'the function shown',
    );
    assert.equal(await page.inputValue('#memorySize'), '256');
    assert.match(await page.innerText('#memorySize-note'), /≈ 0\.14 vCPU/);
    assert.equal(await page.innerText('#cpu-note'), 'CPU share enforced: 0.14 vCPU by a cgroup CPU quota.');
    await page.fill('#memorySize', '1769');
    assert.match(await page.innerText('#memorySize-note'), /≈ 1 vCPU/);
    // Values are masked until revealed.
    assert.equal(await page.getAttribute('tbody tr:nth-child(2) .var-value', 'type'), 'password');
    await page.click('tbody tr:nth-child(2) .reveal');
    assert.equal(await page.getAttribute('tbody tr:nth-child(2) .var-value', 'type'), 'text');
    // Add a variable with the keyboard: the new row's name field gets the focus.
    await page.focus('#add-variable');
    await page.keyboard.press('Enter');
    await page.keyboard.type('STAGE');
    await page.keyboard.press('Tab');
    await page.keyboard.type('dev');
    // Remove TABLE_NAME.
    await page.click('tbody tr:nth-child(1) .remove');
    // LoggingConfig: the levels apply to the JSON format only.
    assert.equal(await page.inputValue('#logFormat'), 'Text');
    assert.equal(await page.isDisabled('#applicationLogLevel'), true);
    await page.selectOption('#logFormat', 'JSON');
    assert.equal(await page.isDisabled('#applicationLogLevel'), false);
    await page.selectOption('#applicationLogLevel', 'DEBUG');
    assert.match(await page.innerText('#environment-note'), /^\d+ of 4096 bytes used$/);
    await page.click('#apply');
    const sent = (await posted(page)).filter((m) => (m as { type: string }).type === 'apply');
    assert.deepEqual(sent, [
      {
        type: 'apply',
        settings: {
          memorySize: 1769,
          timeout: 10,
          ephemeralStorage: 512,
          runtime: 'nodejs20.x',
          environment: { SECRET: 'hunter2', STAGE: 'dev' },
          logFormat: 'JSON',
          applicationLogLevel: 'DEBUG',
          systemLogLevel: 'INFO',
        },
      },
    ]);
    // The extension answers with Lambda's problems, shown by field.
    await page.evaluate(() =>
      window.postMessage(
        {
          type: 'problems',
          problems: {
            memorySize: 'Must be a whole number from 128 to 10240 MB.',
            'environment.AWS_REGION': 'AWS_REGION is reserved.',
          },
        },
        '*',
      ),
    );
    await waitUntil(page, () => !!document.getElementById('memorySize-problem')?.textContent, 'the problems shown');
    assert.equal(await page.innerText('#memorySize-problem'), 'Must be a whole number from 128 to 10240 MB.');
    assert.equal(await page.getAttribute('#memorySize', 'aria-invalid'), 'true');
    assert.equal(await page.innerText('#environment-problem'), 'AWS_REGION is reserved.');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'configuration-view-dark.png'), fullPage: true });
    await page.evaluate(() => window.postMessage({ type: 'saved', note: 'Saved as local settings.' }, '*'));
    await waitUntil(
      page,
      () => document.getElementById('status')?.textContent === 'Saved as local settings.',
      'the saved note',
    );
    assert.equal(await page.innerText('#memorySize-problem'), '');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('says whether the CPU share is enforced, and by what, as the memory and the setting change', async () => {
    const { page, errors } = await harness.open('light', { width: 420, height: 900 });
    const note = () => page.innerText('#cpu-note');
    const cpu = (machine: unknown) =>
      page.evaluate((m: unknown) => window.postMessage({ type: 'cpu', cpu: m }, '*'), machine);
    await page.evaluate((show: unknown) => window.postMessage(show, '*'), {
      ...SHOW,
      cpu: { mode: 'share', mechanism: 'dutyCycle', cores: 2 },
    });
    await waitUntil(page, () => !!document.getElementById('cpu-note')?.textContent, 'the CPU note');
    assert.equal(
      await note(),
      "CPU share enforced: 0.14 vCPU by duty-cycling the environment's processes (stop and continue).",
    );
    // A full core or more: the duty cycle leaves it alone; a cgroup quota holds it, capped by the cores.
    await page.fill('#memorySize', '3008');
    assert.equal(
      await note(),
      'CPU share not enforced: 1.7 vCPU is a full core or more, which duty-cycling leaves unlimited.',
    );
    await cpu({ mode: 'share', mechanism: 'cgroup', cores: 2 });
    await page.fill('#memorySize', '10240');
    assert.equal(await note(), "CPU share enforced: 2 vCPU (capped at this machine's 2 cores) by a cgroup CPU quota.");
    // lambdaLifecycle.cpu set to "full".
    await cpu({ mode: 'full', mechanism: 'cgroup', cores: 2 });
    await waitUntil(page, () => /off/.test(document.getElementById('cpu-note')?.textContent ?? ''), 'the share off');
    assert.equal(
      await note(),
      'CPU share off: lambdaLifecycle.cpu is "full", so environments run at the machine\'s full speed and Duration does not follow memory.',
    );
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'configuration-view-cpu-full-light.png') });
    await cpu({ mode: 'share', mechanism: 'none', cores: 8 });
    await waitUntil(
      page,
      () => /not enforced on/.test(document.getElementById('cpu-note')?.textContent ?? ''),
      'Windows',
    );
    assert.equal(await note(), 'CPU share not enforced on this machine (no cgroup, and no duty-cycling on Windows).');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
