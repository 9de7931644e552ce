// CORS as a browser enforces it: a page served from another origin calls the HTTP fronts of
// `serve` from headless Chromium (Debian's, through playwright-core as the webview tests
// use it). A request that needs a preflight succeeds on a route whose API allows the page's
// origin, and the browser blocks the same request to an API without CORS rules.

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { codeRoot } from '../support/engine';
import { startServe, type ServeProcess } from '../support/serve';

const template = (origin: string) => `
Transform: AWS::Serverless-2016-10-31
Resources:
  OpenApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration:
        AllowOrigins: ['${origin}']
        AllowMethods: [GET, PUT]
        AllowHeaders: [content-type, x-client]
        ExposeHeaders: [x-request-count]
  Open:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Put:
          Type: HttpApi
          Properties: { ApiId: !Ref OpenApi, Path: /open, Method: PUT }
  Closed:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Put:
          Type: Api
          Properties: { Path: /closed, Method: PUT }
`;

const APP = `
let n = 0;
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-request-count': String(++n) },
  body: JSON.stringify({ client: (event.headers['x-client'] ?? event.headers['X-Client']) || null }),
});
`;

describe('CORS in a browser (Chromium)', function () {
  this.timeout(90_000);
  let pageServer: http.Server;
  let origin: string;
  let serve: ServeProcess;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;

  before(async function () {
    const { codeServerTools } = await import('../../scripts/lib/codeServer.mjs');
    const tools = codeServerTools();
    let chromium;
    try {
      ({ chromium } = createRequire(path.join(tools.playwright, 'package.json'))(tools.playwright));
    } catch {
      // scripts/setup.mjs installs playwright-core and Chromium; without them there is no browser to drive.
      process.stderr.write(
        'Skipping the browser CORS test: playwright-core is not installed (run scripts/setup.mjs).\n',
      );
      this.skip();
    }
    pageServer = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>app</title>');
    });
    await new Promise<void>((r) => pageServer.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    const root = codeRoot({ 'template.yaml': template(origin), 'app.js': APP });
    serve = await startServe([], root);
    browser = await chromium.launch({
      executablePath: tools.chromium,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
    pageServer?.close();
  });

  it('a preflighted PUT from an allowed origin succeeds and reads an exposed header; one to an API without CORS is blocked', async () => {
    const page = await browser.newPage();
    await page.goto(origin);
    // The page's script as text: the test's own compiled functions carry helpers the page lacks.
    const result = await page.evaluate(`(async (api) => {
      async function call(p) {
        try {
          const r = await fetch(api + p, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'x-client': 'browser' },
            body: '{}',
          });
          return { status: r.status, body: await r.json(), count: r.headers.get('x-request-count') };
        } catch (error) {
          return { blocked: String(error) };
        }
      }
      return { open: await call('/open'), closed: await call('/closed') };
    })(${JSON.stringify(serve.httpUrl)})`);
    assert.deepEqual(result.open, { status: 200, body: { client: 'browser' }, count: '1' });
    assert.match(result.closed.blocked, /TypeError: Failed to fetch/);
    await page.close();
  });
});
