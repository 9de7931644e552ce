// Event invocations retried as Lambda retries them, through `serve` and the real AWS SDK:
// by default a failed try waits Lambda's one minute (and serve still stops at once on
// Ctrl-C, dropping the waiting event); EventInvokeConfig MaximumRetryAttempts 0 tries once;
// a throttled event goes back to the queue and is tried again after 1 s, then 2 s, without
// using up its tries; `--event-retry-delays` shortens the waits and is parsed as seconds.

import { strict as assert } from 'node:assert';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { parseServeCommandLine } from '../../src/cli/serve';
import { codeRoot } from '../support/engine';
import { startServe } from '../support/serve';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs20.x, CodeUri: ., Handler: app.fail }
Resources:
  FailFunction:
    Type: AWS::Serverless::Function
  OnceFunction:
    Type: AWS::Serverless::Function
    Properties:
      EventInvokeConfig: { MaximumRetryAttempts: 0 }
  OffFunction:
    Type: AWS::Serverless::Function
    Properties:
      ReservedConcurrentExecutions: 0
`;
const APP = `exports.fail = async (event) => { console.log('try for', event.id); throw new Error('no ' + event.id); };`;

const client = (endpoint: string) =>
  new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
const event = (FunctionName: string, id: string) =>
  new InvokeCommand({ FunctionName, InvocationType: 'Event', Payload: JSON.stringify({ id }) });

describe('Event invocation retries (serve)', function () {
  this.timeout(60_000);

  it("waits Lambda's one minute before the second try by default, and Ctrl-C does not wait for it", async () => {
    const serve = await startServe([], codeRoot({ 'template.yaml': TEMPLATE, 'app.js': APP }));
    const lambda = client(serve.invokeApiUrl);
    try {
      assert.equal((await lambda.send(event('FailFunction', 'slow'))).StatusCode, 202);
      await serve.waitForLog(/FailFunction: try 1 failed; retrying in 1 min \(try 2 of 3\)/);
      assert.equal(serve.stderr().match(/try for slow/g)?.length, 1);
    } finally {
      lambda.destroy();
      await serve.stop();
    }
  });

  it('MaximumRetryAttempts 0 tries once; a throttled event is tried again after 1 s and 2 s', async () => {
    const serve = await startServe(
      ['--event-retry-delays', '0.1,0.2'],
      codeRoot({ 'template.yaml': TEMPLATE, 'app.js': APP }),
    );
    const lambda = client(serve.invokeApiUrl);
    try {
      await lambda.send(event('OnceFunction', 'once'));
      await serve.waitForLog(/OnceFunction: the try failed; the event is dropped/);
      assert.equal(serve.stderr().match(/try for once/g)?.length, 1);

      await lambda.send(event('FailFunction', 'quick'));
      await serve.waitForLog(/FailFunction: every try failed; the event is dropped/);
      assert.match(serve.stderr(), /retrying in 0\.1 s \(try 2 of 3\)/);
      assert.match(serve.stderr(), /retrying in 0\.2 s \(try 3 of 3\)/);
      assert.equal(serve.stderr().match(/try for quick/g)?.length, 3, 'the function ran three times');

      assert.equal((await lambda.send(event('OffFunction', 'off'))).StatusCode, 202);
      await serve.waitForLog(/OffFunction: throttled; back in the queue, tried again in 2 s/);
      assert.match(serve.stderr(), /OffFunction: throttled; back in the queue, tried again in 1 s/);
    } finally {
      lambda.destroy();
      await serve.stop();
    }
  });

  it('--event-retry-delays: seconds; the default is 60,120', () => {
    const dir = codeRoot({ 'template.yaml': TEMPLATE });
    assert.deepEqual(parseServeCommandLine([], dir)?.eventRetryDelaysMs, [60_000, 120_000]);
    assert.deepEqual(parseServeCommandLine(['--event-retry-delays', '1,2.5'], dir)?.eventRetryDelaysMs, [1000, 2500]);
    assert.throws(() => parseServeCommandLine(['--event-retry-delays', 'soon'], dir), /seconds separated by commas/);
  });
});
