// A real VS Code for tests and `npm start`: code-server (installed by
// scripts/setup.mjs) on a free loopback port with its own user-data and
// extensions folders, and Chromium driven by playwright-core. Everything it starts ends
// with close(), which also removes its folders.

import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { waitFor } from './waitFor.mjs';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Bundles the extension-host suite (test/vscode) into out/test/vscode; returns its entry. */
export async function buildExtensionTests() {
  const { build } = await import('esbuild');
  const outDir = path.join(projectRoot, 'out', 'test', 'vscode');
  fs.rmSync(outDir, { recursive: true, force: true });
  const sources = fs.readdirSync(path.join(projectRoot, 'test', 'vscode')).filter((f) => f.endsWith('.ts'));
  await build({
    entryPoints: sources.map((f) => path.join(projectRoot, 'test', 'vscode', f)),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // mocha comes from the project's node_modules.
    external: ['vscode', 'mocha'],
    // As the extension's own build: jsonc-parser's UMD build hides its modules from bundlers.
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  fs.writeFileSync(path.join(outDir, 'package.json'), '{"type": "commonjs"}');
  return path.join(outDir, 'index.js');
}

export { codeServerTools } from './tools.mjs';

/** Packages the extension for this machine (scripts/lib/package.mjs); returns the .vsix path. */
export async function packageExtension() {
  const { packageExtension: pack } = await import('./package.mjs');
  return pack().vsix;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** True while a process of the group `pid` runs. */
function groupRuns(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server on `workspace`. `vsix`: an extension package to install first.
 * `port`: a fixed port (default: a free one). `keep`: leave the folders (npm start).
 */
export async function startCodeServer({ tools, workspace, vsix, env = {}, port, settings = {} }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-vscode-'));
  const userData = path.join(work, 'user-data');
  const extensions = path.join(work, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'workbench.tips.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
      ...settings,
    }),
  );
  const base = ['--user-data-dir', userData, '--extensions-dir', extensions];
  if (vsix) {
    execFileSync(process.execPath, [tools.entry, ...base, '--install-extension', vsix], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  port ??= await freePort();
  const server = spawn(
    process.execPath,
    [
      tools.entry,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...base,
      workspace,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, ...env } },
  );
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  await waitFor(
    () => {
      if (server.exitCode !== null) throw new Error(`code-server did not start:\n${log}`);
      return log.includes('HTTP server listening');
    },
    { timeoutMs: 60_000, intervalMs: 100, message: () => `code-server to start:\n${log}` },
  );
  let browser = null;
  return {
    port,
    work,
    url: (query = '') => `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}${query}`,
    remote: (p) => `vscode-remote://127.0.0.1:${port}${p}`,
    log: () => log,
    server,
    /** Opens the workbench in Chromium; returns the page. */
    async open(url) {
      const { chromium } = createRequire(path.join(tools.playwright, 'package.json'))(tools.playwright);
      browser = await chromium.launch({
        executablePath: tools.chromium,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(url);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      return page;
    },
    async close() {
      await browser?.close().catch(() => undefined);
      // SIGTERM to code-server's process group; what still runs 300 ms later is killed.
      for (const [signal, timeoutMs] of [
        ['SIGTERM', 300],
        ['SIGKILL', 3000],
      ]) {
        signalGroup(server.pid, signal);
        const ended = await waitFor(() => !groupRuns(server.pid), { timeoutMs, intervalMs: 50 }).catch(() => false);
        if (ended) break;
      }
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}
