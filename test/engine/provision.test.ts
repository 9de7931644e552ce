// The Node.js of a runtime's major: fetched once from an npm registry (here a registry
// served on loopback by the test, with a stand-in binary), its integrity checked, kept in
// the per-user cache and reused without asking the registry again; clear errors offline.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import {
  NodeProvisionError,
  binaryPackageName,
  compareVersions,
  nodeMajorOf,
  resolveNode,
} from '../../src/provision/nodeBinary';

/** A tarball shaped like the registry's node-<os>-<arch> packages, whose bin/node prints `version`. */
async function binaryPackage(dir: string, version: string): Promise<Buffer> {
  const root = path.join(dir, version);
  fs.mkdirSync(path.join(root, 'package', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package', 'bin', 'node'), `#!/bin/sh\necho v${version}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'package', 'README.md'), 'not kept');
  const file = path.join(dir, `${version}.tgz`);
  await tar.c({ gzip: true, file, cwd: root }, ['package']);
  return fs.readFileSync(file);
}

const integrityOf = (data: Buffer) => `sha512-${createHash('sha512').update(data).digest('base64')}`;

describe('the Node.js of a runtime (provisioning)', function () {
  if (process.platform === 'win32') return;
  let work: string;
  let server: http.Server;
  let registry: string;
  let requests: string[];
  let tarballs: Record<string, Buffer>;
  let integrities: Record<string, string>;
  const savedCache = process.env.LLD_CACHE_DIR;

  beforeEach(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-provision-'));
    process.env.LLD_CACHE_DIR = path.join(work, 'cache');
    tarballs = {};
    for (const version of ['22.9.0', '22.10.0', '24.1.0']) tarballs[version] = await binaryPackage(work, version);
    integrities = Object.fromEntries(Object.entries(tarballs).map(([v, data]) => [v, integrityOf(data)]));
    requests = [];
    server = http.createServer((req, res) => {
      requests.push(req.url!);
      const name = binaryPackageName();
      if (req.url === `/${name}`) {
        const versions = Object.fromEntries(
          Object.keys(tarballs).map((v) => [
            v,
            { version: v, dist: { tarball: `${registry}${name}/-/${v}.tgz`, integrity: integrities[v] } },
          ]),
        );
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name, versions }));
        return;
      }
      const match = /\/-\/(.+)\.tgz$/.exec(req.url!);
      if (match && tarballs[match[1]]) {
        res.setHeader('content-length', tarballs[match[1]].length);
        res.end(tarballs[match[1]]);
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(work, { recursive: true, force: true });
    if (savedCache === undefined) delete process.env.LLD_CACHE_DIR;
    else process.env.LLD_CACHE_DIR = savedCache;
  });

  it('names the major of each Node runtime and orders versions numerically', () => {
    assert.equal(nodeMajorOf('nodejs22.x'), 22);
    assert.equal(nodeMajorOf('nodejs24.x'), 24);
    assert.equal(nodeMajorOf('provided.al2023'), null);
    assert.ok(compareVersions('22.10.0', '22.9.0') > 0);
    assert.ok(compareVersions('v22.9.0', 'v22.9.0') === 0);
  });

  it('fetches the newest release of the major once, checks it, and reuses the cache offline', async () => {
    const lines: string[] = [];
    const first = await resolveNode('nodejs22.x', { registry, searchMachine: false, progress: (m) => lines.push(m) });
    assert.equal(first.version, 'v22.10.0');
    assert.equal(first.source, 'downloaded');
    assert.ok(first.path.startsWith(process.env.LLD_CACHE_DIR!));
    assert.ok(lines.some((l) => l.includes('Downloading Node.js v22.10.0')));
    // Only the executable (and its licence) is kept from the package.
    assert.ok(!fs.existsSync(path.join(path.dirname(path.dirname(first.path)), 'README.md')));
    const downloads = requests.length;

    await new Promise((resolve) => server.close(resolve)); // offline from here on
    const again = await resolveNode('nodejs22.x', { registry, searchMachine: false });
    assert.deepEqual([again.path, again.version, again.source], [first.path, 'v22.10.0', 'cache']);
    assert.equal(requests.length, downloads);
    server.listen(0); // so that afterEach can close it
  });

  it('keeps nothing when the integrity check fails', async () => {
    integrities['24.1.0'] = integrityOf(Buffer.from('something else'));
    await assert.rejects(
      resolveNode('nodejs24.x', { registry, searchMachine: false }),
      (error: Error) => error instanceof NodeProvisionError && /integrity check/.test(error.message),
    );
    const cached = fs.existsSync(path.join(process.env.LLD_CACHE_DIR!, 'node'))
      ? fs.readdirSync(path.join(process.env.LLD_CACHE_DIR!, 'node'))
      : [];
    assert.deepEqual(cached, []);
  });

  it('says what to do when no Node of the major can be had', async () => {
    await assert.rejects(
      resolveNode('nodejs18.x', { registry, searchMachine: false }),
      (error: Error) =>
        error instanceof NodeProvisionError &&
        /no Node.js 18 release/.test(error.message) &&
        /--node host/.test(error.message),
    );
    await new Promise((resolve) => server.close(resolve));
    await assert.rejects(
      resolveNode('nodejs24.x', { registry, searchMachine: false }),
      (error: Error) => /fetching .* failed/.test(error.message) && /runtimeExecutable/.test(error.message),
    );
    server.listen(0);
  });

  it('runs on the host Node when asked, with a warning when its major is not the runtime’s', async () => {
    const host = await resolveNode('nodejs24.x', { given: 'host' });
    assert.equal(host.path, process.execPath);
    assert.equal(host.source, 'host');
    assert.match(host.warning ?? '', /runs on Node.js 24 on Lambda/);
    const same = await resolveNode(`nodejs${process.versions.node.split('.')[0]}.x`, { given: 'host' });
    assert.equal(same.warning, null);
    await assert.rejects(resolveNode('nodejs22.x', { given: path.join(work, 'nope') }), /does not run/);
  });
});
