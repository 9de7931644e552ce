// The Lambda Invoke API of `serve`, driven by the real AWS SDK for JavaScript v3
// (@aws-sdk/client-lambda with `endpoint`) and the real AWS CLI v2: every invocation type,
// the log tail, function errors, AWS's service errors, names as ARNs with qualifiers,
// asynchronous retries, and InvokeWithResponseStream read by the SDK's own decoder.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
  ResourceNotFoundException,
  TooManyRequestsException,
  RequestTooLargeException,
  InvalidRequestContentException,
} from '@aws-sdk/client-lambda';
import { codeRoot } from '../support/engine';
import { startServe, type ServeProcess } from '../support/serve';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.echo
      Runtime: nodejs20.x
  FailFunction:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: fail-fn
      CodeUri: .
      Handler: app.fail
      Runtime: nodejs20.x
  SlowFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.slow
      Runtime: nodejs20.x
      Timeout: 20
  StreamFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.stream
      Runtime: nodejs20.x
  GatedStreamFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.gatedStream
      Runtime: nodejs20.x
      Timeout: 20
`;

const APP = `
const fs = require('node:fs');
let n = 0;
exports.echo = async (event, context) => {
  n++;
  console.log('echo invocation', n);
  return { n, event, functionName: context.functionName, clientContext: context.clientContext ?? null };
};
exports.fail = async (event) => {
  console.log('fail try for', event.id);
  throw new TypeError('broken ' + event.id);
};
exports.slow = async (event) => {
  console.log('slow started', event.marker);
  while (!fs.existsSync(event.marker)) await new Promise((r) => setTimeout(r, 20));
  return 'slow done';
};
exports.gatedStream = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write('before the gate;');
  while (!fs.existsSync(event.gate)) await new Promise((r) => setTimeout(r, 20));
  responseStream.end('after the gate');
});
exports.stream = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write('part one, ');
  responseStream.write('part two');
  responseStream.end();
});
`;

const client = (endpoint: string) =>
  new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('the Lambda Invoke API (serve --lambda-port)', function () {
  this.timeout(60_000);
  let root: string;
  let serve: ServeProcess;
  let lambda: LambdaClient;

  before(async () => {
    root = codeRoot({ 'template.yaml': TEMPLATE, 'app.js': APP });
    serve = await startServe(['--reserved', '1', '--event-retry-delays', '1,2'], root);
    lambda = client(serve.invokeApiUrl);
  });
  after(async () => {
    lambda?.destroy();
    await serve?.stop();
  });

  it('prints the Invoke API address first and listens on 127.0.0.1', () => {
    assert.match(serve.lines[0], /^Invoke API {2}http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(serve.lines.at(-1), 'Ready.');
  });

  it('RequestResponse: the result, warm on the second call, with the executed version and a log tail', async () => {
    const first = await lambda.send(
      new InvokeCommand({ FunctionName: 'EchoFunction', Payload: payload({ a: 1 }), LogType: 'Tail' }),
    );
    assert.equal(first.StatusCode, 200);
    assert.equal(first.ExecutedVersion, '$LATEST');
    assert.equal(first.FunctionError, undefined);
    const body = JSON.parse(text(first.Payload));
    assert.deepEqual(body.event, { a: 1 });
    assert.equal(body.functionName, 'EchoFunction');
    const tail = Buffer.from(first.LogResult!, 'base64').toString('utf8');
    assert.match(tail, /START RequestId: /);
    assert.match(tail, /echo invocation/);
    assert.match(tail, /REPORT RequestId: .*Init Duration/);

    const second = await lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: payload({ a: 2 }) }));
    assert.equal(JSON.parse(text(second.Payload)).n, body.n + 1, 'the same warm environment');
    assert.equal(second.LogResult, undefined);
  });

  it('takes the function as a name, an ARN or a partial ARN, with :$LATEST', async () => {
    for (const name of [
      'arn:aws:lambda:us-east-1:123456789012:function:EchoFunction',
      '123456789012:function:EchoFunction',
      'EchoFunction:$LATEST',
      'arn:aws:lambda:us-east-1:123456789012:function:EchoFunction:$LATEST',
    ]) {
      const r = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload({}) }));
      assert.equal(r.StatusCode, 200, name);
    }
  });

  it('passes the client context to the function', async () => {
    const context = { custom: { from: 'test' } };
    const r = await lambda.send(
      new InvokeCommand({
        FunctionName: 'EchoFunction',
        ClientContext: Buffer.from(JSON.stringify(context)).toString('base64'),
      }),
    );
    const clientContext = JSON.parse(text(r.Payload)).clientContext;
    assert.deepEqual(clientContext.custom ?? clientContext.Custom, { from: 'test' });
  });

  it('a function error: 200 with X-Amz-Function-Error Unhandled and the error as payload (by FunctionName too)', async () => {
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'fail-fn', Payload: payload({ id: 'x' }) }));
    assert.equal(r.StatusCode, 200);
    assert.equal(r.FunctionError, 'Unhandled');
    const error = JSON.parse(text(r.Payload));
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.errorMessage, 'broken x');
    assert.ok(Array.isArray(error.trace));
  });

  it('DryRun: 204 without running the function', async () => {
    const before = serve.stderr().length;
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', InvocationType: 'DryRun' }));
    assert.equal(r.StatusCode, 204);
    assert.doesNotMatch(serve.stderr().slice(before), /START RequestId/);
  });

  it('Event: 202 at once, then the function runs and a failing one is retried twice, each try in the logs', async () => {
    const r = await lambda.send(
      new InvokeCommand({ FunctionName: 'FailFunction', InvocationType: 'Event', Payload: payload({ id: 'async1' }) }),
    );
    assert.equal(r.StatusCode, 202);
    await serve.waitForLog(/every try failed; the event is dropped/, 30_000);
    const tries = serve.stderr().match(/fail try for async1/g) ?? [];
    assert.equal(tries.length, 3);
    assert.match(serve.stderr(), /retrying in 1 s \(try 2 of 3\)/);
    assert.match(serve.stderr(), /retrying in 2 s \(try 3 of 3\)/);
  });

  it('AWS errors: ResourceNotFoundException, InvalidRequestContentException, RequestTooLargeException', async () => {
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'NoSuchFunction' })),
      (e: unknown) =>
        e instanceof ResourceNotFoundException &&
        e.$metadata.httpStatusCode === 404 &&
        /Function not found: arn:aws:lambda:us-east-1:123456789012:function:NoSuchFunction/.test(e.message),
    );
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction:live' })),
      (e: unknown) => e instanceof ResourceNotFoundException,
    );
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: Buffer.from('{"a":') })),
      (e: unknown) => e instanceof InvalidRequestContentException && e.$metadata.httpStatusCode === 400,
    );
    const big = Buffer.from(JSON.stringify({ s: 'x'.repeat(6 * 1024 * 1024) }));
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', Payload: big })),
      (e: unknown) => e instanceof RequestTooLargeException && e.$metadata.httpStatusCode === 413,
    );
    const bigEvent = Buffer.from(JSON.stringify({ s: 'x'.repeat(1024 * 1024) }));
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'EchoFunction', InvocationType: 'Event', Payload: bigEvent })),
      (e: unknown) => e instanceof RequestTooLargeException,
    );
  });

  it('TooManyRequestsException past the reserved concurrency (429)', async () => {
    const marker = path.join(root, 'release-slow');
    const first = lambda.send(new InvokeCommand({ FunctionName: 'SlowFunction', Payload: payload({ marker }) }));
    await serve.waitForLog(`slow started ${marker}`);
    await assert.rejects(
      lambda.send(new InvokeCommand({ FunctionName: 'SlowFunction', Payload: payload({ marker }) })),
      (e: unknown) =>
        e instanceof TooManyRequestsException &&
        e.$metadata.httpStatusCode === 429 &&
        e.Reason === 'ReservedFunctionConcurrentInvocationLimitExceeded',
    );
    fs.writeFileSync(marker, '');
    assert.equal(JSON.parse(text((await first).Payload)), 'slow done');
  });

  it('InvokeWithResponseStream: the SDK reads the chunks and InvokeComplete', async () => {
    const r = await lambda.send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'StreamFunction', Payload: payload({}), LogType: 'Tail' }),
    );
    assert.equal(r.StatusCode, 200);
    assert.equal(r.ExecutedVersion, '$LATEST');
    let streamed = '';
    let complete: { ErrorCode?: string; LogResult?: string } | undefined;
    for await (const event of r.EventStream!) {
      if (event.PayloadChunk?.Payload) streamed += text(event.PayloadChunk.Payload);
      if (event.InvokeComplete) complete = event.InvokeComplete;
    }
    assert.equal(streamed, 'part one, part two');
    assert.ok(complete);
    assert.equal(complete.ErrorCode, undefined);
    assert.match(Buffer.from(complete.LogResult!, 'base64').toString('utf8'), /REPORT RequestId/);
  });

  it('InvokeWithResponseStream streams: the first chunk arrives while the function still runs', async () => {
    const gate = path.join(root, 'stream-gate');
    const r = await lambda.send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'GatedStreamFunction', Payload: payload({ gate }) }),
    );
    const chunks: string[] = [];
    for await (const event of r.EventStream!) {
      if (!event.PayloadChunk?.Payload) continue;
      chunks.push(text(event.PayloadChunk.Payload));
      // The function waits for this file: only a response streamed as written gets here.
      if (chunks.length === 1) fs.writeFileSync(gate, '');
    }
    assert.deepEqual(chunks, ['before the gate;', 'after the gate']);
  });

  it('InvokeWithResponseStream of a failing function ends with InvokeComplete carrying the error', async () => {
    const r = await lambda.send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'FailFunction', Payload: payload({ id: 's' }) }),
    );
    let complete: { ErrorCode?: string; ErrorDetails?: string } | undefined;
    for await (const event of r.EventStream!) if (event.InvokeComplete) complete = event.InvokeComplete;
    assert.equal(complete?.ErrorCode, 'TypeError');
    assert.match(complete?.ErrorDetails ?? '', /broken s/);
  });

  describe('with the AWS CLI v2 (Debian awscli)', () => {
    const aws = '/usr/bin/aws';
    const awsEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
    before(function () {
      const version = spawnSync(aws, ['--version'], { encoding: 'utf8' });
      if (version.status !== 0 || !/aws-cli\/2\./.test(version.stdout + version.stderr)) {
        // Installed by scripts/setup.mjs (Debian's awscli); without it there is nothing to drive.
        process.stderr.write(`Skipping the AWS CLI tests: ${aws} is not the AWS CLI v2 (run scripts/setup.mjs).\n`);
        this.skip();
      }
    });
    const run = (args: string[]) =>
      spawnSync(aws, ['lambda', 'invoke', '--endpoint-url', serve.invokeApiUrl, ...args], {
        encoding: 'utf8',
        env: awsEnv,
        timeout: 60_000,
      });

    it('aws lambda invoke: the result file, the status and the log tail', () => {
      const out = path.join(root, 'cli-out.json');
      const r = run([
        '--function-name',
        'EchoFunction',
        '--cli-binary-format',
        'raw-in-base64-out',
        '--payload',
        '{"from":"cli"}',
        '--log-type',
        'Tail',
        out,
      ]);
      assert.equal(r.status, 0, r.stderr);
      const response = JSON.parse(r.stdout);
      assert.equal(response.StatusCode, 200);
      assert.equal(response.ExecutedVersion, '$LATEST');
      assert.match(Buffer.from(response.LogResult, 'base64').toString(), /echo invocation/);
      assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')).event, { from: 'cli' });
    });

    it('aws lambda invoke: a function error and an unknown function', () => {
      const out = path.join(root, 'cli-err.json');
      const failed = run(['--function-name', 'fail-fn', out]);
      assert.equal(failed.status, 0, failed.stderr);
      assert.equal(JSON.parse(failed.stdout).FunctionError, 'Unhandled');
      const missing = run(['--function-name', 'Nope', out]);
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /ResourceNotFoundException/);
    });

    it('aws lambda invoke --invocation-type Event and DryRun', () => {
      const out = path.join(root, 'cli-event.json');
      assert.equal(
        JSON.parse(run(['--function-name', 'EchoFunction', '--invocation-type', 'Event', out]).stdout).StatusCode,
        202,
      );
      assert.equal(
        JSON.parse(run(['--function-name', 'EchoFunction', '--invocation-type', 'DryRun', out]).stdout).StatusCode,
        204,
      );
    });
  });
});
