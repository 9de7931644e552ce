// Runs the extension-host suite (test/vscode) in a real VS Code: code-server with the
// examples/ workspace, the extension loaded from this folder as a development extension,
// the workbench opened in Chromium (playwright-core), as ../shared/REAL-VSCODE.md says.
// The suite writes its results to a file; this script waits for it, prints it, and ends
// code-server and the browser. On a desktop with a VS Code download, @vscode/test-electron
// can run the same out/test/vscode/index.js.

import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'out', 'test', 'vscode');
const screenshots = path.join(root, 'out', 'screenshots');

const tools = JSON.parse(
  execFileSync(process.execPath, [path.join(root, 'scripts', 'ensure-code-server.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    .trim()
    .split('\n')
    .pop(),
);

fs.rmSync(outDir, { recursive: true, force: true });
const testSources = fs.readdirSync(path.join(root, 'test', 'vscode')).filter((f) => f.endsWith('.ts'));
await esbuild.build({
  entryPoints: testSources.map((f) => path.join(root, 'test', 'vscode', f)),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
// The bundle requires mocha from the project's node_modules.
fs.writeFileSync(path.join(outDir, 'package.json'), '{"type": "commonjs"}');

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-vscode-'));
const userData = path.join(work, 'user-data');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(
  path.join(userData, 'User', 'settings.json'),
  JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off' }),
);
const resultsFile = path.join(work, 'results.json');
const port = await freePort();
const workspace = path.join(root, 'examples');
const server = spawn(
  process.execPath,
  [
    tools.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir', userData,
    '--extensions-dir', path.join(work, 'extensions'),
    workspace,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, LLD_TEST_RESULTS: resultsFile } },
);
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));

const require = createRequire(path.join(tools.playwright, 'package.json'));
const { chromium } = require(tools.playwright);
let browser;
let exitCode = 1;
try {
  for (let i = 0; !serverLog.includes('HTTP server listening'); i++) {
    if (i > 600 || server.exitCode !== null) throw new Error(`code-server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(root)],
    ['extensionTestsPath', remote(path.join(outDir, 'index.js'))],
    ['skipWelcome', 'true'],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  browser = await chromium.launch({
    executablePath: tools.chromium,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  const started = Date.now();
  while (!fs.existsSync(resultsFile)) {
    if (Date.now() - started > 10 * 60_000) throw new Error('The extension-host suite did not finish within 10 minutes.');
    await new Promise((r) => setTimeout(r, 250));
  }
  fs.mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, 'extension-host-suite.png') });
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const title of results.passes) console.log(`  ✔ ${title}`);
  for (const failure of results.failures) console.log(`  ✘ ${failure}`);
  console.log(`\n  ${results.passes.length} passing, ${results.failed} failing (extension host in code-server)`);
  exitCode = results.failed === 0 && results.passes.length > 0 ? 0 : 1;
} catch (error) {
  console.error(String(error?.stack ?? error));
  console.error(serverLog.split('\n').slice(-30).join('\n'));
} finally {
  await browser?.close().catch(() => undefined);
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  await new Promise((r) => setTimeout(r, 500));
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
