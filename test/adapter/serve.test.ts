// A debug session that serves (launch `"serve"`): the standalone adapter over DAP, hit by
// HTTP and the Invoke API. A request that arrives while its environment is stopped on the
// Invoke phase waits, gets its response after Continue, and the function's clock does not
// count the stop; a request while that environment is busy starts a second environment (a
// second thread); the engine's events carry each invocation's trigger. The template's other
// functions are served too, without the debugger: no thread, no phase stop, their logs in
// the Debug Console.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ServingEventBody } from '../../src/protocol/debugProtocol';
import type { EngineEvent } from '../../src/protocol/engineEvents';
import { codeRoot } from '../support/engine';
import { waitFor } from '../support/waitFor';

const ADAPTER = path.resolve(__dirname, '..', '..', 'dist', 'debugAdapter.js');

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.handler
      Runtime: nodejs20.x
      Timeout: 2
      Events:
        Get:
          Type: HttpApi
          Properties: { Path: '/orders/{id}', Method: GET }
  StockFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Handler: app.stock
      Runtime: nodejs20.x
      Events:
        Get:
          Type: HttpApi
          Properties: { Path: /stock, Method: GET }
`;
const HANDLER = `
exports.handler = async (event, context) => ({
  id: event.pathParameters ? event.pathParameters.id : null,
  remaining: context.getRemainingTimeInMillis(),
  pid: process.pid,
});
exports.stock = async () => {
  console.log('stock counted');
  return { stock: 3 };
};
`;

describe('a debug session that serves (launch "serve")', function () {
  this.timeout(60_000);
  let dc: DebugClient;
  let root: string;
  const engineEvents: EngineEvent[] = [];
  const outputs: string[] = [];

  beforeEach(async () => {
    root = codeRoot({ 'template.yaml': TEMPLATE, 'app.js': HANDLER });
    dc = new DebugClient('node', ADAPTER, 'lambda');
    engineEvents.length = 0;
    dc.on('lambda/engineEvent', (e: DebugProtocol.Event) => engineEvents.push(e.body as EngineEvent));
    outputs.length = 0;
    dc.on('output', (e: DebugProtocol.Event) => outputs.push(String((e as DebugProtocol.OutputEvent).body.output)));
    await dc.start();
    await dc.initializeRequest({ adapterID: 'lambda', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  });
  afterEach(async () => {
    await dc.stop();
  });

  async function launchServing(filters: DebugProtocol.ExceptionFilterOptions[]): Promise<ServingEventBody> {
    const serving = dc.waitForEvent('lambda/serving', 20_000);
    const launched = dc.launchRequest({
      template: path.join(root, 'template.yaml'),
      function: 'OrdersFunction',
      cwd: root,
      serve: { port: 0, lambdaPort: 0 },
    } as DebugProtocol.LaunchRequestArguments);
    await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: filters });
    await dc.configurationDoneRequest();
    await launched;
    return (await serving).body as ServingEventBody;
  }

  it('announces what it serves and answers HTTP and Invoke API calls without stopping when no phase breakpoint is set', async () => {
    const serving = await launchServing([]);
    assert.match(serving.lines[0], /^Invoke API {2}http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(
      serving.lines.some((l) => /^GET\s+http:\/\/127\.0\.0\.1:\d+\/orders\/\{id\}\s+-> OrdersFunction$/.test(l)),
    );
    const r = await fetch(`${serving.httpUrl}/orders/5`);
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { id: string }).id, '5');
    const invoked = await fetch(`${serving.invokeApiUrl}/2015-03-31/functions/OrdersFunction/invocations`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(invoked.status, 200);
    const triggersOf = () => engineEvents.flatMap((e) => (e.type === 'invocationStarted' ? [e.trigger] : []));
    // Engine events reach the DAP client on their own stream: the response can come first.
    await waitFor(() => triggersOf().length >= 2, { message: 'two invocations started' });
    assert.deepEqual(triggersOf(), [
      { kind: 'http', front: 'http', method: 'GET', path: '/orders/5', routeKey: 'GET /orders/{id}' },
      { kind: 'invokeApi', invocationType: 'RequestResponse', attempt: 1 },
    ]);
  });

  it("serves the template's other functions without debugging them", async () => {
    const serving = await launchServing([{ filterId: 'invoke' }]);
    assert.ok(serving.lines.some((l) => /^GET\s+http:\/\/127\.0\.0\.1:\d+\/stock\s+-> StockFunction$/.test(l)));
    const r = await fetch(`${serving.httpUrl}/stock`);
    assert.equal(r.status, 200, 'answered although the Invoke phase filter is on: StockFunction is not debugged');
    assert.deepEqual(await r.json(), { stock: 3 });
    await waitFor(() => outputs.some((o) => o.includes('stock counted')), {
      message: "StockFunction's log in the Debug Console",
    });
    assert.equal((await dc.threadsRequest()).body.threads.length, 0, 'no thread for it');
    const invoked = await fetch(`${serving.invokeApiUrl}/2015-03-31/functions/StockFunction/invocations`, {
      method: 'POST',
    });
    assert.deepEqual(await invoked.json(), { stock: 3 });
  });

  it('a request stopped on the Invoke phase waits for Continue, its clock paused; an overlapping one gets a second environment', async () => {
    const serving = await launchServing([{ filterId: 'invoke' }]);
    let answered = false;
    const first = fetch(`${serving.httpUrl}/orders/1`).then(async (r) => {
      answered = true;
      return { status: r.status, body: (await r.json()) as { remaining: number; pid: number } };
    });
    const stop1 = (await dc.waitForEvent('stopped', 20_000)) as DebugProtocol.StoppedEvent;
    assert.equal(stop1.body.description, 'Paused on the Invoke phase');
    // While env 1 is stopped, a second request arrives, starts a second environment and stops there too.
    const second = fetch(`${serving.httpUrl}/orders/2`).then(async (r) => (await r.json()) as { pid: number });
    const stop2 = (await dc.waitForEvent('stopped', 20_000)) as DebugProtocol.StoppedEvent;
    assert.notEqual(stop2.body.threadId, stop1.body.threadId, 'a second environment, a second thread');
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.length, 2);
    assert.equal(answered, false, 'the first request waits while its environment is stopped');

    await dc.continueRequest({ threadId: stop1.body.threadId! });
    const one = await first;
    assert.equal(one.status, 200);
    // The adapter's own suite checks the paused clock at length; here: the time stopped while the
    // second environment started did not come out of the function's 2 s.
    assert.ok(one.body.remaining > 1500, `the stop did not count: ${one.body.remaining} ms left`);
    await dc.continueRequest({ threadId: stop2.body.threadId! });
    const two = await second;
    assert.notEqual(two.pid, one.body.pid);
  });
});
