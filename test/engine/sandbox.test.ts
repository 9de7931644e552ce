// The filesystem sandbox, from user code's side: /tmp is the environment's own folder
// through every fs API (sync, callback, promises, streams, FileHandle, ES module named
// imports), capped at the ephemeral storage size; writes elsewhere fail with EROFS; /opt
// holds the layers, later ones over earlier ones.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeRoot, fn, withEngine } from '../support/engine';

describe('the filesystem sandbox', function () {
  this.timeout(60_000);

  it('keeps /tmp per environment through sync, callback, promise, stream and FileHandle APIs, away from the host /tmp', async () => {
    const marker = `lld-marker-${process.pid}-${Date.now()}`;
    const root = codeRoot({
      'index.js': `
        const fs = require('fs');
        const fsp = require('fs/promises');
        const os = require('os');
        const path = require('path');
        const { promisify } = require('util');
        exports.handler = async ({ marker }) => {
          const dir = path.join(os.tmpdir(), marker);
          fs.mkdirSync(dir + '/nested/deep', { recursive: true });
          fs.writeFileSync(dir + '/sync.txt', 'sync');
          await promisify(fs.writeFile)(dir + '/callback.txt', 'callback');
          await fsp.writeFile(new URL('file://' + dir + '/promise.txt'), 'promise');
          await new Promise((resolve, reject) => {
            const stream = fs.createWriteStream(dir + '/nested/stream.txt');
            stream.on('error', reject).on('finish', resolve);
            stream.end('stream');
          });
          const handle = await fsp.open(dir + '/nested/deep/handle.txt', 'w');
          await handle.write('handle');
          await handle.close();
          const streamed = await new Promise((resolve) => {
            let text = '';
            fs.createReadStream(dir + '/nested/stream.txt', 'utf8').on('data', (c) => (text += c)).on('end', () => resolve(text));
          });
          const tree = fs.readdirSync(dir, { recursive: true, withFileTypes: true })
            .map((e) => path.join(e.parentPath ?? e.path, e.name)).sort();
          return {
            tmpdir: os.tmpdir(),
            texts: ['sync.txt', 'callback.txt', 'promise.txt', 'nested/stream.txt', 'nested/deep/handle.txt']
              .map((f) => fs.readFileSync(path.join(dir, f), 'utf8')),
            streamed,
            tree,
            mkdtemp: fs.mkdtempSync('/tmp/x-').startsWith('/tmp/x-'),
            realpath: fs.realpathSync(dir),
            cwdIsTaskRoot: process.cwd() === process.env.LAMBDA_TASK_ROOT,
            missing: (() => { try { fs.readFileSync('/tmp/none'); } catch (e) { return e.message; } })(),
          };
        };`,
    });
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler'));
      const first = await pool.invoke(JSON.stringify({ marker }));
      assert.equal(first.status, 'success', JSON.stringify(first.error));
      const r = first.result as Record<string, unknown>;
      assert.equal(r.tmpdir, '/tmp');
      assert.deepEqual(r.texts, ['sync', 'callback', 'promise', 'stream', 'handle']);
      assert.equal(r.streamed, 'stream');
      const d = `/tmp/${marker}`;
      assert.deepEqual(r.tree, [
        `${d}/callback.txt`,
        `${d}/nested`,
        `${d}/nested/deep`,
        `${d}/nested/deep/handle.txt`,
        `${d}/nested/stream.txt`,
        `${d}/promise.txt`,
        `${d}/sync.txt`,
      ]);
      assert.equal(r.mkdtemp, true);
      assert.equal(r.realpath, d, 'paths coming back say /tmp, not the host folder');
      assert.equal(r.cwdIsTaskRoot, true);
      assert.match(String(r.missing), /ENOENT: no such file or directory, open '\/tmp\/none'/);
      assert.equal(fs.existsSync(path.join(os.tmpdir(), marker)), false, "the host's /tmp is untouched");
      assert.equal(fs.existsSync(path.join('/tmp', marker)), false, "the host's /tmp is untouched");

      // A new environment starts with an empty /tmp.
      const cold = await pool.invoke(JSON.stringify({ marker: 'other' }), { cold: true });
      assert.equal(cold.status, 'success');
      assert.deepEqual(
        (cold.result as { tree: string[] }).tree.filter((p) => p.includes(marker)),
        [],
        'the new environment does not see the first one’s files',
      );
    });
  });

  it('maps /tmp for ES module named imports of node:fs and node:fs/promises', async () => {
    const root = codeRoot({
      'index.mjs': `
        import { writeFileSync, readFileSync, existsSync } from 'node:fs';
        import { readFile } from 'node:fs/promises';
        import { tmpdir } from 'node:os';
        export const handler = async () => {
          writeFileSync('/tmp/esm.txt', 'esm');
          return { sync: readFileSync('/tmp/esm.txt', 'utf8'), promised: await readFile(tmpdir() + '/esm.txt', 'utf8'), exists: existsSync('/tmp/esm.txt') };
        };`,
    });
    await withEngine({}, async ({ engine, base }) => {
      const result = await engine.pool(fn(root, 'index.handler')).invoke('{}');
      assert.deepEqual(result.result, { sync: 'esm', promised: 'esm', exists: true });
      const found = fs
        .readdirSync(base, { recursive: true })
        .map(String)
        .filter((p) => p.endsWith('esm.txt'));
      assert.equal(found.length, 1, "the file is in the environment's own folder");
    });
  });

  it('refuses writes past the ephemeral storage size with ENOSPC, through every API', async () => {
    // A sparse file counts by its size without using the disk: 500 MB of the 512 MB cap.
    const root = codeRoot({
      'index.js': `
        const fs = require('fs');
        const fsp = require('fs/promises');
        const chunk = Buffer.alloc(8 * 1024 * 1024, 1);
        const code = async (attempt) => { try { await attempt(); return 'written'; } catch (e) { return e.code + ' ' + e.message; } };
        exports.handler = async () => {
          fs.writeFileSync('/tmp/sparse', '');
          fs.truncateSync('/tmp/sparse', 500 * 1024 * 1024);
          const results = {};
          results.firstChunk = await code(() => fs.writeFileSync('/tmp/a', chunk));
          results.writeFileSync = await code(() => fs.writeFileSync('/tmp/b', chunk));
          results.appendFile = await code(() => fsp.appendFile('/tmp/b', chunk));
          results.callback = await code(() => new Promise((res, rej) => fs.writeFile('/tmp/b', chunk, (e) => (e ? rej(e) : res()))));
          results.stream = await code(() => new Promise((res, rej) => {
            const s = fs.createWriteStream('/tmp/c');
            s.on('error', rej).on('finish', res);
            s.end(chunk);
          }));
          results.fileHandle = await code(async () => {
            const h = await fsp.open('/tmp/d', 'w');
            try { await h.write(chunk); } finally { await h.close(); }
          });
          results.fd = await code(() => { const fd = fs.openSync('/tmp/e', 'w'); try { fs.writeSync(fd, chunk); } finally { fs.closeSync(fd); } });
          fs.unlinkSync('/tmp/sparse');
          results.afterDelete = await code(() => fs.writeFileSync('/tmp/f', chunk));
          return results;
        };`,
    });
    await withEngine({}, async ({ engine }) => {
      const result = await engine.pool(fn(root, 'index.handler', { ephemeralStorageMB: 512 })).invoke('{}');
      assert.equal(result.status, 'success', JSON.stringify(result.error));
      const r = result.result as Record<string, string>;
      assert.equal(r.firstChunk, 'written', '500 MB + 8 MB fits in 512 MB');
      for (const api of ['writeFileSync', 'appendFile', 'callback', 'stream', 'fileHandle', 'fd']) {
        assert.match(r[api], /^ENOSPC ENOSPC: no space left on device, write/, `${api}: ${r[api]}`);
      }
      assert.equal(r.afterDelete, 'written', 'space freed by a delete is usable again');
    });
  });

  it('fails writes outside /tmp with EROFS, unless the read-only filesystem is turned off', async () => {
    const root = codeRoot({
      'index.js': `
        const fs = require('fs');
        const path = require('path');
        const attempt = (f) => { try { f(); return 'written'; } catch (e) { return e.code + ' ' + e.message; } };
        exports.handler = async () => ({
          taskRoot: attempt(() => fs.writeFileSync(path.join(process.env.LAMBDA_TASK_ROOT, 'out.txt'), 'x')),
          mkdir: attempt(() => fs.mkdirSync('/var/task-nope')),
          opt: attempt(() => fs.writeFileSync('/opt/x.txt', 'x')),
          devNull: attempt(() => fs.writeFileSync('/dev/null', 'x')),
        });`,
    });
    await withEngine({}, async ({ engine }) => {
      const r = (await engine.pool(fn(root, 'index.handler')).invoke('{}')).result as Record<string, string>;
      assert.match(r.taskRoot, /^EROFS EROFS: read-only file system, open '.*out\.txt'$/);
      assert.match(r.mkdir, /^EROFS EROFS: read-only file system, mkdir '\/var\/task-nope'$/);
      assert.match(r.opt, /^EROFS/);
      assert.equal(r.devNull, 'written');
      assert.equal(fs.existsSync(path.join(root, 'out.txt')), false);
    });
    await withEngine({ readOnlyFilesystem: false }, async ({ engine }) => {
      const r = (await engine.pool(fn(root, 'index.handler', { name: 'writable' })).invoke('{}')).result as Record<
        string,
        string
      >;
      assert.equal(r.taskRoot, 'written');
      assert.equal(fs.readFileSync(path.join(root, 'out.txt'), 'utf8'), 'x');
    });
  });

  it('serves /opt from the layers, a later layer over an earlier one, and resolves modules from /opt/nodejs/node_modules', async () => {
    const first = codeRoot({
      'shared.txt': 'first',
      'only-first.txt': 'only first',
      'nodejs/node_modules/greeting/index.js': 'module.exports = () => "from layer one";',
    });
    const second = codeRoot({ 'shared.txt': 'second' });
    const root = codeRoot({
      'index.js': `
        const fs = require('fs');
        exports.handler = async () => ({
          shared: fs.readFileSync('/opt/shared.txt', 'utf8'),
          onlyFirst: fs.readFileSync('/opt/only-first.txt', 'utf8'),
          listing: fs.readdirSync('/opt').sort(),
          dirents: fs.readdirSync('/opt', { withFileTypes: true, recursive: true }).map((e) => e.parentPath + '/' + e.name).sort(),
          greeting: require('greeting')(),
        });`,
    });
    await withEngine({}, async ({ engine }) => {
      const result = await engine.pool(fn(root, 'index.handler', { layers: [first, second] })).invoke('{}');
      assert.equal(result.status, 'success', JSON.stringify(result.error));
      const r = result.result as Record<string, unknown>;
      assert.equal(r.shared, 'second');
      assert.equal(r.onlyFirst, 'only first');
      assert.equal(r.greeting, 'from layer one');
      assert.deepEqual(r.listing, ['nodejs', 'only-first.txt', 'shared.txt']);
      assert.deepEqual(r.dirents, [
        '/opt/nodejs',
        '/opt/nodejs/node_modules',
        '/opt/nodejs/node_modules/greeting',
        '/opt/nodejs/node_modules/greeting/index.js',
        '/opt/only-first.txt',
        '/opt/shared.txt',
      ]);
    });
  });
});
