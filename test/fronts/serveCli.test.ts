// The `serve` command's contract: the lines it prints (Invoke API first, a line per route
// and function URL, then "Ready."), `--port 0` / `--lambda-port 0`, usage errors that exit 2
// saying what to fix, the env file applied to every function, and Ctrl-C leaving no
// process and no temp folder behind.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processesWithVariable } from '../../scripts/lib/processes.mjs';
import { codeRoot } from '../support/engine';
import { startServe } from '../support/serve';

const CLI = path.join(__dirname, '../../dist/cli.js');

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  HelloWorldFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Hello: { Type: Api, Properties: { Path: /hello, Method: get } }
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Proxy: { Type: Api, Properties: { Path: '/{proxy+}', Method: any } }
  UrlFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.handler
      Runtime: nodejs20.x
      FunctionUrlConfig: { AuthType: NONE }
`;
const APP = `exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ greeting: process.env.GREETING ?? null }) });`;

describe('lambda-lifecycle serve', function () {
  this.timeout(60_000);

  it('prints what it serves in the documented form, serves, and leaves nothing behind on Ctrl-C', async () => {
    const root = codeRoot({
      'template.yaml': TEMPLATE,
      'app.js': APP,
      'env.json': '{"Parameters": {"GREETING": "hi from env file"}}',
    });
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-serve-base-'));
    const serve = await startServe(['--env-file', 'env.json'], root, { ...process.env, TMPDIR: base });
    try {
      const port = /:(\d+)$/.exec(serve.httpUrl)![1];
      assert.deepEqual(
        serve.lines.map((l) => l.replace(/:\d+/g, ':PORT').replace(/ +/g, ' ')),
        [
          'Invoke API http://127.0.0.1:PORT',
          'GET http://127.0.0.1:PORT/hello -> HelloWorldFunction',
          'ANY http://127.0.0.1:PORT/{proxy+} -> ApiFunction',
          'URL http://127.0.0.1:PORT/fn/UrlFunction/ -> UrlFunction',
          'Ready.',
        ],
      );
      // Methods padded to 7 columns, the arrows aligned.
      const routes = serve.lines.slice(1, 4);
      assert.ok(routes.every((l) => l.indexOf('http') === 8));
      assert.equal(new Set(routes.map((l) => l.indexOf(' -> '))).size, 1);
      assert.notEqual(port, '3000', '--port 0 picked a free port');
      for (const p of ['/hello', '/any/thing', '/fn/UrlFunction/']) {
        const r = await fetch(serve.httpUrl + p);
        assert.equal(r.status, 200, p);
        assert.deepEqual(await r.json(), { greeting: 'hi from env file' }, p);
      }
      assert.ok(processesWithVariable('LAMBDA_TASK_ROOT', root).length >= 3, 'an environment per function');
    } finally {
      await serve.stop();
    }
    assert.deepEqual(processesWithVariable('LAMBDA_TASK_ROOT', root), [], 'no environment process left');
    assert.deepEqual(fs.readdirSync(base), [], 'no temp folder left');
    fs.rmSync(base, { recursive: true, force: true });
  });

  it("gives every function template values with --parameter-overrides, and a profile's credentials", async () => {
    const root = codeRoot({
      'template.yaml': `
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: dev }
Resources:
  StageFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.handler
      Runtime: nodejs20.x
      Environment: { Variables: { STAGE: !Ref Stage, TABLE: !Sub '\${Stage}-orders' } }
      Events:
        Stage: { Type: HttpApi, Properties: { Path: /stage, Method: get } }
`,
      'app.js': `exports.handler = async () => ({ stage: process.env.STAGE, table: process.env.TABLE, key: process.env.AWS_ACCESS_KEY_ID ?? null });`,
      'aws/config': '[profile dev]\nregion = eu-west-1\n',
      'aws/credentials': '[dev]\naws_access_key_id = AKIASERVEPROFILE\naws_secret_access_key = serve-secret\n',
    });
    const env = {
      ...process.env,
      AWS_CONFIG_FILE: path.join(root, 'aws/config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'aws/credentials'),
    };
    const serve = await startServe(['--parameter-overrides', 'Stage=prod', '--profile', 'dev'], root, env);
    try {
      const r = await fetch(serve.httpUrl + '/stage');
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { stage: 'prod', table: 'prod-orders', key: 'AKIASERVEPROFILE' });
    } finally {
      await serve.stop();
    }
  });

  it('usage errors exit 2 and say what to fix', () => {
    const root = codeRoot({ 'template.yaml': TEMPLATE, 'app.js': APP });
    const run = (args: string[]) =>
      spawnSync(process.execPath, [CLI, 'serve', ...args], { cwd: root, encoding: 'utf8' });
    const badPort = run(['--port', 'x']);
    assert.equal(badPort.status, 2);
    assert.match(badPort.stderr, /--port must be a port number from 0 to 65535 \(got 'x'\)/);
    const unknownFunction = run(['--function', 'Nope']);
    assert.equal(unknownFunction.status, 2);
    assert.match(unknownFunction.stderr, /No function 'Nope' in the template/);
    const noTemplate = spawnSync(process.execPath, [CLI, 'serve'], { cwd: os.tmpdir(), encoding: 'utf8' });
    assert.equal(noTemplate.status, 2);
    assert.match(noTemplate.stderr, /No template.yaml or serverless.yml here; use --template FILE/);
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--lambda-port N/);
  });
});
