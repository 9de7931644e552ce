// API Gateway (REST and HTTP APIs) and function URLs on one port: routes a request as API
// Gateway does, builds the event of the route's payload format, invokes the function in
// its warm pool, maps the result back to HTTP (502 for a malformed response or a function
// error, 504 past the integration timeout, 500 when Lambda throttles (429 from a function
// URL)), answers CORS preflights. A route's Lambda authorizer runs first (authorizers.ts);
// an AWS_IAM function URL takes only SigV4-signed requests (iamAuth.ts).
// Function URLs are served under /fn/{FunctionId}/.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionUrlDefinition, HttpRouteDefinition, HttpTriggers } from '../config/httpEvents';
import { InvokeRejectedError, type PoolInvocationResult } from '../engine/pool';
import type { InvocationTrigger } from '../protocol/engineEvents';
import { eventV1, eventV2, routeKeyOf, type EventContext } from './apiEvents';
import { Authorizers } from './authorizers';
import { checkSigV4 } from './iamAuth';
import { mapFunctionResult, splitStreamedResponse, type HttpResponseOut, type MappedResponse } from './apiResponses';
import { isPreflight, preflightHeaders, responseCorsHeaders } from './cors';
import { headerValue, requestInfo, type HttpRequestInfo } from './httpRequest';
import { apiIdOf, functionUrlIdOf } from './localIds';
import { readBody } from './readBody';
import { RouteTable } from './routeTable';
import { StreamedResponseWriter } from './streamedResponse';
import { triggerQualifier, type InvokeTarget, type ServedFunction } from './servedFunctions';

/** API Gateway's payload limit (Lambda's 6 MB applies after it). */
const API_PAYLOAD_BYTES = 10 * 1024 * 1024;
export const FUNCTION_URL_PREFIX = '/fn/';

export interface HttpFrontOptions {
  /** Lines for the user: malformed responses, why a request failed. */
  notice(line: string): void;
  /** Overrides every route's integration timeout; null turns it off (a debug session pauses). */
  integrationTimeoutMs?: number | null;
}

type Target =
  | { kind: 'route'; route: HttpRouteDefinition; pathParameters: Record<string, string> | null }
  | { kind: 'url'; url: FunctionUrlDefinition; rawPath: string };

const json = (message: string) => Buffer.from(JSON.stringify({ message }));

export class HttpFront {
  readonly table: RouteTable;
  private readonly urls = new Map<string, FunctionUrlDefinition>();
  private readonly authorizers: Authorizers;

  constructor(
    private readonly target: InvokeTarget,
    triggers: HttpTriggers,
    private readonly options: HttpFrontOptions,
  ) {
    this.authorizers = new Authorizers(target, options.notice);
    const served = (id: string) => target.find(id) !== undefined;
    this.table = new RouteTable(triggers.routes.filter((r) => served(r.functionId)));
    for (const url of triggers.urls) if (served(url.functionId)) this.urls.set(url.functionId, url);
  }

  get functionUrls(): FunctionUrlDefinition[] {
    return [...this.urls.values()];
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((error: unknown) => {
      this.options.notice(`HTTP front: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, { statusCode: 500, headers: {}, body: json('Internal server error') });
      else res.destroy();
    });
  };

  private resolve(method: string, rawPath: string): Target | null {
    if (rawPath.startsWith(FUNCTION_URL_PREFIX)) {
      const rest = rawPath.slice(FUNCTION_URL_PREFIX.length);
      const slash = rest.indexOf('/');
      const id = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
      const url = this.urls.get(id);
      if (url) return { kind: 'url', url, rawPath: slash === -1 ? '/' : rest.slice(slash) };
    }
    const match = this.table.match(method, rawPath);
    return match ? { kind: 'route', route: match.route, pathParameters: match.pathParameters } : null;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readBody(req, API_PAYLOAD_BYTES);
    const request = requestInfo(req, read.ok ? read.body : Buffer.alloc(0));
    const origin = headerValue(request, 'origin');

    if (isPreflight(request.method, lowerHeaders(request))) {
      const answered = await this.preflight(request, origin!);
      if (answered) return send(res, answered);
    }
    const target = this.resolve(request.method, request.rawPath);
    if (!target) {
      const rest = this.table.hasRestApi && this.table.routes.every((r) => r.api === 'rest');
      return send(res, {
        statusCode: rest ? 403 : 404,
        headers: { 'Content-Type': ['application/json'] },
        body: json(rest ? 'Missing Authentication Token' : 'Not Found'),
      });
    }
    if (!read.ok) {
      return send(res, { statusCode: 413, headers: {}, body: json('Request Entity Too Large') });
    }
    const functionId = target.kind === 'url' ? target.url.functionId : target.route.functionId;
    const fn = this.target.find(functionId)!;
    const cors = target.kind === 'url' ? target.url.cors : target.route.api === 'http' ? target.route.cors : null;
    const corsHeaders = cors ? responseCorsHeaders(cors, origin) : {};
    const streaming = target.kind === 'url' && target.url.invokeMode === 'RESPONSE_STREAM';
    const writer = streaming ? new StreamedResponseWriter(res, corsHeaders) : null;
    const response = await this.invoke(fn, target, request, writer);
    if (writer?.end()) return;
    for (const [name, value] of Object.entries(corsHeaders))
      if (!hasHeader(response, name)) response.headers[name] = [value];
    send(res, response);
  }

  private async preflight(request: HttpRequestInfo, origin: string): Promise<HttpResponseOut | null> {
    const method = headerValue(request, 'access-control-request-method')!.toUpperCase();
    const target = this.resolve(method, request.rawPath);
    const cors = !target ? null : target.kind === 'url' ? target.url.cors : target.route.cors;
    if (!target || !cors) return null;
    // SAM puts a REST API's DefaultAuthorizer on its CORS OPTIONS methods too
    // (AddDefaultAuthorizerToCorsPreflight, true unless set false): a preflight without the
    // identity is refused as any request would be.
    const guard = target.kind === 'route' ? target.route.preflightAuthorizer : null;
    if (target.kind === 'route' && guard) {
      const route = target.route;
      const ctx = this.eventContext(request, apiIdOf(route.apiId), `execute-api.${this.target.region}.amazonaws.com`);
      const outcome = await this.authorizers.authorize(
        { ...route, authorizer: guard },
        request,
        target.pathParameters,
        ctx,
      );
      if (!outcome.ok) return outcome.response;
    }
    const headers = preflightHeaders(cors, origin, headerValue(request, 'access-control-request-headers'));
    const rest = target.kind === 'route' && target.route.api === 'rest';
    const out: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(headers ?? {})) out[name] = [value];
    return { statusCode: rest ? 200 : 204, headers: out, body: Buffer.alloc(0) };
  }

  private eventContext(request: HttpRequestInfo, apiId: string, domainSuffix: string): EventContext {
    const host = headerValue(request, 'host') ?? '127.0.0.1';
    return {
      accountId: this.target.accountId,
      region: this.target.region,
      apiId,
      domainName: host.includes('127.0.0.1') || host.includes('localhost') ? host : `${apiId}.${domainSuffix}`,
    };
  }

  private async invoke(
    fn: ServedFunction,
    target: Target,
    request: HttpRequestInfo,
    writer: StreamedResponseWriter | null,
  ): Promise<HttpResponseOut> {
    let event: unknown;
    let format: '1.0' | '2.0';
    let trigger: InvocationTrigger;
    let timeoutMs: number | null;
    const region = this.target.region;
    const rest = target.kind === 'route' && target.route.api === 'rest';
    let authorizer: Record<string, unknown> | null = null;
    if (target.kind === 'url') {
      const id = functionUrlIdOf(fn.id);
      const ctx = this.eventContext(request, id, `lambda-url.${region}.on.aws`);
      if (target.url.authType === 'AWS_IAM') {
        const check = checkSigV4(request, region);
        if (!check.ok) {
          this.options.notice(`${describe(request)} -> ${fn.id}: AWS_IAM function URL: ${check.reason}: 403.`);
          return {
            statusCode: 403,
            headers: { ...jsonType(), 'x-amzn-ErrorType': ['AccessDeniedException'] },
            body: Buffer.from(JSON.stringify({ Message: 'Forbidden' })),
          };
        }
        authorizer = { iam: iamIdentity(check.accessKey, this.target.accountId) };
      }
      event = eventV2(request, { routeKey: '$default', stage: '$default' }, null, ctx, target.rawPath);
      format = '2.0';
      trigger = { kind: 'http', front: 'url', method: request.method, path: request.rawPath, routeKey: '$default' };
      timeoutMs = null;
    } else {
      const route = target.route;
      const ctx = this.eventContext(request, apiIdOf(route.apiId), `execute-api.${region}.amazonaws.com`);
      if (route.authorizer) {
        const outcome = await this.authorizers.authorize(
          { ...route, authorizer: route.authorizer },
          request,
          target.pathParameters,
          ctx,
        );
        if (!outcome.ok) return outcome.response;
        authorizer = outcome.authorizer;
      }
      format = route.payloadFormat;
      event =
        format === '1.0'
          ? eventV1(request, route, target.pathParameters, ctx)
          : eventV2(
              request,
              { routeKey: routeKeyOf(route), stage: route.stage, stageVariables: route.stageVariables },
              target.pathParameters,
              ctx,
            );
      trigger = {
        kind: 'http',
        front: route.api,
        method: request.method,
        path: request.rawPath,
        routeKey: routeKeyOf(route),
      };
      timeoutMs = this.options.integrationTimeoutMs === undefined ? route.timeoutMs : this.options.integrationTimeoutMs;
    }
    if (authorizer) (event as { requestContext: Record<string, unknown> }).requestContext.authorizer = authorizer;
    const invocation = this.target.invoke(fn, JSON.stringify(event), {
      trigger,
      qualifier: triggerQualifier(fn),
      ...(writer ? { onResponseChunk: (chunk: Buffer) => writer.write(chunk) } : {}),
    });
    let result: PoolInvocationResult | 'timeout';
    try {
      result = await withTimeout(invocation, timeoutMs);
    } catch (error) {
      if (error instanceof InvokeRejectedError) {
        this.options.notice(`${describe(request)} -> ${fn.id}: ${error.errorType}: ${error.message}`);
        // Lambda's own refusal: API Gateway answers 500 (the Lambda developer guide: "If the
        // Lambda API rejects the invocation request, API Gateway returns a 500 error code");
        // a function URL passes Lambda's 429 on.
        if (error.errorType === 'TooManyRequestsException' && target.kind === 'url')
          return {
            statusCode: 429,
            headers: { ...jsonType(), 'x-amzn-ErrorType': ['TooManyRequestsException'] },
            body: Buffer.from(
              JSON.stringify({
                Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
                Type: 'User',
                message: 'Rate Exceeded.',
              }),
            ),
          };
        if (error.errorType === 'TooManyRequestsException')
          return {
            statusCode: 500,
            headers: jsonType(),
            body: json(rest ? 'Internal server error' : 'Internal Server Error'),
          };
        if (error.errorType === 'RequestEntityTooLargeException')
          return { statusCode: 413, headers: jsonType(), body: json('Request Entity Too Large') };
      }
      throw error;
    }
    if (result === 'timeout') {
      invocation.catch(() => undefined);
      this.options.notice(
        `${describe(request)} -> ${fn.id}: no response within the integration timeout (${timeoutMs} ms): 504.`,
      );
      return {
        statusCode: 504,
        headers: jsonType(),
        body: json(rest ? 'Endpoint request timed out' : 'Service Unavailable'),
      };
    }
    const failure = () => ({
      statusCode: 502,
      headers: jsonType(),
      body: json(rest ? 'Internal server error' : 'Internal Server Error'),
    });
    if (writer?.started) {
      if (result.status !== 'success')
        this.options.notice(`${describe(request)} -> ${fn.id}: the function failed while streaming; response ended.`);
      return { statusCode: 200, headers: {}, body: Buffer.alloc(0) };
    }
    if (writer?.malformed) {
      this.options.notice(`${describe(request)} -> ${fn.id}: malformed response prelude: ${writer.malformed}: 502.`);
      return failure();
    }
    if (result.status !== 'success') {
      this.options.notice(
        `${describe(request)} -> ${fn.id}: the function failed (${result.error?.errorType ?? result.status}): 502.`,
      );
      return failure();
    }
    let mapped: MappedResponse;
    if (target.kind === 'url' && target.url.invokeMode === 'RESPONSE_STREAM') {
      mapped = streamedResponse(result.responseBody ?? Buffer.alloc(0));
    } else {
      mapped = mapFunctionResult(result.result, format);
    }
    if (!mapped.ok) {
      this.options.notice(`${describe(request)} -> ${fn.id}: malformed Lambda proxy response: ${mapped.reason}: 502.`);
      return failure();
    }
    return mapped.response;
  }
}

/** `requestContext.authorizer.iam` of a signed function URL request: the access key it was
 * signed with; who owns the key is IAM's to say, so the caller's ids are not known here. */
function iamIdentity(accessKey: string, accountId: string) {
  return {
    accessKey,
    accountId,
    callerId: null,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: null,
    userId: null,
  };
}

function streamedResponse(bytes: Buffer): MappedResponse {
  const { prelude, body } = splitStreamedResponse(bytes);
  if (!prelude)
    return { ok: true, response: { statusCode: 200, headers: { 'Content-Type': ['application/octet-stream'] }, body } };
  const mapped = mapFunctionResult({ ...prelude, body: '' }, '2.0');
  if (mapped.ok) mapped.response.body = body;
  return mapped;
}

function withTimeout<T>(promise: Promise<T>, ms: number | null): Promise<T | 'timeout'> {
  if (ms === null) return promise;
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms))),
  ]).finally(() => clearTimeout(timer));
}

const jsonType = () => ({ 'Content-Type': ['application/json'] });

function describe(request: HttpRequestInfo): string {
  return `${request.method} ${request.rawPath}`;
}

function lowerHeaders(request: HttpRequestInfo): Record<string, string | undefined> {
  const out: Record<string, string> = {};
  for (const [name, value] of request.headers) out[name.toLowerCase()] = value;
  return out;
}

function hasHeader(response: HttpResponseOut, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(response.headers).some((h) => h.toLowerCase() === lower);
}

function send(res: ServerResponse, response: HttpResponseOut): void {
  const headers: [string, string][] = [];
  for (const [name, values] of Object.entries(response.headers)) for (const v of values) headers.push([name, v]);
  if (!hasHeader(response, 'content-type') && response.body.length > 0)
    headers.push(['Content-Type', 'application/json']);
  headers.push(['Content-Length', String(response.body.length)]);
  res.writeHead(response.statusCode, headers.flat());
  res.end(response.body);
}
