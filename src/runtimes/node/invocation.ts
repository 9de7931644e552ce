// Runs one invocation of the user's handler the way the AWS Node.js runtime does: builds
// the context object, calls the handler with (event, context, callback) or, for streaming
// handlers, (event, responseStream, context); honours callbackWaitsForEmptyEventLoop (the
// response waits until the event loop drains) and context.succeed/fail/done; turns a
// thrown or rejected error into an error response. Resolves once the outcome is posted.
// The 4.x generation (nodejs24.x) has none of the callback rules: the handler gets
// (event, context), whatever it returns or resolves is the response, and an event loop
// that drains before it settles ends the runtime.

import type * as http from 'node:http';
import type { NextInvocation, RuntimeClient } from './runtimeClient';
import type { HandlerMetadata, UserHandler } from './handlerLoader';
import { Headers as H } from '../../protocol/runtimeApi';
import { NodeJsExit, toLambdaError, unableToStringify } from './errors';
import { isGeneration4 } from './generation';
import { logRuntimeError } from './logPatch';
import { setTraceIdVariable } from './traceIdVariable';

const METADATA_PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

type Outcome = { kind: 'response'; value: unknown } | { kind: 'error'; error: unknown };

function parseJsonHeader(value: string | string[] | undefined, name: string): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new Error(`Cannot parse ${name} as json: ${String(error)}`, { cause: error });
  }
}

function header(next: NextInvocation, name: string): string {
  const value = next.headers[name];
  return typeof value === 'string' ? value : '';
}

/** How an invocation meets a debugger: a phase stop before the handler, and time paused. */
export interface InvocationDebugging {
  /** Calls the handler through the Invoke phase stop (phases.ts), or null to call it directly. */
  pause: (<T>(callHandler: () => T) => T) | null;
  /** Milliseconds paused in the debugger so far; Lambda's clock does not count them. */
  pausedMs: () => number;
}

const NOT_DEBUGGING: InvocationDebugging = { pause: null, pausedMs: () => 0 };

function baseContext(next: NextInvocation, requestId: string, debugging: InvocationDebugging) {
  const deadline = Number(header(next, H.deadlineMs));
  return {
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(next.headers[H.clientContext], 'ClientContext'),
    identity: parseJsonHeader(next.headers[H.cognitoIdentity], 'CognitoIdentity'),
    invokedFunctionArn: header(next, H.invokedFunctionArn),
    awsRequestId: requestId,
    tenantId: optionalHeader(next, H.tenantId),
    ...(isGeneration4 ? { xRayTraceId: optionalHeader(next, H.traceId) } : {}),
    getRemainingTimeInMillis: () => deadline + debugging.pausedMs() - Date.now(),
  };
}

function optionalHeader(next: NextInvocation, name: string): string | undefined {
  const value = next.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** Waiting for the event loop to drain. One 'beforeExit' listener serves every invocation
 * (as in the AWS runtime); a listener per invocation would pile up, each holding its
 * invocation, and Node would warn of a leak into the function's log. */
const drainWaiters = new Set<() => void>();
let listeningForDrain = false;

/** Calls `waiter` at the next 'beforeExit' (nothing is left in the event loop); returns
 * the function that stops waiting. */
function whenEventLoopDrained(waiter: () => void): () => void {
  if (!listeningForDrain) {
    listeningForDrain = true;
    process.on('beforeExit', () => {
      const waiting = [...drainWaiters];
      drainWaiters.clear();
      for (const wake of waiting) wake();
    });
  }
  drainWaiters.add(waiter);
  return () => drainWaiters.delete(waiter);
}

/** Resolves at the next 'beforeExit'. */
function eventLoopDrained(): Promise<void> {
  return new Promise((resolve) => whenEventLoopDrained(resolve));
}

/** Each 3.x context's callbackWaitsForEmptyEventLoop (a box, so the invocation reads the
 * value the handler last set), by context. */
const waitFlags = new WeakMap<object, { value: unknown }>();
/** The flag of the invocation running now: for a getter called with no context as `this`. */
let currentWaitFlag: { value: unknown } = { value: true };

function waitFlagOf(receiver: unknown): { value: unknown } {
  for (let o = receiver; typeof o === 'object' && o !== null; o = Object.getPrototypeOf(o)) {
    const flag = waitFlags.get(o);
    if (flag) return flag;
  }
  return currentWaitFlag;
}

/** context.callbackWaitsForEmptyEventLoop: an own enumerable accessor of every context, as in
 * the AWS client, but one getter and one setter for all invocations. V8 keeps an accessor
 * pair in its old generation: with new closures per invocation it held each invocation's
 * scope (its context, promises, event) through every young-generation GC until a full one,
 * some 2 KB promoted per invocation, and the old generation (so Max Memory Used) grew over
 * thousands of warm invocations. */
const WAIT_FOR_EMPTY_EVENT_LOOP = Object.getOwnPropertyDescriptor(
  {
    get callbackWaitsForEmptyEventLoop(): unknown {
      return waitFlagOf(this).value;
    },
    set callbackWaitsForEmptyEventLoop(value: unknown) {
      waitFlagOf(this).value = value;
    },
  },
  'callbackWaitsForEmptyEventLoop',
)!;

export async function runInvocation(
  client: RuntimeClient,
  handler: UserHandler,
  metadata: HandlerMetadata,
  next: NextInvocation,
  requestId: string,
  debugging: InvocationDebugging = NOT_DEBUGGING,
): Promise<void> {
  setTraceIdVariable(next.headers[H.traceId] ? header(next, H.traceId) : undefined);

  if (metadata.streaming) {
    await runStreaming(client, handler, metadata, next, requestId, debugging);
    return;
  }
  if (isGeneration4) {
    await runInvocation4(client, handler, next, requestId, debugging);
    return;
  }

  const waitForEmptyEventLoop: { value: unknown } = { value: true };
  currentWaitFlag = waitForEmptyEventLoop;
  let settle!: (outcome: Outcome, waitForLoop: boolean) => void;
  const settled = new Promise<{ outcome: Outcome; waitForLoop: boolean }>((resolve) => {
    let done = false;
    settle = (outcome, waitForLoop) => {
      if (done) return;
      done = true;
      resolve({ outcome, waitForLoop });
    };
  });
  const callback = (error: unknown, value?: unknown) => {
    if (error !== undefined && error !== null) settle({ kind: 'error', error }, false);
    else settle({ kind: 'response', value }, Boolean(waitForEmptyEventLoop.value));
  };
  const finish = (error: unknown, value?: unknown) => {
    if (error !== undefined && error !== null) settle({ kind: 'error', error }, false);
    else settle({ kind: 'response', value }, false);
  };
  // The accessor must stay an accessor: the plain fields are assigned onto the object that has it.
  const context = Object.assign(
    Object.defineProperty({}, 'callbackWaitsForEmptyEventLoop', WAIT_FOR_EMPTY_EVENT_LOOP),
    {
      succeed: (value: unknown) => finish(null, value),
      fail: (error: unknown) => finish(error ?? 'handled'),
      done: finish,
    },
    baseContext(next, requestId, debugging),
  );
  waitFlags.set(context, waitForEmptyEventLoop);

  // If the handler never completes and the event loop drains: an async handler failed to
  // settle its promise; a plain function that neither returned a promise nor called back
  // responds null, as on Lambda.
  const stopWaitingForDrain = whenEventLoopDrained(() => {
    if (metadata.isAsync) settle({ kind: 'error', error: new NodeJsExit() }, false);
    else settle({ kind: 'response', value: null }, false);
  });

  try {
    const event = JSON.parse(next.body);
    const call = () => handler(event, context, callback);
    const returned = debugging.pause ? debugging.pause(call) : call();
    if (isPromiseLike(returned)) {
      returned.then(
        (value) => finish(null, value),
        (error) => finish(error ?? 'handled'),
      );
    }
  } catch (error) {
    callback(error);
  }

  const { outcome, waitForLoop } = await settled;
  stopWaitingForDrain();
  if (outcome.kind === 'response' && waitForLoop) await eventLoopDrained();
  // A callback's response is written once the loop drained, outside the handler's call: if it
  // cannot be serialised, the error is uncaught (the runtime reports it and exits), as in 3.x.
  await post(client, requestId, outcome, waitForLoop);
}

/** 4.x: `await handler(event, context)`; the outcome is posted one turn of the event loop
 * later (a rejection left unhandled by the handler ends the runtime first, as Node's default
 * does: this generation installs no process-level error handlers). */
async function runInvocation4(
  client: RuntimeClient,
  handler: UserHandler,
  next: NextInvocation,
  requestId: string,
  debugging: InvocationDebugging,
): Promise<void> {
  const context = baseContext(next, requestId, debugging);
  // The event loop drained with the handler unsettled: the process ends (exit status 0).
  const stopWaitingForDrain = whenEventLoopDrained(() => process.exit(0));
  let outcome: Outcome;
  try {
    const event = JSON.parse(next.body);
    const call = () => handler(event, context);
    outcome = { kind: 'response', value: await (debugging.pause ? debugging.pause(call) : call()) };
  } catch (error) {
    outcome = { kind: 'error', error };
  }
  stopWaitingForDrain();
  await new Promise((resolve) => setImmediate(resolve));
  await post(client, requestId, outcome);
}

async function post(client: RuntimeClient, requestId: string, outcome: Outcome, uncaught = false): Promise<void> {
  if (outcome.kind === 'error') {
    logRuntimeError('Invoke Error', outcome.error);
    await client.postError(requestId, toLambdaError(outcome.error));
    return;
  }
  let body: string;
  try {
    body = JSON.stringify(outcome.value === undefined ? null : outcome.value);
  } catch {
    const failure = unableToStringify();
    if (uncaught) throw failure;
    logRuntimeError('Invoke Error', failure);
    await client.postError(requestId, toLambdaError(failure));
    return;
  }
  await client.postResponse(requestId, body);
}

type ResponseStream = http.ClientRequest & {
  setContentType(contentType: string): void;
  _onBeforeFirstWrite?: (write: (chunk: string | Uint8Array) => void) => void;
};

async function runStreaming(
  client: RuntimeClient,
  handler: UserHandler,
  metadata: HandlerMetadata,
  next: NextInvocation,
  requestId: string,
  debugging: InvocationDebugging,
): Promise<void> {
  const { request, done } = client.openResponseStream(requestId, metadata.highWaterMark);
  const stream = request as ResponseStream;
  stream.setContentType = (contentType: string) => stream.setHeader('content-type', contentType);
  const originalWrite = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let started = false;
  // HttpResponseStream.from() writes its metadata prelude before the first byte of body.
  const beforeFirstWrite = () => {
    if (started) return;
    started = true;
    stream._onBeforeFirstWrite?.((chunk) => originalWrite(chunk));
  };
  stream.write = ((...args: unknown[]) => {
    beforeFirstWrite();
    return originalWrite(...args);
  }) as typeof stream.write;
  const originalEnd = stream.end.bind(stream) as (...args: unknown[]) => http.ClientRequest;
  stream.end = ((...args: unknown[]) => {
    beforeFirstWrite();
    return originalEnd(...args);
  }) as typeof stream.end;

  const context = baseContext(next, requestId, debugging);
  const fail = async (error: unknown) => {
    logRuntimeError('Invoke Error', error);
    const body = toLambdaError(error);
    if (!stream.writableEnded) {
      stream.addTrailers({
        [H.functionErrorType]: body.errorType,
        [H.functionErrorBody]: Buffer.from(JSON.stringify(body)).toString('base64'),
      });
      originalEnd();
    }
    await done.catch(() => undefined);
  };
  try {
    const event = JSON.parse(next.body);
    const call = () => handler(event, stream, context);
    const returned = debugging.pause ? debugging.pause(call) : call();
    if (!isPromiseLike(returned)) {
      await fail(new Error('Streaming does not support non-async handlers.'));
      return;
    }
    await returned;
    if (!stream.writableFinished && !stream.writableEnded) {
      await fail(new Error('Response stream is not finished.'));
      return;
    }
    await done;
  } catch (error) {
    await fail(error);
  }
}

/** The `awslambda` global the AWS runtime provides to user code. */
export function installAwsLambdaGlobal(streamingSymbol: symbol, highWaterMarkSymbol: symbol): void {
  class HttpResponseStream {
    static from(underlying: ResponseStream, prelude: unknown): ResponseStream {
      underlying.setContentType(METADATA_PRELUDE_CONTENT_TYPE);
      const metadataPrelude = JSON.stringify(prelude);
      underlying._onBeforeFirstWrite = (write) => {
        write(metadataPrelude);
        write(new Uint8Array(8));
      };
      return underlying;
    }
  }
  (globalThis as Record<string, unknown>).awslambda = {
    streamifyResponse: (fn: UserHandler, options?: { highWaterMark?: number }) => {
      fn[streamingSymbol as typeof import('./handlerLoader').HANDLER_STREAMING] = 'response';
      if (typeof options?.highWaterMark === 'number') {
        fn[highWaterMarkSymbol as typeof import('./handlerLoader').HANDLER_HIGHWATERMARK] = options.highWaterMark;
      }
      return fn;
    },
    HttpResponseStream,
  };
}
