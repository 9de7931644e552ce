// API Gateway's integration timeout (29 s for REST APIs, 30 s for HTTP APIs), shortened here
// through the fronts' option: a function still running past it gets the client a 504, and
// the front says so in the log; the invocation itself finishes in its environment.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { apiRoute, readHttpTriggers, REST_TIMEOUT_MS, HTTP_API_TIMEOUT_MS } from '../../src/config/httpEvents';
import { RunningFronts } from '../../src/fronts/fronts';
import { codeRoot, fn, withEngine } from '../support/engine';
import { nextEvent } from '../support/waitFor';

describe('the integration timeout', function () {
  this.timeout(60_000);

  it('reads 29 s for REST routes and 30 s (or TimeoutInMillis) for HTTP API routes', () => {
    const root = codeRoot({
      'template.yaml': [
        'Resources:',
        '  F:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Handler: app.h',
        '      Events:',
        '        A: { Type: Api, Properties: { Path: /a, Method: get } }',
        '        B: { Type: HttpApi, Properties: { Path: /b, Method: get } }',
        '        C: { Type: HttpApi, Properties: { Path: /c, Method: get, TimeoutInMillis: 5000 } }',
      ].join('\n'),
    });
    const routes = readHttpTriggers(path.join(root, 'template.yaml')).routes;
    assert.deepEqual(
      routes.map((r) => [r.path, r.timeoutMs]),
      [
        ['/a', REST_TIMEOUT_MS],
        ['/b', HTTP_API_TIMEOUT_MS],
        ['/c', 5000],
      ],
    );
  });

  it('answers 504 when the function has not responded in time', async () => {
    const root = codeRoot({
      'app.js':
        "const fs = require('node:fs'); exports.h = async (e) => { console.log('started'); while (!fs.existsSync(e.queryStringParameters.m)) await new Promise((r) => setTimeout(r, 20)); return { statusCode: 200, body: 'late' }; };",
    });
    const marker = path.join(root, 'marker');
    await withEngine({}, async ({ engine, events }) => {
      const notices: string[] = [];
      const fronts = await RunningFronts.start({
        engine,
        functions: [{ id: 'Slow', config: fn(root, 'app.h', { name: 'Slow', timeoutSeconds: 30 }) }],
        triggers: {
          routes: [
            apiRoute('Slow', {
              api: 'rest',
              apiId: 'Api',
              method: 'GET',
              path: '/slow',
              payloadFormat: '1.0',
              stage: 'Prod',
              timeoutMs: REST_TIMEOUT_MS,
            }),
          ],
          urls: [],
          warnings: [],
        },
        port: 0,
        lambdaPort: 0,
        notice: (line) => notices.push(line),
        integrationTimeoutMs: 300,
      });
      try {
        const r = await fetch(`${fronts.httpUrl}/slow?m=${encodeURIComponent(marker)}`);
        assert.equal(r.status, 504);
        assert.deepEqual(await r.json(), { message: 'Endpoint request timed out' });
        assert.ok(notices.some((n) => /integration timeout \(300 ms\): 504/.test(n)));
        const ended = nextEvent(engine, (e) => e.type === 'invocationEnded');
        fs.writeFileSync(marker, '');
        await ended;
        const started = events.find((e) => e.type === 'invocationStarted');
        assert.deepEqual(started?.type === 'invocationStarted' && started.trigger, {
          kind: 'http',
          front: 'rest',
          method: 'GET',
          path: '/slow',
          routeKey: 'GET /slow',
        });
      } finally {
        await fronts.close();
      }
    });
  });
});
