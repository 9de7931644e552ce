// The state panel's real page and script in headless Chromium, with a stand-in for the
// VS Code webview API, fed engine events recorded from a real engine run: the timeline,
// module state with what changed highlighted, /tmp, pending work that ran later, the
// REPORT, text-only rendering of user values (XSS), keyboard use, buttons, state kept
// across a reload; screenshots in light and dark themes.

/// <reference lib="dom" />
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDirectory } from '../../src/provision/cache';
import { statePanelHtml } from '../../src/ui/webviewPages';
import type { EngineEvent } from '../../src/protocol/engineEvents';
import { codeRoot, fn, withEngine } from '../support/engine';
import { SCREENSHOTS, WebviewHarness, posted, waitUntil } from '../support/webviewHarness';

const HANDLER = `
const fs = require('fs');
let count = 0;
const client = { connectedAt: 'init', queries: 0 };
exports.handler = async () => {
  count++;
  client.queries++;
  fs.writeFileSync('/tmp/cache-' + count + '.json', JSON.stringify({ count }));
  globalThis.lastSeen = '<img src=x onerror="window.__xss = 1">';
  setTimeout(() => console.log('flushed'), 100);
  return { count };
};`;

describe('the state panel (webview) in Chromium', function () {
  this.timeout(120_000);
  let events: EngineEvent[] = [];
  let harness: WebviewHarness;

  before(async () => {
    // Record the engine events of three invocations of a real handler.
    const root = codeRoot({ 'app.js': HANDLER });
    await withEngine({ captureModuleState: true, prestart: false }, async ({ engine, events: recorded }) => {
      const pool = engine.pool(fn(root, 'app.handler', { name: 'PanelFunction' }));
      for (let i = 0; i < 3; i++) {
        // The last one came through an HTTP API route (serve): the panel says so.
        const trigger =
          i === 2
            ? {
                kind: 'http' as const,
                front: 'http' as const,
                method: 'GET',
                path: '/orders/o-1',
                routeKey: 'GET /orders/{id}',
              }
            : { kind: 'toolbar' as const };
        await pool.invoke('{"orderId": "o-1"}', { trigger });
        await new Promise((r) => setTimeout(r, 150)); // the timer's time passes while frozen: it runs at the next thaw
      }
      await new Promise((r) => setTimeout(r, 100));
      events = recorded.filter((e) => e.type !== 'log');
    });

    harness = await WebviewHarness.start(statePanelHtml, 'statePanel.js', 'statePanel.css');
  });

  after(async () => {
    await harness?.stop();
  });

  async function openPanel(theme: 'light' | 'dark' | 'high-contrast', recordedEvents = events) {
    const { page, errors } = await harness.open(theme);
    await page.evaluate((recorded: EngineEvent[]) => {
      window.postMessage(
        {
          type: 'session',
          fn: { functionName: 'PanelFunction', memorySizeMB: 128, ephemeralStorageMB: 512, timeoutSeconds: 3 },
        },
        '*',
      );
      for (const event of recorded) window.postMessage({ type: 'engine', event }, '*');
    }, recordedEvents);
    await waitUntil(page, () => document.body.innerText.includes('Invoke #3 (warm)'), 'the events rendered');
    return { page, errors };
  }

  it('renders the environment, its invocations, module state changes, /tmp and pending work from engine events', async () => {
    const { page, errors } = await openPanel('light');
    const text = await page.innerText('body');
    assert.match(text, /env 1 · warm · 3 invocations/);
    assert.match(text, /Init \(cold\) · \d+/);
    assert.match(text, /Invoke #1 \(cold\)[\s\S]*Invoke #2 \(warm\)[\s\S]*Invoke #3 \(warm\)/);
    // The last invocation is selected: count is 3, changed since invocation 2.
    const changed = await page.$$eval(
      '.tree li.changed > .name, .tree li.changed > details > summary .name',
      (nodes: Element[]) => nodes.map((n) => n.textContent),
    );
    assert.ok(changed.includes('count'), `changed: ${changed}`);
    assert.match(text, /count: 3 changed/);
    assert.match(text, /\/tmp\/cache-3\.json · 11 B added/);
    assert.match(text, /Trigger: GET \/orders\/o-1 \(HTTP API GET \/orders\/\{id\}\)/);
    assert.match(text, /\/tmp used: 33 B of 512.0 MB/);
    assert.match(text, /Max Memory Used\s*\d+ MB of 128 MB/);
    // Invocation 2's timer ran in invocation 3.
    await page.click('button:has-text("Invoke #2 (warm)")');
    assert.match(await page.innerText('#details'), /^setTimeout 100 ms · [^\n]*app\.js:10:3 · ran in invocation #3$/m);
    assert.match(await page.innerText('#details'), /count: 2 changed/);
    assert.match(await page.innerText('#details'), /Trigger: Toolbar/);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'state-panel-light.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("draws /tmp against the environment's own ephemeral storage, not the launch's", async () => {
    // The engine announces each environment with its number and the settings it runs with.
    const created = events.find((e) => e.type === 'environmentCreated');
    assert.ok(created?.type === 'environmentCreated');
    assert.equal(created.environmentNumber, 1);
    assert.equal(created.ephemeralStorageMB, 512);
    // A template's EphemeralStorage of 2 GB, which the launch configuration does not name.
    const larger = events.map((e) => (e.type === 'environmentCreated' ? { ...e, ephemeralStorageMB: 2048 } : e));
    const { page, errors } = await openPanel('light', larger);
    assert.match(await page.innerText('#details'), /\/tmp used: 33 B of 2048\.0 MB/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('renders user values as text: markup in a global runs nothing', async () => {
    const { page } = await openPanel('dark');
    assert.match(
      await page.innerText('#details'),
      /globalThis\.lastSeen: "<img src=x onerror=\\"window\.__xss = 1\\">"/,
    );
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.equal(await page.$$eval('#details img', (n: Element[]) => n.length), 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'state-panel-dark.png'), fullPage: true });
    await page.close();
  });

  it('follows a high contrast theme', async () => {
    const { page, errors } = await openPanel('high-contrast');
    const border = await page.evaluate(() => getComputedStyle(document.querySelector('#invoke-cold')!).borderTopColor);
    assert.equal(border, 'rgb(111, 195, 223)', 'buttons take the high contrast border');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'state-panel-high-contrast.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('works by keyboard, its buttons ask the extension, and it keeps its state across a reload', async () => {
    const { page } = await openPanel('light');
    // Tab to the first invocation in the timeline and choose it with Enter.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent ?? '')).startsWith('Invoke #1')) break;
    }
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('button:has-text("Invoke #1 (cold)")', 'aria-pressed'), 'true');
    assert.match(await page.innerText('#details h3'), /Invoke #1 \(cold\) in env 1 · success/);
    // Open the module state tree's node with the keyboard.
    await page.click('button:has-text("/tmp/cache-1.json")');
    await page.click('#invoke');
    await page.click('#invoke-cold');
    await page.click('#shutdown');
    assert.deepEqual((await posted(page)).slice(1), [
      { type: 'openTmpFile', environmentId: 'env-1', path: '/tmp/cache-1.json' },
      { type: 'invoke', cold: false },
      { type: 'invoke', cold: true },
      { type: 'shutdown', environmentId: 'env-1' },
    ]);
    await page.reload();
    await waitUntil(page, () => document.body.innerText.includes('Invoke #3 (warm)'), 'the state restored');
    assert.match(await page.innerText('body'), /env 1 · warm · 3 invocations/);
    await page.close();
  });
  it('shows the lifecycle entry a Call Stack frame stands for: the invocation selected, the entry marked and focused', async () => {
    const { page, errors } = await openPanel('dark');
    // Invoke #1 (cold) is the environment's second entry (after Init).
    await page.evaluate(() => window.postMessage({ type: 'reveal', environmentId: 'env-1', entry: 1 }, '*'));
    await waitUntil(
      page,
      () => document.activeElement?.textContent?.startsWith('Invoke #1 (cold)') ?? false,
      'Invoke #1 focused',
    );
    assert.equal(await page.getAttribute('button:has-text("Invoke #1 (cold)")', 'aria-pressed'), 'true');
    assert.match(await page.innerText('#details h3'), /Invoke #1 \(cold\) in env 1 · success/);
    assert.match((await page.getAttribute('li[aria-current="step"]', 'class')) ?? '', /invoke/);
    // Init: marked and focused; the selected invocation stays.
    await page.evaluate(() => window.postMessage({ type: 'reveal', environmentId: 'env-1', entry: 0 }, '*'));
    await waitUntil(
      page,
      () => document.activeElement?.textContent?.startsWith('Init (cold)') ?? false,
      'Init focused',
    );
    assert.match((await page.getAttribute('li[aria-current="step"]', 'class')) ?? '', /init/);
    assert.equal(await page.locator('li[aria-current="step"]').count(), 1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'state-panel-revealed-init.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('shows a JSON-format log readably: each record as its level and message, the record foldable', async () => {
    const root = codeRoot({
      'app.js': `exports.handler = async () => { console.warn('stock low', { sku: 'a-1' }); return 1; };`,
    });
    const recorded = await withEngine({ prestart: false }, async ({ engine, events: all }) => {
      const pool = engine.pool(fn(root, 'app.handler', { name: 'PanelFunction', logging: { format: 'JSON' } }));
      for (let i = 0; i < 3; i++) await pool.invoke('{}');
      return all.filter((e) => e.type !== 'log');
    });
    const { page, errors } = await openPanel('light', recorded);
    const summaries = await page.$$eval('#details .log-record > summary', (n: Element[]) =>
      n.map((e) => e.textContent ?? ''),
    );
    assert.ok(summaries.includes("WARN  stock low { sku: 'a-1' }"), `summaries: ${summaries.join(' | ')}`);
    assert.ok(summaries.some((s: string) => /^platform\.report \S+ success$/.test(s)));
    // Folded until opened; the whole record beneath.
    const record = page.locator('#details .log-record', { hasText: 'stock low' });
    assert.equal(await record.evaluate((d: HTMLDetailsElement) => d.open), false);
    await record.locator('summary').click();
    assert.match(await record.locator('pre').innerText(), /"level": "WARN",\n\s+"requestId": "[0-9a-f-]{36}"/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('draws Init in three segments with their durations, and Function init as a tree by cost that a CodeLens opens at an entry', async () => {
    const spin = (ms: number) => `{ const until = performance.now() + ${ms}; while (performance.now() < until); }`;
    const layer = codeRoot(
      {
        'extensions/quick': `#!/usr/bin/env node
const http = require('http');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const call = (method, path, headers, body) => new Promise((resolve) => {
  const req = http.request('http://' + api + path, { method, headers }, (res) => {
    let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => resolve({ headers: res.headers, body: data }));
  });
  req.end(body);
});
setTimeout(async () => {
  const reg = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'quick' }, JSON.stringify({ events: ['SHUTDOWN'] }));
  const id = reg.headers['lambda-extension-identifier'];
  for (;;) {
    const event = JSON.parse((await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': id })).body);
    if (event.eventType === 'SHUTDOWN') process.exit(0);
  }
}, 150);
`,
      },
      ['extensions/quick'],
    );
    const root = codeRoot({
      'app.js': [
        "const light = require('./light');",
        "const heavy = require('heavy');",
        spin(20),
        'exports.handler = async () => light + heavy;',
      ].join('\n'),
      'light.js': [spin(5), 'module.exports = 1;'].join('\n'),
      'node_modules/heavy/package.json': JSON.stringify({ name: 'heavy', main: 'index.js' }),
      'node_modules/heavy/index.js': [
        ...Array.from({ length: 24 }, (_, i) => `require('./part${i}');`),
        'module.exports = 2;',
      ].join('\n'),
      ...Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`node_modules/heavy/part${i}.js`, spin(4)])),
    });
    const recorded = await withEngine({ prestart: false, initProfile: true }, async ({ engine, events: all }) => {
      const pool = engine.pool(fn(root, 'app.handler', { name: 'PanelFunction', layers: [layer] }));
      await pool.invoke('{}');
      await pool.invoke('{}');
      await pool.invoke('{}');
      return all.filter((e) => e.type !== 'log');
    });
    const { page, errors } = await openPanel('dark', recorded);
    // The last invocation is warm: no Init. The CodeLens over require('heavy') opens the cold one's tree there.
    assert.doesNotMatch(await page.innerText('#details'), /Function init by import/);
    const initEnd = recorded.find((e) => e.type === 'phaseEnded' && e.phase === 'init');
    const profile = initEnd?.type === 'phaseEnded' ? initEnd.initProfile! : [];
    const heavyIndex = profile.findIndex((entry) => entry.specifier === 'heavy');
    await page.evaluate(
      (index: number) => window.postMessage({ type: 'revealInit', environmentId: 'env-1', index }, '*'),
      heavyIndex,
    );
    await waitUntil(page, () => document.body.innerText.includes('Function init by import'), 'the Init tree');
    const details = await page.innerText('#details');
    assert.match(details, /Invoke #1 \(cold\)/);
    assert.match(details, /Extension init \d+(\.\d+)? ms\s*Runtime init \d+(\.\d+)? ms\s*Function init \d+(\.\d+)? ms/);
    const widths = await page.$$eval('.init-segment', (n: Element[]) => n.map((e) => (e as HTMLElement).style.width));
    assert.equal(widths.length, 3);
    // Heaviest first: the package (its 24 files folded into its entry point) before ./light.
    const names = await page.$$eval('.profile[role="tree"] > li > details > ul > li .name', (n: Element[]) =>
      n.map((e) => e.textContent),
    );
    assert.deepEqual(names.slice(0, 2), ['heavy', './light']);
    assert.match(
      details,
      /heavy \d+ ms \(own \d+(\.\d+)? ms · 24 more files inside\) \/var\/task\/node_modules\/heavy\/index\.js/,
    );
    assert.match(details, /25 files of heavy loaded one by one: bundling/);
    const revealed = await page.$eval('.profile [aria-selected="true"] .name', (n: Element) => n.textContent);
    assert.equal(revealed, 'heavy');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'state-panel-init-profile.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe('the state panel (webview): what was fetched before an Init', function () {
  this.timeout(300_000);

  it("says apart, next to the Init it preceded, the runtime's AWS SDK this machine installed first", async () => {
    // A real engine with a fresh per-user cache (its Node binaries linked from the real one):
    // the first cold start installs @smithy/types from the npm registry for the runtime.
    const real = cacheDirectory();
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-cache-'));
    if (fs.existsSync(path.join(real, 'node'))) fs.symlinkSync(path.join(real, 'node'), path.join(cache, 'node'));
    const root = codeRoot({
      'app.js': "const types = require('@smithy/types');\nexports.handler = async () => typeof types;",
    });
    const saved = process.env.LLD_CACHE_DIR;
    process.env.LLD_CACHE_DIR = cache;
    let recorded: EngineEvent[];
    try {
      recorded = await withEngine({ prestart: false, initProfile: true }, async ({ engine, events: all }) => {
        const pool = engine.pool(fn(root, 'app.handler', { name: 'PanelFunction' }));
        for (let i = 0; i < 3; i++) await pool.invoke('{}');
        return all.filter((e) => e.type !== 'log');
      });
    } finally {
      if (saved === undefined) delete process.env.LLD_CACHE_DIR;
      else process.env.LLD_CACHE_DIR = saved;
      fs.rmSync(cache, { recursive: true, force: true });
    }
    const harness = await WebviewHarness.start(statePanelHtml, 'statePanel.js', 'statePanel.css');
    try {
      const { page, errors } = await harness.open('light');
      await page.evaluate((events: EngineEvent[]) => {
        window.postMessage(
          {
            type: 'session',
            fn: { functionName: 'PanelFunction', memorySizeMB: 128, ephemeralStorageMB: 512, timeoutSeconds: 3 },
          },
          '*',
        );
        for (const event of events) window.postMessage({ type: 'engine', event }, '*');
        window.postMessage({ type: 'revealInit', environmentId: 'env-1', index: 0 }, '*');
      }, recorded);
      await waitUntil(page, () => document.body.innerText.includes('Before it, ours'), 'the fetch said');
      const details = await page.innerText('#details');
      assert.match(details, /Invoke #1 \(cold\)/);
      assert.match(details, /Before it, ours: fetching the runtime's AWS SDK \(@smithy\/types\) \d+ ms/);
      // Apart from the Init: the bar's three parts add up to the Init Duration, the fetch is in none.
      assert.match(
        details,
        /Extension init \d+(\.\d+)? ms\s*Runtime init \d+(\.\d+)? ms\s*Function init \d+(\.\d+)? ms/,
      );
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'state-panel-init-fetched.png'), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      await harness.stop();
    }
  });
});
