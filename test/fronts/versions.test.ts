// Versions, aliases and reserved concurrency read from a SAM template, through `serve`: the
// Invoke API (the real @aws-sdk/client-lambda and AWS CLI v2) takes `name:alias`, a version
// ARN and `Qualifier`, says which version ran in X-Amz-Executed-Version, runs the version in
// its own environments (AWS_LAMBDA_FUNCTION_VERSION, context.functionVersion and the invoked
// ARN as Lambda sets them) and answers ResourceNotFoundException for an unknown qualifier;
// the function's API route and function URL call its AutoPublishAlias. ReservedConcurrentExecutions
// (own or from Globals) throttles: TooManyRequestsException on the Invoke API, 500 through
// API Gateway (REST and HTTP APIs), 429 from a function URL; 0 throttles every call.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { codeRoot } from '../support/engine';
import { startServe, type ServeProcess } from '../support/serve';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    CodeUri: .
    ReservedConcurrentExecutions: 1
    Timeout: 20
Resources:
  AliasedFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.who
      AutoPublishAlias: live
      ReservedConcurrentExecutions: 4
      FunctionUrlConfig:
        AuthType: NONE
      Events:
        Who:
          Type: HttpApi
          Properties:
            Path: /who
            Method: GET
  SlowFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.slow
      FunctionUrlConfig:
        AuthType: NONE
      Events:
        Rest:
          Type: Api
          Properties:
            Path: /slow
            Method: GET
        Http:
          Type: HttpApi
          Properties:
            Path: /slow-http
            Method: GET
  OffFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.who
      ReservedConcurrentExecutions: 0
`;

const APP = `
const fs = require('node:fs');
let n = 0;
exports.who = async (event, context) => ({
  n: ++n,
  version: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  functionVersion: context.functionVersion,
  invokedFunctionArn: context.invokedFunctionArn,
});
exports.slow = async (event) => {
  const marker = event.marker ?? event.queryStringParameters?.m ?? event.queryStringParameters?.m;
  console.log('slow started', marker);
  while (!fs.existsSync(marker)) await new Promise((r) => setTimeout(r, 20));
  return { statusCode: 200, body: 'slow done' };
};
`;

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:AliasedFunction';

describe('versions, aliases and reserved concurrency (serve)', function () {
  this.timeout(60_000);
  let root: string;
  let serve: ServeProcess;
  let lambda: LambdaClient;

  before(async () => {
    root = codeRoot({ 'template.yaml': TEMPLATE, 'app.js': APP });
    serve = await startServe([], root);
    lambda = new LambdaClient({
      endpoint: serve.invokeApiUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      maxAttempts: 1,
    });
  });
  after(async () => {
    lambda?.destroy();
    await serve?.stop();
  });

  const who = async (input: { FunctionName: string; Qualifier?: string }) => {
    const r = await lambda.send(new InvokeCommand(input));
    assert.equal(r.StatusCode, 200);
    return { executed: r.ExecutedVersion, body: JSON.parse(text(r.Payload)) };
  };

  it('name:alias runs the alias version (1) and says so; unqualified runs $LATEST in other environments', async () => {
    const viaAlias = await who({ FunctionName: 'AliasedFunction:live' });
    assert.equal(viaAlias.executed, '1');
    assert.equal(viaAlias.body.version, '1');
    assert.equal(viaAlias.body.functionVersion, '1');
    assert.equal(viaAlias.body.invokedFunctionArn, `${ARN}:live`);

    const latest = await who({ FunctionName: 'AliasedFunction' });
    assert.equal(latest.executed, '$LATEST');
    assert.equal(latest.body.version, '$LATEST');
    assert.equal(latest.body.invokedFunctionArn, ARN);
    assert.equal(latest.body.n, 1, "$LATEST's own environment, cold");

    const viaVersion = await who({ FunctionName: `${ARN}:1` });
    assert.equal(viaVersion.executed, '1');
    assert.equal(viaVersion.body.invokedFunctionArn, `${ARN}:1`);
    assert.equal(viaVersion.body.n, viaAlias.body.n + 1, "version 1's warm environment");

    const viaQuery = await who({ FunctionName: 'AliasedFunction', Qualifier: 'live' });
    assert.equal(viaQuery.executed, '1');
  });

  it('an unknown alias or version: ResourceNotFoundException naming the qualified ARN', async () => {
    for (const input of [
      { FunctionName: 'AliasedFunction:prod' },
      { FunctionName: 'AliasedFunction', Qualifier: '2' },
      { FunctionName: 'SlowFunction:live' },
    ]) {
      await assert.rejects(
        lambda.send(new InvokeCommand(input)),
        (e: unknown) =>
          e instanceof ResourceNotFoundException &&
          e.$metadata.httpStatusCode === 404 &&
          /Function not found: arn:aws:lambda:us-east-1:123456789012:function:\w+:(prod|2|live)$/.test(e.message),
        JSON.stringify(input),
      );
    }
  });

  it("the HTTP API route and the function URL call the function's AutoPublishAlias", async () => {
    for (const url of [`${serve.httpUrl}/who`, `${serve.httpUrl}/fn/AliasedFunction/`]) {
      const r = await fetch(url);
      assert.equal(r.status, 200, url);
      const body = (await r.json()) as { version: string; invokedFunctionArn: string };
      assert.equal(body.version, '1', url);
      assert.equal(body.invokedFunctionArn, `${ARN}:live`, url);
    }
  });

  it('ReservedConcurrentExecutions 0: every invocation is throttled', async () => {
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'OffFunction' })),
      (e: unknown) =>
        e instanceof TooManyRequestsException &&
        e.$metadata.httpStatusCode === 429 &&
        e.Reason === 'ReservedFunctionConcurrentInvocationLimitExceeded',
    );
  });

  it("Globals' ReservedConcurrentExecutions 1: the Invoke API throttles, API Gateway answers 500, the URL 429", async () => {
    const marker = path.join(root, 'release');
    const first = lambda.send(new InvokeCommand({ FunctionName: 'SlowFunction', Payload: JSON.stringify({ marker }) }));
    await serve.waitForLog(`slow started ${marker}`);
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'SlowFunction', Payload: JSON.stringify({ marker }) })),
      (e: unknown) => e instanceof TooManyRequestsException,
    );
    const m = encodeURIComponent(marker);
    const rest = await fetch(`${serve.httpUrl}/slow?m=${m}`);
    assert.equal(rest.status, 500);
    assert.deepEqual(await rest.json(), { message: 'Internal server error' });
    const http = await fetch(`${serve.httpUrl}/slow-http?m=${m}`);
    assert.equal(http.status, 500);
    assert.deepEqual(await http.json(), { message: 'Internal Server Error' });
    const url = await fetch(`${serve.httpUrl}/fn/SlowFunction/?m=${m}`);
    assert.equal(url.status, 429);
    assert.match(serve.stderr(), /GET \/slow -> SlowFunction: TooManyRequestsException/);
    fs.writeFileSync(marker, '');
    assert.equal(JSON.parse(text((await first).Payload)).body, 'slow done');
  });

  it('the AWS CLI v2: --qualifier live and an unknown qualifier', function () {
    const aws = '/usr/bin/aws';
    if (spawnSync(aws, ['--version']).status !== 0) this.skip();
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    const out = path.join(root, 'cli-out.json');
    const run = (args: string[]) =>
      spawnSync(aws, ['lambda', 'invoke', '--endpoint-url', serve.invokeApiUrl, ...args, out], {
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
    const ok = run(['--function-name', 'AliasedFunction', '--qualifier', 'live']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).ExecutedVersion, '1');
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).version, '1');
    const missing = run(['--function-name', 'AliasedFunction:nope']);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /ResourceNotFoundException/);
  });
});
