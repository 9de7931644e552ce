// Engine tests of the Node runtime's handler support: module formats and lookup order,
// TypeScript, nested exports, callback handlers and callbackWaitsForEmptyEventLoop,
// Node 24's removal of callbacks, response streaming, and a custom runtime.

import * as fs from 'node:fs';
import { strict as assert } from 'node:assert';
import { codeRoot, fn, kernelSandbox, withEngine } from '../support/engine';

async function invokeOnce(root: string, handler: string, overrides = {}, payload = '{}') {
  return withEngine({}, async ({ engine }) => engine.pool(fn(root, handler, overrides)).invoke(payload));
}

describe('handlers', () => {
  it('loads CommonJS, extensionless, .cjs, .mjs and "type": "module" .js files, and nested exports', async () => {
    const root = codeRoot({
      'cjs.js': 'exports.handler = async () => "cjs";',
      plain: 'exports.handler = async () => "extensionless";',
      'legacy.cjs': 'exports.handler = async () => "cjs-ext";',
      'esm.mjs': 'export const handler = async () => "mjs";',
      'mod/package.json': '{"type": "module"}',
      'mod/app.js': 'export const handler = async () => "esm-js";',
      'nested.js': 'exports.api = { v1: { handler: async () => "nested" } };',
    });
    const cases: Array<[string, string]> = [
      ['cjs.handler', 'cjs'],
      ['plain.handler', 'extensionless'],
      ['legacy.handler', 'cjs-ext'],
      ['esm.handler', 'mjs'],
      ['mod/app.handler', 'esm-js'],
      ['nested.api.v1.handler', 'nested'],
    ];
    await withEngine({}, async ({ engine }) => {
      for (const [handler, expected] of cases) {
        const result = await engine.pool(fn(root, handler, { name: handler.replace(/[^a-z0-9]/gi, '-') })).invoke('{}');
        assert.equal(result.result, expected, `${handler}: ${JSON.stringify(result.error)}`);
      }
    });
  });

  it('runs TypeScript handlers (CommonJS .ts and ES module .mts) with stack traces on the TypeScript lines', async () => {
    const root = codeRoot({
      'src/app.ts': [
        'interface Order { id: string; quantity: number }',
        "import { double } from './util';",
        'export const handler = async (event: Order): Promise<number> => {',
        "  if (event.quantity < 0) throw new Error('negative');",
        '  return double(event.quantity);',
        '};',
      ].join('\n'),
      'src/util.ts': 'export const double = (n: number): number => n * 2;',
      'esm/app.mts':
        "import { triple } from './util.js';\nexport const handler = async (e: { n: number }): Promise<number> => triple(e.n);",
      'esm/util.mts': 'export const triple = (n: number): number => n * 3;',
    });
    await withEngine({}, async ({ engine }) => {
      const cjs = engine.pool(fn(root, 'src/app.handler', { name: 'ts' }));
      assert.equal((await cjs.invoke('{"id": "a", "quantity": 21}')).result, 42);
      const failed = await cjs.invoke('{"id": "a", "quantity": -1}');
      assert.match(failed.error!.trace.join('\n'), /src\/app\.ts:4:/);
      const esm = engine.pool(fn(root, 'esm/app.handler', { name: 'mts' }));
      const result = await esm.invoke('{"n": 5}');
      assert.equal(result.result, 15, JSON.stringify(result.error));
    });
  });

  it('waits for the event loop with callbacks by default, and not with callbackWaitsForEmptyEventLoop = false', async () => {
    const root = codeRoot({
      'index.js': `
        let ran = [];
        exports.handler = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = event.wait;
          const before = ran.slice();
          setTimeout(() => ran.push(event.tag), 100);
          callback(null, { before });
        };`,
    });
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler'));
      const waited = await pool.invoke('{"wait": true, "tag": "a"}');
      assert.ok(waited.report.durationMs >= 100, 'the response waited for the timer');
      const notWaited = await pool.invoke('{"wait": false, "tag": "b"}');
      assert.ok(notWaited.report.durationMs < 100, `did not wait (${notWaited.report.durationMs} ms)`);
      assert.deepEqual(notWaited.result, { before: ['a'] });
      assert.ok(notWaited.pending.some((p) => p.description === 'setTimeout 100 ms'));
      const third = await pool.invoke('{"wait": false, "tag": "c"}');
      assert.deepEqual(third.result, { before: ['a'] }, 'the frozen timer has not run before the handler started');
    });
  });

  it('supports context.succeed and a plain function that returns nothing responds null', async () => {
    const root = codeRoot({
      'index.js':
        'exports.legacy = (e, context) => { context.succeed("legacy-ok"); };\nexports.plain = (e) => { return "ignored"; };',
    });
    await withEngine({}, async ({ engine }) => {
      assert.equal((await engine.pool(fn(root, 'index.legacy', { name: 'a' })).invoke('{}')).result, 'legacy-ok');
      const plain = await engine.pool(fn(root, 'index.plain', { name: 'b' })).invoke('{}');
      assert.equal(plain.status, 'success');
      assert.equal(plain.result, null);
    });
  });

  it('refuses callback handlers on nodejs24.x', async () => {
    const root = codeRoot({ 'index.js': 'exports.handler = (event, context, callback) => callback(null, 1);' });
    const result = await invokeOnce(root, 'index.handler', { runtime: 'nodejs24.x' });
    assert.equal(result.status, 'error');
    assert.equal(result.error?.errorType, 'Runtime.CallbackHandlerDeprecated');
    assert.equal((await invokeOnce(root, 'index.handler', { runtime: 'nodejs22.x' })).result, 1);
  });

  it('warns of a plain three-parameter handler at Init on the 3.x runtimes, as the official client does (not of async ones, nor when told not to)', async () => {
    const root = codeRoot({
      'index.js': [
        'exports.callback = (event, context, callback) => callback(null, 1);',
        'exports.async = async (event, context, callback) => 2;',
        'exports.two = (event, context) => 3;',
      ].join('\n'),
    });
    const warning =
      /^\S+\tundefined\tWARN\tAWS Lambda plans to remove support for callback-based function handlers starting with Node\.js 24\. .* To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable\.$/m;
    for (const runtime of ['nodejs20.x', 'nodejs22.x'] as const) {
      const warned = await invokeOnce(root, 'index.callback', { runtime });
      assert.equal(warned.result, 1);
      assert.match(warned.initLogs ?? '', warning, `${runtime}: ${warned.initLogs}`);
      assert.doesNotMatch(warned.logs, warning, 'once, at Init');
    }
    for (const handler of ['index.async', 'index.two']) {
      const quiet = await invokeOnce(root, handler, { runtime: 'nodejs22.x' });
      assert.equal(quiet.status, 'success');
      assert.doesNotMatch(quiet.initLogs ?? '', warning, handler);
    }
    const disabled = await invokeOnce(root, 'index.callback', {
      runtime: 'nodejs22.x',
      environment: { AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING: '' },
    });
    assert.doesNotMatch(disabled.initLogs ?? '', warning);
  });

  it('streams responses with awslambda.streamifyResponse and HttpResponseStream', async () => {
    const root = codeRoot({
      'index.mjs': `
        export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
          const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201 });
          stream.write('hello ');
          await new Promise((r) => setTimeout(r, 10));
          stream.end('world');
        });`,
    });
    const result = await invokeOnce(root, 'index.handler');
    assert.equal(result.status, 'success', JSON.stringify(result.error));
    const body = result.responseBody!;
    const delimiter = body.indexOf(Buffer.alloc(8));
    assert.deepEqual(JSON.parse(body.subarray(0, delimiter).toString()), { statusCode: 201 });
    assert.equal(body.subarray(delimiter + 8).toString(), 'hello world');
  });

  it("a custom runtime's request for the next event waits for its streamed response to end (error trailers and all)", async () => {
    // As the official 4.x client after a streamed error: the response's end (with its error
    // trailers) is written after the next event was asked for, on another connection.
    const root = codeRoot(
      {
        bootstrap: `#!/usr/bin/env node
const http = require('http');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const next = () => new Promise((resolve, reject) => {
  const req = http.request('http://' + api + '/2018-06-01/runtime/invocation/next', (res) => {
    let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve({ id: res.headers['lambda-runtime-aws-request-id'], body }));
  });
  req.on('error', reject); req.end();
});
(async () => {
  let invocation = await next();
  for (;;) {
    const stream = http.request('http://' + api + '/2018-06-01/runtime/invocation/' + invocation.id + '/response', {
      method: 'POST',
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Transfer-Encoding': 'chunked',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      },
    });
    stream.on('error', () => undefined);
    // The response has begun (its first bytes are out) when the next event is asked for.
    await new Promise((resolve) => stream.write('partial ', resolve));
    const following = next();
    setTimeout(() => {
      const error = { errorType: 'StreamFailure', errorMessage: 'failed mid-stream', trace: [] };
      stream.addTrailers({
        'Lambda-Runtime-Function-Error-Type': error.errorType,
        'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64'),
      });
      stream.end();
    }, 300);
    invocation = await following;
  }
})();
`,
      },
      ['bootstrap'],
    );
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'function.handler', { runtime: 'provided.al2023' }));
      for (const payload of ['{"n": 1}', '{"n": 2}']) {
        const result = await pool.invoke(payload);
        assert.equal(result.status, 'error', JSON.stringify(result));
        assert.equal(result.error?.errorType, 'StreamFailure');
        assert.equal(result.error?.errorMessage, 'failed mid-stream');
      }
    });
  });

  it('runs a provided.al2023 bootstrap against the Runtime API unchanged', async () => {
    const root = codeRoot(
      {
        bootstrap: `#!/usr/bin/env node
const http = require('http');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request('http://' + api + path, { method }, (res) => {
      let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => resolve({ headers: res.headers, body: data }));
    });
    req.on('error', reject); req.end(body);
  });
}
let count = 0;
(async () => {
  for (;;) {
    const next = await call('GET', '/2018-06-01/runtime/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    count++;
    console.log('custom runtime got', next.body);
    await call('POST', '/2018-06-01/runtime/invocation/' + id + '/response', JSON.stringify({ count, handler: process.env._HANDLER, event: JSON.parse(next.body) }));
  }
})();
`,
      },
      ['bootstrap'],
    );
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'function.handler', { runtime: 'provided.al2023' }));
      const first = await pool.invoke('{"a": 1}');
      const second = await pool.invoke('{"a": 2}');
      assert.deepEqual(first.result, { count: 1, handler: 'function.handler', event: { a: 1 } });
      assert.deepEqual(second.result, { count: 2, handler: 'function.handler', event: { a: 2 } });
      assert.equal(second.cold, false);
      assert.match(first.logs, /custom runtime got \{"a": 1\}/);
    });
  });

  it('runs an external extension from a layer: it gets INVOKE and SHUTDOWN, and the runtime gets SIGTERM', async () => {
    const layer = codeRoot(
      {
        'extensions/recorder': `#!/usr/bin/env node
const http = require('http');
const fs = require('fs');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
function call(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request('http://' + api + path, { method, headers }, (res) => {
      let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => resolve({ headers: res.headers, body: data }));
    });
    req.on('error', reject); req.end(body);
  });
}
(async () => {
  const reg = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'recorder' }, JSON.stringify({ events: ['INVOKE', 'SHUTDOWN'] }));
  const id = reg.headers['lambda-extension-identifier'];
  for (;;) {
    const event = JSON.parse((await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': id })).body);
    fs.appendFileSync(process.env.RECORD_FILE, event.eventType + (event.shutdownReason ? ':' + event.shutdownReason : '') + '\\n');
    if (event.eventType === 'SHUTDOWN') process.exit(0);
  }
})();
`,
      },
      ['extensions/recorder'],
    );
    const root = codeRoot({
      'record.txt': '',
      'index.js': `process.on('SIGTERM', () => { require('fs').appendFileSync(process.env.RECORD_FILE, 'SIGTERM\\n'); process.exit(0); });
exports.handler = async () => 'ok';`,
    });
    await withEngine({ readOnlyFilesystem: false }, async ({ engine }) => {
      const pool = engine.pool(
        // In the kernel's sandbox the code's folder is /var/task (writable: readOnlyFilesystem off).
        fn(root, 'index.handler', {
          layers: [layer],
          environment: { RECORD_FILE: kernelSandbox() ? '/var/task/record.txt' : `${root}/record.txt` },
        }),
      );
      await pool.invoke('{}');
      await pool.invoke('{}');
      await pool.close();
    });
    const lines = fs.readFileSync(`${root}/record.txt`, 'utf8').trim().split('\n').sort();
    assert.deepEqual(lines, ['INVOKE', 'INVOKE', 'SHUTDOWN:SPINDOWN', 'SIGTERM'].sort());
  });
});
