// The Lambda Invoke API as the Lambda service serves it, so the AWS SDK and the AWS CLI call
// local functions unchanged (`endpoint` / `--endpoint-url`):
//   POST /2015-03-31/functions/{FunctionName}/invocations                     Invoke
//   POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations  InvokeWithResponseStream
// Invocation types RequestResponse, Event (202, run in the background with retries) and
// DryRun (204); `X-Amz-Log-Type: Tail`; `X-Amz-Function-Error: Unhandled`; AWS's JSON errors.
// A `:qualifier` (or `?Qualifier=`) names $LATEST, a published version or an alias; the
// version that ran comes back in `X-Amz-Executed-Version`.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LIMITS } from '../config/functionConfig';
import { InvokeRejectedError, type PoolInvocationResult } from '../engine/pool';
import { sendServiceError } from './awsErrors';
import type { AsyncInvocations } from './asyncInvocations';
import { invokeComplete, payloadChunk } from './eventStream';
import { functionArn, parseFunctionReference } from './functionName';
import { logTail } from './logTail';
import { readBody } from './readBody';
import { versionNamed, type InvokeTarget } from './servedFunctions';

/** Lambda's limit for an asynchronous (Event) payload: 1 MB, as the Invoke API reference says
 * (256 KB is the old limit, still the deprecated InvokeAsync's). */
export const ASYNC_PAYLOAD_BYTES = 1024 * 1024;

const ROUTE = /^\/(2015-03-31|2021-11-15)\/functions\/([^/]+)\/(invocations|response-streaming-invocations)\/?$/;

type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export function createInvokeApi(target: InvokeTarget, background: AsyncInvocations) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(target, background, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendServiceError(res, 'ServiceException', (error as Error).message, randomUUID());
      else res.destroy();
    });
  };
}

async function handle(
  target: InvokeTarget,
  background: AsyncInvocations,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = ROUTE.exec(url.pathname);
  if (!route || req.method !== 'POST') {
    req.resume();
    res.writeHead(404, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'UnknownOperationException' });
    res.end(JSON.stringify({ Type: 'User', message: `Unknown operation ${req.method} ${url.pathname}` }));
    return;
  }
  const streaming = route[3] === 'response-streaming-invocations';
  const rawName = decodeURIComponent(route[2]);
  const invocationType = (header(req, 'x-amz-invocation-type') ?? 'RequestResponse') as InvocationType;
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType) || (streaming && invocationType === 'Event')) {
    req.resume();
    sendServiceError(
      res,
      'InvalidParameterValueException',
      `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
      requestId,
    );
    return;
  }

  const reference = parseFunctionReference(rawName, url.searchParams.get('Qualifier'));
  const fn = reference ? target.find(reference.name) : undefined;
  const arn = functionArn(target.region, target.accountId, reference?.name ?? rawName, reference?.qualifier);
  const version = fn ? versionNamed(fn.config, reference?.qualifier) : null;
  if (!reference || !fn || version === null) {
    req.resume();
    sendServiceError(res, 'ResourceNotFoundException', `Function not found: ${arn}`, requestId);
    return;
  }
  const qualifier = reference.qualifier ?? undefined;

  const limit = invocationType === 'Event' ? ASYNC_PAYLOAD_BYTES : LIMITS.syncPayloadBytes;
  const read = await readBody(req, limit);
  if (!read.ok) {
    sendServiceError(
      res,
      'RequestTooLargeException',
      `Request must be smaller than ${limit} bytes for the ${streaming ? 'InvokeWithResponseStream' : 'InvokeFunction'} operation`,
      requestId,
    );
    return;
  }
  const payload = read.body.length === 0 ? '{}' : read.body.toString('utf8');
  try {
    JSON.parse(payload);
  } catch (error) {
    sendServiceError(
      res,
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message}`,
      requestId,
    );
    return;
  }

  if (invocationType === 'DryRun') {
    res.writeHead(204, { 'x-amzn-RequestId': requestId });
    res.end();
    return;
  }
  if (invocationType === 'Event') {
    background.enqueue(fn, payload, requestId, qualifier);
    res.writeHead(202, { 'x-amzn-RequestId': requestId, 'Content-Length': 0 });
    res.end();
    return;
  }

  // InvokeWithResponseStream: each piece a streaming function writes goes out as it comes.
  let streamedBytes = 0;
  const onResponseChunk = (chunk: Buffer) => {
    if (!res.headersSent) startStream(res, requestId, version);
    streamedBytes += chunk.length;
    res.write(payloadChunk(chunk));
  };
  let result: PoolInvocationResult;
  try {
    result = await target.invoke(fn, payload, {
      ...(streaming ? { onResponseChunk } : {}),
      clientContext: clientContextOf(req),
      qualifier,
      trigger: { kind: 'invokeApi', invocationType: streaming ? 'Stream' : 'RequestResponse', attempt: 1 },
    });
  } catch (error) {
    if (error instanceof InvokeRejectedError) {
      const extra =
        error.errorType === 'TooManyRequestsException'
          ? { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }
          : {};
      const type = error.errorType === 'RequestEntityTooLargeException' ? 'RequestTooLargeException' : error.errorType;
      sendServiceError(res, type, error.message, requestId, extra);
      return;
    }
    throw error;
  }
  const tail = header(req, 'x-amz-log-type') === 'Tail' ? logTail(result.logs) : undefined;
  if (streaming) sendStream(res, result, version, tail, streamedBytes > 0);
  else sendResult(res, result, version, tail);
}

function responseBytes(result: PoolInvocationResult): Buffer {
  if (result.status !== 'success') return Buffer.from(JSON.stringify(result.error));
  return result.responseBody ?? Buffer.from(JSON.stringify(result.result ?? null));
}

function sendResult(res: ServerResponse, result: PoolInvocationResult, version: string, tail: string | undefined) {
  const body = responseBytes(result);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    'x-amzn-RequestId': result.requestId,
    'X-Amz-Executed-Version': version,
    ...(result.status !== 'success' ? { 'X-Amz-Function-Error': 'Unhandled' } : {}),
    ...(tail !== undefined ? { 'X-Amz-Log-Result': tail } : {}),
  });
  res.end(body);
}

function startStream(res: ServerResponse, requestId: string, version: string): void {
  res.writeHead(200, {
    'Content-Type': 'application/vnd.amazon.eventstream',
    'x-amzn-RequestId': requestId,
    'X-Amz-Executed-Version': version,
    'Transfer-Encoding': 'chunked',
  });
}

function sendStream(
  res: ServerResponse,
  result: PoolInvocationResult,
  version: string,
  tail: string | undefined,
  streamed: boolean,
) {
  if (!res.headersSent) startStream(res, result.requestId, version);
  if (result.status === 'success') {
    // A function that did not stream (a buffered handler) sends its whole response as one chunk.
    const body = streamed ? Buffer.alloc(0) : responseBytes(result);
    if (body.length > 0) res.write(payloadChunk(body));
    res.end(invokeComplete(tail !== undefined ? { LogResult: tail } : {}));
  } else {
    res.end(
      invokeComplete({
        ErrorCode: result.error?.errorType ?? 'Unhandled',
        ErrorDetails: JSON.stringify(result.error),
        ...(tail !== undefined ? { LogResult: tail } : {}),
      }),
    );
  }
}

function clientContextOf(req: IncomingMessage): string | undefined {
  const encoded = header(req, 'x-amz-client-context');
  return encoded ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
