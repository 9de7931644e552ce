// Lambda's layout in what the function sees, in the portable sandbox (whose folders are
// the host's): stack traces in the error response, in logged errors and in the function's
// own hands name /var/task, /opt and /var/runtime; NODE_PATH reads as Lambda sets it while
// modules still resolve through the real folders; a debugger still sees the scripts' real
// files, and pending work still says where on the host it was created.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { attachDebuggers } from '../support/cdp';
import { codeRoot, fn, withEngine } from '../support/engine';

const layerModule = {
  'nodejs/node_modules/layered/index.js': `exports.fail = () => { throw new RangeError('from the layer'); };`,
};

describe("Lambda's paths in the portable sandbox", function () {
  this.timeout(60_000);

  for (const runtime of ['nodejs18.x', 'nodejs22.x', 'nodejs24.x'] as const) {
    it(`${runtime}: error traces, logged errors and NODE_PATH name /var/task, /opt and /var/runtime; modules resolve as before`, async () => {
      const layer = codeRoot(layerModule);
      const root = codeRoot({
        'index.js': [
          "const layered = require('layered'); // through NODE_PATH, from the layer",
          'exports.handler = async (event) => {',
          "  if (event.fail === 'layer') layered.fail();",
          "  if (event.fail === 'handler') throw new TypeError('from the handler');",
          "  const own = new Error('seen by the function');",
          '  console.error(own);',
          '  return { nodePath: process.env.NODE_PATH, stack: own.stack };',
          '};',
        ].join('\n'),
      });
      await withEngine({}, async ({ engine }) => {
        const pool = engine.pool(fn(root, 'index.handler', { runtime, layers: [layer] }));
        const ok = await pool.invoke('{}');
        assert.equal(ok.status, 'success', JSON.stringify(ok.error));
        const r = ok.result as { nodePath: string; stack: string };
        const major = runtime.replace(/^nodejs(\d+)\.x$/, '$1');
        assert.equal(
          r.nodePath,
          `/opt/nodejs/node${major}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task`,
        );
        assert.match(r.stack, /^Error: seen by the function\n {4}at exports\.handler \(\/var\/task\/index\.js:5:15\)/);
        assert.match(r.stack, /\(\/var\/runtime\/node\/bootstrap\.js:\d+:\d+\)/, "the runtime's frames: /var/runtime");
        assert.ok(!r.stack.includes(root), r.stack);
        assert.match(
          ok.logs,
          /\tERROR\tError: seen by the function\n {4}at exports\.handler \(\/var\/task\/index\.js:5:15\)/,
        );
        assert.ok(!ok.logs.includes(root), ok.logs);

        const handlerError = await pool.invoke(JSON.stringify({ fail: 'handler' }));
        assert.equal(handlerError.status, 'error');
        assert.equal(handlerError.error!.trace[0], 'TypeError: from the handler');
        assert.equal(handlerError.error!.trace[1], '    at exports.handler (/var/task/index.js:4:39)');
        assert.match(handlerError.logs, /Invoke Error \t\{.*" {4}at exports\.handler \(\/var\/task\/index\.js:4:39\)"/);

        const layerError = await pool.invoke(JSON.stringify({ fail: 'layer' }));
        assert.equal(layerError.error!.errorType, 'RangeError');
        assert.equal(
          layerError.error!.trace[1],
          '    at exports.fail (/opt/nodejs/node_modules/layered/index.js:1:30)',
        );
        assert.equal(layerError.error!.trace[2], '    at exports.handler (/var/task/index.js:3:39)');
        for (const result of [handlerError, layerError]) {
          assert.ok(!JSON.stringify(result.error).includes(root) && !JSON.stringify(result.error).includes(layer));
        }
      });
    });
  }

  it('an ES module names file:///var/task; a configured NODE_PATH is left as it is', async () => {
    const root = codeRoot({
      'index.mjs': ['export const handler = async () => {', "  throw new Error('from a module');", '};'].join('\n'),
    });
    const lib = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-test-node-path-'));
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler', { environment: { NODE_PATH: lib } }));
      const failed = await pool.invoke('{}');
      assert.equal(failed.error!.trace[1], '    at handler (file:///var/task/index.mjs:2:9)');
      const env = await engine
        .pool(
          fn(codeRoot({ 'index.js': 'exports.handler = async () => process.env.NODE_PATH;' }), 'index.handler', {
            name: 'configured',
            environment: { NODE_PATH: lib },
          }),
        )
        .invoke('{}');
      assert.equal(env.result, lib, JSON.stringify(env));
    });
    fs.rmSync(lib, { recursive: true, force: true });
  });

  it('the debugger sees the real files (a breakpoint by the real path binds) and pending work its real creation site', async () => {
    const root = codeRoot({
      'index.js': [
        'exports.handler = async () => {',
        '  setTimeout(() => undefined, 60_000);',
        "  return new Error('while debugged').stack;",
        '};',
      ].join('\n'),
    });
    await withEngine({ inspect: true, prestart: false }, async ({ engine }) => {
      const hits: string[] = [];
      const debuggers = attachDebuggers(engine, async (cdp) => {
        cdp.on('Debugger.paused', (paused: { callFrames: Array<{ location: { scriptId: string } }> }) => {
          hits.push(cdp.scriptUrl(paused.callFrames[0].location.scriptId));
          void cdp.send('Debugger.resume');
        });
        await cdp.send('Debugger.enable');
        // As js-debug sets a breakpoint on a file: by a pattern of its real path.
        await cdp.send('Debugger.setBreakpointByUrl', {
          urlRegex: `${root.replace(/[.]/g, '\\.')}/index\\.js$`,
          lineNumber: 2,
        });
      });
      const pool = engine.pool(fn(root, 'index.handler'));
      const result = await pool.invoke('{}');
      debuggers.close();
      assert.equal(result.status, 'success', JSON.stringify(result.error));
      assert.match(String(result.result), /at exports\.handler \(\/var\/task\/index\.js:3:10\)/);
      assert.deepEqual(
        hits,
        [pathToFileURL(path.join(root, 'index.js')).href],
        'the breakpoint by the real path was hit',
      );
      const timer = result.pending.find((p) => p.kind === 'timer');
      assert.equal(timer?.site?.file, path.join(root, 'index.js'));
    });
  });
});
