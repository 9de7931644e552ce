// The events API Gateway and function URLs send, built field by field from one request:
// payload format 1.0 (REST APIs, and HTTP APIs that ask for it) and 2.0 (HTTP APIs, function
// URLs). Shapes follow what AWS sends (checked against @types/aws-lambda in the tests).

import type { HttpRouteDefinition } from '../config/httpEvents';
import { headerValue, isTextContentType, queryPairs, requestTime, type HttpRequestInfo } from './httpRequest';

export interface EventContext {
  accountId: string;
  region: string;
  /** The API's id (10 characters on AWS) or the function URL's id. */
  apiId: string;
  /** The Host header's value, else 127.0.0.1:port. */
  domainName: string;
}

function bodyOf(request: HttpRequestInfo, base64: boolean): { body: string | null; isBase64Encoded: boolean } {
  if (request.body.length === 0) return { body: null, isBase64Encoded: false };
  return base64
    ? { body: request.body.toString('base64'), isBase64Encoded: true }
    : { body: request.body.toString('utf8'), isBase64Encoded: false };
}

function restBinary(route: HttpRouteDefinition, contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return route.binaryMediaTypes.some((pattern) => {
    const [a, b] = pattern.toLowerCase().split('/');
    const [x, y] = type.split('/');
    return (a === '*' || a === x) && (b === '*' || b === y);
  });
}

/** Payload format 1.0: REST APIs (and HTTP APIs with PayloadFormatVersion 1.0). */
export function eventV1(
  request: HttpRequestInfo,
  route: HttpRouteDefinition,
  pathParameters: Record<string, string> | null,
  ctx: EventContext,
) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.headers) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of queryPairs(request.rawQueryString)) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(query).length > 0;
  const path = decodePath(request.rawPath);
  const resource = route.path === '$default' ? '$default' : route.path;
  const contentType = headerValue(request, 'content-type');
  const base64 = route.api === 'rest' ? restBinary(route, contentType) : !isTextContentType(contentType);
  const userAgent = headerValue(request, 'user-agent') ?? null;
  return {
    ...(route.api === 'http' ? { version: '1.0' } : {}),
    resource,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters,
    stageVariables: route.stageVariables,
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      domainName: ctx.domainName,
      domainPrefix: ctx.domainName.split('.')[0],
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      identity: restIdentity(request.sourceIp, userAgent),
      path: route.api === 'rest' ? `/${route.stage}${path}` : path,
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: requestTime(request.time),
      requestTimeEpoch: request.time.getTime(),
      resourceId: resourceIdOf(route),
      resourcePath: resource,
      stage: route.stage,
      ...(route.api === 'http' ? { routeKey: routeKeyOf(route) } : {}),
    },
    ...bodyOf(request, base64),
  };
}

/** Payload format 2.0: HTTP APIs and function URLs (routeKey `$default`, no stage in the path). */
export function eventV2(
  request: HttpRequestInfo,
  route: { routeKey: string; stage: string; stageVariables?: Record<string, string> | null },
  pathParameters: Record<string, string> | null,
  ctx: EventContext,
  rawPath = request.rawPath,
) {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      cookies.push(...value.split(/;\s*/).filter((c) => c !== ''));
      continue;
    }
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of queryPairs(request.rawQueryString)) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const body = bodyOf(request, !isTextContentType(headers['content-type']));
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    ...(route.stageVariables ? { stageVariables: route.stageVariables } : {}),
    requestContext: {
      accountId: ctx.accountId,
      apiId: ctx.apiId,
      domainName: ctx.domainName,
      domainPrefix: ctx.domainName.split('.')[0],
      http: {
        method: request.method,
        path: decodePath(rawPath),
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: route.routeKey,
      stage: route.stage,
      time: requestTime(request.time),
      timeEpoch: request.time.getTime(),
    },
    ...(body.body !== null ? { body: body.body } : {}),
    isBase64Encoded: body.isBase64Encoded,
  };
}

export function routeKeyOf(route: HttpRouteDefinition): string {
  return route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
}

function decodePath(rawPath: string): string {
  try {
    return decodeURI(rawPath);
  } catch {
    return rawPath;
  }
}

/** A stable 6-character resource id per route (API Gateway's are random, fixed per resource). */
function resourceIdOf(route: HttpRouteDefinition): string {
  let hash = 0;
  for (const c of `${route.apiId} ${route.path}`) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return hash.toString(36).padStart(6, '0').slice(-6);
}

/** A REST API request's `requestContext.identity` when no authorizer or IAM caller is known:
 * every field API Gateway sends, null but the caller's address and user agent. */
export function restIdentity(sourceIp: string, userAgent: string | null) {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp,
    user: null,
    userAgent,
    userArn: null,
  };
}
