// Reserved concurrency through the HTTP front: with every allowed environment busy, Lambda
// refuses the invocation and API Gateway answers 500 {"message":"Internal Server Error"} (as
// the Lambda developer guide says it does for a rejected invocation) while a function URL
// passes Lambda's 429 on; the front logs the throttle; the busy request still gets its answer.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunningFronts } from '../../src/fronts/fronts';
import { apiRoute } from '../../src/config/httpEvents';
import { codeRoot, fn, withEngine } from '../support/engine';
import { nextEvent } from '../support/waitFor';

describe('throttling through API Gateway', function () {
  this.timeout(60_000);

  it('answers 500 (API Gateway) and 429 (function URL) past the reserved concurrency', async () => {
    const root = codeRoot({
      'app.js':
        "const fs = require('node:fs'); exports.h = async (e) => { while (!fs.existsSync(e.queryStringParameters.m)) await new Promise((r) => setTimeout(r, 20)); return 'done'; };",
    });
    const marker = path.join(root, 'marker');
    await withEngine({ reservedConcurrency: 1 }, async ({ engine }) => {
      const notices: string[] = [];
      const fronts = await RunningFronts.start({
        engine,
        functions: [{ id: 'Busy', config: fn(root, 'app.h', { name: 'Busy', timeoutSeconds: 30 }) }],
        triggers: {
          routes: [apiRoute('Busy', { apiId: 'Api' })],
          urls: [{ functionId: 'Busy', authType: 'NONE', invokeMode: 'BUFFERED', cors: null }],
          warnings: [],
        },
        port: 0,
        lambdaPort: 0,
        notice: (line) => notices.push(line),
      });
      try {
        const started = nextEvent(engine, (e) => e.type === 'invocationStarted');
        const first = fetch(`${fronts.httpUrl}/x?m=${encodeURIComponent(marker)}`);
        await started;
        const throttled = await fetch(`${fronts.httpUrl}/y?m=${encodeURIComponent(marker)}`);
        assert.equal(throttled.status, 500);
        assert.deepEqual(await throttled.json(), { message: 'Internal Server Error' });
        const byUrl = await fetch(`${fronts.httpUrl}/fn/Busy/z?m=${encodeURIComponent(marker)}`);
        assert.equal(byUrl.status, 429);
        assert.equal(byUrl.headers.get('x-amzn-errortype'), 'TooManyRequestsException');
        assert.equal(((await byUrl.json()) as { message: string }).message, 'Rate Exceeded.');
        assert.ok(
          notices.some((n) => /GET \/y -> Busy: TooManyRequestsException/.test(n)),
          notices.join('\n'),
        );
        fs.writeFileSync(marker, '');
        const r = await first;
        assert.equal(r.status, 200);
        assert.equal(await r.text(), 'done');
      } finally {
        await fronts.close();
      }
    });
  });
});
