// Engine tests of what goes wrong, with Lambda's answers: timeouts and the reset after
// them, crashes, out of memory, init errors and the Init retry, unhandled rejections,
// oversized payloads.

import { strict as assert } from 'node:assert';
import { codeRoot, fn, runtimeProcessesUsing, withEngine } from '../support/engine';
import { InvokeRejectedError } from '../../src/engine/pool';

describe('faults', () => {
  it('times out, resets the environment (next invocation cold) and keeps /tmp', async () => {
    const root = codeRoot({
      'index.js': `
        const fs = require('fs');
        exports.handler = async (event) => {
          if (event.write) fs.writeFileSync('/tmp/kept.txt', 'still here');
          if (event.hang) await new Promise(() => setInterval(() => {}, 1000));
          return { kept: fs.existsSync('/tmp/kept.txt') ? fs.readFileSync('/tmp/kept.txt', 'utf8') : null };
        };`,
    });
    await withEngine({}, async ({ engine, events }) => {
      const pool = engine.pool(fn(root, 'index.handler', { timeoutSeconds: 1 }));
      const timedOut = await pool.invoke('{"write": true, "hang": true}');
      assert.equal(timedOut.status, 'timeout');
      assert.equal(timedOut.error?.errorType, 'Sandbox.Timedout');
      assert.match(timedOut.error!.errorMessage, /Task timed out after 1\.00 seconds/);
      assert.match(timedOut.logs, /\d{4}-\d{2}-\d{2}T[\d:.]+Z [0-9a-f-]{36} Task timed out after 1\.00 seconds/);
      assert.match(timedOut.logs, /Status: timeout/);
      assert.ok(timedOut.report.durationMs >= 1000 && timedOut.report.durationMs < 2000);
      assert.ok(events.some((e) => e.type === 'environmentReset'));
      const next = await pool.invoke('{}');
      assert.equal(next.cold, true, 'the invocation after a timeout re-initialises');
      assert.equal(next.environmentId, timedOut.environmentId, 'in the same environment');
      assert.deepEqual(next.result, { kept: 'still here' }, '/tmp survives a reset');
    });
  });

  it('reports a process.exit in the handler as Runtime.ExitError and re-initialises', async () => {
    const root = codeRoot({
      'index.js': 'exports.handler = async (e) => { if (e.exit) process.exit(3); return "ok"; };',
    });
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler'));
      const crashed = await pool.invoke('{"exit": true}');
      assert.equal(crashed.status, 'crash');
      assert.equal(crashed.error?.errorType, 'Runtime.ExitError');
      assert.match(crashed.error!.errorMessage, /Runtime exited with error: exit status 3/);
      assert.match(crashed.logs, /Error: Runtime exited with error: exit status 3\nRuntime.ExitError/);
      const next = await pool.invoke('{}');
      assert.equal(next.status, 'success');
      assert.equal(next.cold, true);
    });
  });

  it('ends an environment that exceeds its memory with signal: killed', async () => {
    const root = codeRoot({
      'index.js': `exports.handler = async () => { const keep = []; for (;;) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise(r => setImmediate(r)); } };`,
    });
    await withEngine({}, async ({ engine }) => {
      const result = await engine
        .pool(fn(root, 'index.handler', { memorySizeMB: 128, timeoutSeconds: 20 }))
        .invoke('{}');
      assert.equal(result.status, 'crash');
      assert.equal(result.error?.errorType, 'Runtime.ExitError');
      assert.match(result.error!.errorMessage, /signal: killed/);
      assert.equal(result.report.maxMemoryUsedMB, 128);
    });
  });

  it('reports an uncaught handler error with its type, message and trace, and logs Invoke Error', async () => {
    const root = codeRoot({
      'index.js':
        'class OrderError extends Error { constructor(m) { super(m); this.name = "OrderError"; } }\nexports.handler = async () => { throw new OrderError("no such order"); };',
    });
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler'));
      const result = await pool.invoke('{}');
      assert.equal(result.status, 'error');
      assert.equal(result.error?.errorType, 'OrderError');
      assert.equal(result.error?.errorMessage, 'no such order');
      assert.match(result.error!.trace[0], /^OrderError: no such order/);
      assert.match(result.logs, /\tERROR\tInvoke Error \t\{"errorType":"OrderError","errorMessage":"no such order"/);
      const again = await pool.invoke('{}');
      assert.equal(again.cold, false, 'a handled error keeps the environment warm');
    });
  });

  it('reports an unhandled rejection as Runtime.UnhandledPromiseRejection and resets', async () => {
    const root = codeRoot({
      'index.js':
        'exports.handler = async () => { Promise.reject(new Error("forgotten")); await new Promise(r => setTimeout(r, 50)); return 1; };',
    });
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler'));
      const result = await pool.invoke('{}');
      assert.equal(result.error?.errorType, 'Runtime.UnhandledPromiseRejection');
      assert.match(result.error!.errorMessage, /forgotten/);
      assert.equal(result.status, 'crash');
      assert.equal((await pool.invoke('{}')).cold, true);
    });
  });

  for (const [label, files, handler, errorType, message] of [
    [
      'a missing module',
      { 'index.js': '' },
      'missing.handler',
      'Runtime.ImportModuleError',
      /Cannot find module 'missing'/,
    ],
    [
      'a missing export',
      { 'index.js': 'exports.other = () => 1;' },
      'index.handler',
      'Runtime.HandlerNotFound',
      /index.handler is undefined or not exported/,
    ],
    [
      'an export that is not a function',
      { 'index.js': 'exports.handler = 42;' },
      'index.handler',
      'Runtime.HandlerNotFound',
      /index.handler is not a function/,
    ],
    [
      'a syntax error',
      { 'index.js': 'exports.handler = async () => {;' },
      'index.handler',
      'Runtime.UserCodeSyntaxError',
      /SyntaxError/,
    ],
    [
      'a missing package imported by an ES module (not wrapped, as the official client reports it)',
      { 'index.mjs': 'import x from "no-such-package"; export const handler = async () => x;' },
      'index.handler',
      'Error',
      /no-such-package/,
    ],
    [
      'a throw at module top level',
      { 'index.js': 'throw new TypeError("bad config");' },
      'index.handler',
      'TypeError',
      /bad config/,
    ],
  ] as const) {
    it(`fails Init on ${label} with ${errorType}, retries it in the invocation, and writes INIT_REPORT`, async () => {
      const root = codeRoot(files);
      await withEngine({}, async ({ engine }) => {
        const result = await engine.pool(fn(root, handler)).invoke('{}');
        assert.equal(result.status, 'error');
        assert.equal(result.error?.errorType, errorType);
        assert.match(result.error!.errorMessage, message);
        assert.match(
          result.initLogs!,
          new RegExp(
            `INIT_REPORT Init Duration: \\d+\\.\\d{2} ms\\tPhase: init\\tStatus: error\\tError Type: ${errorType.replace('.', '\\.')}`,
          ),
        );
        assert.match(result.initLogs!, /\tundefined\tERROR\tUncaught Exception \t\{"errorType"/);
        assert.match(result.logs, /INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: invoke\tStatus: error/);
      });
    });
  }

  it('retries an Init that passes its limit inside the first invocation (INIT_REPORT timeout)', async () => {
    const root = codeRoot({
      'index.js':
        'const until = Date.now() + 400; while (Date.now() < until) {}\nexports.handler = async () => "initialised";',
    });
    await withEngine({ initTimeoutMs: 200 }, async ({ engine }) => {
      const result = await engine.pool(fn(root, 'index.handler', { timeoutSeconds: 5 })).invoke('{}');
      assert.match(result.initLogs!, /INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: init\tStatus: timeout/);
      assert.equal(result.status, 'success');
      assert.equal(result.result, 'initialised');
      assert.equal(result.report.initDurationMs, null);
      assert.ok(result.report.durationMs >= 400, 'the retried Init counts in the invocation');
    });
  });

  it('rejects a request over 6 MB and fails a response over 6 MB', async () => {
    const root = codeRoot({ 'index.js': 'exports.handler = async () => "x".repeat(7 * 1024 * 1024);' });
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler'));
      await assert.rejects(pool.invoke(JSON.stringify('y'.repeat(6 * 1024 * 1024 + 1))), (e: InvokeRejectedError) => {
        assert.equal(e.errorType, 'RequestEntityTooLargeException');
        return true;
      });
      const result = await pool.invoke('{}');
      assert.equal(result.status, 'error');
      assert.equal(result.error?.errorType, 'Function.ResponseSizeTooLarge');
    });
  });

  it('rejects an event that is not JSON before it reaches an environment', async () => {
    const root = codeRoot({ 'index.js': 'exports.handler = async () => 1;' });
    await withEngine({}, async ({ engine }) => {
      await assert.rejects(
        engine.pool(fn(root, 'index.handler')).invoke('{nope'),
        /Could not parse request body into json/,
      );
    });
  });

  it('leaves no process behind after timeouts and crashes', async () => {
    const root = codeRoot({
      'index.js':
        'exports.handler = async (e) => { require("child_process").spawn("sleep", ["30"]); if (e.exit) process.exit(1); await new Promise(() => {}); };',
    });
    let base = '';
    await withEngine({}, async (t) => {
      base = t.base;
      const pool = t.engine.pool(fn(root, 'index.handler', { timeoutSeconds: 1 }));
      await pool.invoke('{}');
      await pool.invoke('{"exit": true}');
    });
    assert.deepEqual(runtimeProcessesUsing(base), [], 'runtime processes and what they spawned are gone');
  });
});
