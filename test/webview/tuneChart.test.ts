// The memory tuning chart's real page and script (Chart.js bundled) in headless Chromium
// under the page's strict CSP: both charts drawn, the figures in the table, the
// recommendation, Apply by keyboard to the local settings or the template, the light and
// dark themes (screenshots in out/).

/// <reference lib="dom" />
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tuneChartHtml } from '../../src/ui/webviewPages';
import type { TuneChartShow } from '../../src/protocol/webviewProtocol';
import type { SizeResult } from '../../src/protocol/tuning';
import { SCREENSHOTS, WebviewHarness, posted, waitUntil } from '../support/webviewHarness';

const size = (memorySizeMB: number, warm: number, cost: number, ok = true): SizeResult => ({
  type: 'size',
  memorySizeMB,
  ok,
  errorType: ok ? null : 'Runtime.ExitError',
  coldInitDurationMs: 900 / Math.sqrt(memorySizeMB / 128),
  coldDurationMs: warm * 1.6,
  warmP50Ms: ok ? warm : null,
  warmP90Ms: ok ? warm * 1.2 : null,
  billedDurationMs: Math.ceil(warm),
  maxMemoryUsedMB: 61,
  costPerMillionUsd: ok ? cost : null,
  sandbox: 'namespaces+cgroup',
  cpu: { vcpus: memorySizeMB / 1769, enforcedBy: 'cgroup' },
});

const SHOW: TuneChartShow = {
  type: 'show',
  targets: [
    { id: 'local', label: 'Local settings (.vscode/launch.json)' },
    { id: 'template', label: 'template.yaml (MemorySize of OrdersFunction)' },
  ],
  sizes: [
    size(128, 1380, 3.07),
    size(512, 350, 3.12),
    size(1024, 178, 3.17),
    size(1769, 101, 3.11),
    size(3008, 99, 5.05),
  ],
  summary: {
    type: 'summary',
    functionName: 'OrdersFunction',
    region: 'us-east-1',
    pricedAs: 'us-east-1',
    architecture: 'x86_64',
    pricesTaken: '2025 (aws.amazon.com/lambda/pricing, us-east-1, first tier)',
    warmInvocations: 10,
    cancelled: false,
    cheapestMB: 128,
    fastestMB: 1769,
    balancedMB: 1769,
  },
};

describe('the memory tuning chart (webview) in Chromium', function () {
  this.timeout(60_000);
  let harness: WebviewHarness;
  before(async () => {
    harness = await WebviewHarness.start(tuneChartHtml, 'tuneChart.js', 'statePanel.css');
  });
  after(async () => harness?.stop());

  for (const theme of ['light', 'dark'] as const) {
    it(`draws duration and cost against memory, lists the figures and applies a choice (${theme})`, async () => {
      const { page, errors } = await harness.open(theme, { width: 900, height: 1100 });
      await page.evaluate((show: unknown) => window.postMessage(show, '*'), SHOW);
      await waitUntil(
        page,
        () => document.getElementById('title')?.textContent === 'Memory tuning: OrdersFunction',
        'the results shown',
      );
      assert.match(await page.innerText('#recommendation'), /Balanced 1769 MB · cheapest 128 MB · fastest 1769 MB/);
      assert.equal(await page.locator('#sizes tbody tr').count(), 5);
      assert.match(await page.innerText('#sizes tbody tr:nth-child(1)'), /128\s+900\.0\s+2208\.0\s+1380\.0/);
      // Chart.js drew on both canvases (some pixels are not transparent).
      for (const id of ['duration-chart', 'cost-chart']) {
        const painted = await page.evaluate((canvasId: string) => {
          const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
          const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          let count = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++;
          return count;
        }, id);
        assert.ok(painted > 1000, `${id}: ${painted} painted pixels`);
      }
      // Apply by keyboard: to the local settings first, then, chosen, into the template.
      assert.equal(await page.isChecked('#apply-to-local'), true);
      assert.equal(
        await page.innerText('label[for="apply-to-template"]'),
        'template.yaml (MemorySize of OrdersFunction)',
      );
      await page.focus('#apply-cheapest');
      await page.keyboard.press('Enter');
      await page.focus('#apply-to-local');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.isChecked('#apply-to-template'), true);
      await page.focus('#apply-balanced');
      await page.keyboard.press('Enter');
      const sent = (await posted(page)).filter((m) => (m as { type: string }).type === 'apply');
      assert.deepEqual(sent, [
        { type: 'apply', memorySizeMB: 128, target: 'local' },
        { type: 'apply', memorySizeMB: 1769, target: 'template' },
      ]);
      await page.evaluate(() =>
        window.postMessage(
          {
            type: 'applied',
            note: 'MemorySize 1769 written to template.yaml (function OrdersFunction; the rest of the file as it was).',
          },
          '*',
        ),
      );
      await waitUntil(page, () => !!document.getElementById('status')?.textContent, 'the applied note');
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `tune-chart-${theme}.png`), fullPage: true });
      assert.deepEqual(errors, [], 'no CSP violation or script error');
    });
  }
});
