// Webview pages in headless Chromium for tests: serves a page built by src/ui (with its
// strict CSP), its script as bundled in dist/webviews/ (`node esbuild.mjs` first) and its
// style from media/, opens it with a stand-in for the VS Code webview API (messages
// posted are recorded, state survives a reload) and VS Code-like theme variables.

/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { PanelPage } from '../../src/ui/webviewPages';
import { waitFor } from './waitFor';

const ROOT = path.resolve(__dirname, '..', '..');
export const SCREENSHOTS = path.join(ROOT, 'out', 'screenshots');

/** Theme variables as VS Code gives them to a webview (a few, enough to see the theme). */
export const THEMES: Record<string, Record<string, string>> = {
  light: {
    '--vscode-foreground': '#3b3b3b',
    '--vscode-editor-background': '#ffffff',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-list-activeSelectionBackground': '#e8e8e8',
    '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-diffEditor-insertedTextBackground': '#9ccc2c40',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-textLink-foreground': '#005fb8',
  },
  'high-contrast': {
    '--vscode-foreground': '#ffffff',
    '--vscode-editor-background': '#000000',
    '--vscode-descriptionForeground': '#ffffff',
    '--vscode-button-background': '#000000',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#000000',
    '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-button-border': '#6fc3df',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-list-activeSelectionBackground': '#000000',
    '--vscode-focusBorder': '#f38518',
    '--vscode-charts-green': '#89d185',
    '--vscode-diffEditor-insertedTextBackground': '#00000000',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-textLink-foreground': '#21a6ff',
  },
  dark: {
    '--vscode-foreground': '#cccccc',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-list-activeSelectionBackground': '#04395e',
    '--vscode-list-inactiveSelectionBackground': '#37373d',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-diffEditor-insertedTextBackground': '#9ccc2c33',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-textLink-foreground': '#4daafc',
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Page = any;

export class WebviewHarness {
  private server!: http.Server;
  private base = '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private browser: any;

  /** `html` builds the page from its script's name in dist/webviews/ and its style's in media/. */
  static async start(html: (page: PanelPage) => string, script: string, style: string): Promise<WebviewHarness> {
    const harness = new WebviewHarness();
    harness.server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/') {
        res.setHeader('content-type', 'text/html');
        res.end(
          html({
            cspSource: harness.base,
            scriptUri: `${harness.base}/dist/webviews/${script}`,
            styleUri: `${harness.base}/media/${style}`,
            codiconsUri: `${harness.base}/node_modules/@vscode/codicons/dist/codicon.css`,
            nonce: 'n0nce1234',
          }),
        );
        return;
      }
      const file = path.join(ROOT, url);
      if (
        !(
          url.startsWith('/media/') ||
          url.startsWith('/dist/webviews/') ||
          url.startsWith('/node_modules/@vscode/codicons/dist/')
        ) ||
        !fs.existsSync(file.split('?')[0])
      ) {
        res.statusCode = 404;
        res.end();
        return;
      }
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.ttf') ? 'font/ttf' : 'text/css';
      res.setHeader('content-type', type);
      res.end(fs.readFileSync(file.split('?')[0]));
    });
    await new Promise<void>((resolve) => harness.server.listen(0, '127.0.0.1', resolve));
    harness.base = `http://127.0.0.1:${(harness.server.address() as AddressInfo).port}`;
    const { codeServerTools } = await import('../../scripts/lib/codeServer.mjs');
    const tools = codeServerTools();
    const { chromium } = createRequire(path.join(tools.playwright, 'package.json'))(tools.playwright);
    harness.browser = await chromium.launch({
      executablePath: tools.chromium,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    return harness;
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    this.server?.close();
  }

  /** Opens the page; resolves once its script said it is ready. */
  async open(
    theme: 'light' | 'dark' | 'high-contrast',
    viewport = { width: 1100, height: 900 },
  ): Promise<{ page: Page; errors: string[] }> {
    const page = await this.browser.newPage({ viewport });
    // The test runner (tsx) names functions with a __name helper; functions sent to the page need it too.
    await page.addInitScript('window.__name = (f) => f;');
    await page.addInitScript((variables: Record<string, string>) => {
      (window as unknown as { __posted: unknown[] }).__posted = [];
      (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => (window as unknown as { __posted: unknown[] }).__posted.push(m),
        getState: () => JSON.parse(sessionStorage.getItem('state') ?? 'null'),
        setState: (s: unknown) => sessionStorage.setItem('state', JSON.stringify(s)),
      });
      document.addEventListener('DOMContentLoaded', () => {
        for (const [k, v] of Object.entries(variables)) document.documentElement.style.setProperty(k, v);
      });
    }, THEMES[theme]);
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    page.on(
      'console',
      (m: { type(): string; text(): string }) =>
        m.type() === 'error' && !m.text().includes('404') && errors.push(m.text()),
    );
    await page.goto(this.base + '/');
    await waitUntil(
      page,
      () => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'),
      'ready',
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${errors.join(' | ')}`);
    });
    return { page, errors };
  }
}

/** Polls `predicate` in the page (the pages' CSP forbids the eval a waitForFunction needs). */
export async function waitUntil(page: Page, predicate: () => boolean, what: string): Promise<void> {
  await waitFor(() => page.evaluate(predicate), { timeoutMs: 10_000, intervalMs: 50, message: what });
}

/** The messages the page posted to the extension. */
export function posted(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
}
