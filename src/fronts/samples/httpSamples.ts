// Sample events of what calls functions over HTTP: API Gateway REST proxy (payload 1.0),
// HTTP API (payload 2.0), their Lambda authorizers (TOKEN, REQUEST, HTTP API simple),
// function URLs and Application Load Balancer targets.

import type {
  ALBEvent,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import { epochSeconds, uuid, type SampleContext, type SampleTemplate } from './sample';
import { restIdentity } from '../apiEvents';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function requestTime(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

const splitQuery = (query: string): [string, string][] =>
  query === '' ? [] : query.split('&').map((p) => [p.split('=')[0], decodeURIComponent(p.split('=')[1] ?? '')]);

const HTTP_FIELDS = {
  method: 'GET',
  path: '/hello',
  body: '',
  query: '',
  'api-id': '1234567890',
  stage: 'Prod',
  'source-ip': '203.0.113.10',
  'user-agent': 'Custom User Agent String',
};

function restProxy(f: Record<string, string>, ctx: SampleContext): APIGatewayProxyEvent {
  const headers = {
    Accept: '*/*',
    Host: `${f['api-id']}.execute-api.${ctx.region}.amazonaws.com`,
    'User-Agent': f['user-agent'],
    'X-Forwarded-For': f['source-ip'],
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
  };
  const pairs = splitQuery(f.query);
  const query = Object.fromEntries(pairs);
  const multi: Record<string, string[]> = {};
  for (const [k, v] of pairs) (multi[k] ??= []).push(v);
  return {
    body: f.body === '' ? null : f.body,
    resource: f.path,
    path: f.path,
    httpMethod: f.method,
    isBase64Encoded: false,
    queryStringParameters: pairs.length ? query : null,
    multiValueQueryStringParameters: pairs.length ? multi : null,
    pathParameters: null,
    stageVariables: null,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    requestContext: {
      accountId: ctx.accountId,
      apiId: f['api-id'],
      authorizer: undefined,
      domainName: headers.Host,
      domainPrefix: f['api-id'],
      extendedRequestId: uuid(),
      httpMethod: f.method,
      identity: restIdentity(f['source-ip'], f['user-agent']),
      path: `/${f.stage}${f.path}`,
      protocol: 'HTTP/1.1',
      requestId: uuid(),
      requestTime: requestTime(ctx.now),
      requestTimeEpoch: ctx.now.getTime(),
      resourceId: 'abc123',
      resourcePath: f.path,
      stage: f.stage,
    },
  };
}

function httpApi(f: Record<string, string>, ctx: SampleContext, routeKey?: string): APIGatewayProxyEventV2 {
  const pairs = splitQuery(f.query);
  const domain = `${f['api-id']}.execute-api.${ctx.region}.amazonaws.com`;
  const key = routeKey ?? `${f.method} ${f.path}`;
  return {
    version: '2.0',
    routeKey: key,
    rawPath: f.path,
    rawQueryString: f.query,
    headers: {
      accept: '*/*',
      'content-length': String(Buffer.byteLength(f.body)),
      host: domain,
      'user-agent': f['user-agent'],
      'x-forwarded-for': f['source-ip'],
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    ...(pairs.length ? { queryStringParameters: Object.fromEntries(pairs) } : {}),
    requestContext: {
      accountId: ctx.accountId,
      apiId: f['api-id'],
      domainName: domain,
      domainPrefix: f['api-id'],
      http: {
        method: f.method,
        path: f.path,
        protocol: 'HTTP/1.1',
        sourceIp: f['source-ip'],
        userAgent: f['user-agent'],
      },
      requestId: uuid().slice(0, 16),
      routeKey: key,
      stage: '$default',
      time: requestTime(ctx.now),
      timeEpoch: ctx.now.getTime(),
    },
    ...(f.body !== '' ? { body: f.body } : {}),
    isBase64Encoded: false,
  };
}

export const HTTP_SAMPLES: SampleTemplate[] = [
  {
    service: 'apigateway',
    type: 'aws-proxy',
    description: 'REST API proxy integration (payload 1.0)',
    fields: HTTP_FIELDS,
    build: restProxy,
  },
  {
    service: 'apigateway',
    type: 'http-api',
    description: 'HTTP API (payload 2.0)',
    fields: { ...HTTP_FIELDS, stage: '$default' },
    build: (f, ctx) => httpApi(f, ctx),
  },
  {
    service: 'apigateway',
    type: 'token-authorizer',
    description: 'REST API TOKEN authorizer',
    fields: { token: 'allow', 'api-id': '1234567890', stage: 'Prod', method: 'GET', path: '/hello' },
    build: (f, ctx): APIGatewayTokenAuthorizerEvent => ({
      type: 'TOKEN',
      authorizationToken: f.token,
      methodArn: `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${f['api-id']}/${f.stage}/${f.method}${f.path}`,
    }),
  },
  {
    service: 'apigateway',
    type: 'request-authorizer',
    description: 'REST API REQUEST authorizer',
    fields: { ...HTTP_FIELDS, token: 'allow' },
    build: (f, ctx): APIGatewayRequestAuthorizerEvent => {
      const proxy = restProxy(f, ctx);
      return {
        type: 'REQUEST',
        methodArn: `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${f['api-id']}/${f.stage}/${f.method}${f.path}`,
        resource: proxy.resource,
        path: proxy.path,
        httpMethod: proxy.httpMethod,
        headers: { ...proxy.headers, Authorization: f.token },
        multiValueHeaders: { ...proxy.multiValueHeaders, Authorization: [f.token] },
        pathParameters: proxy.pathParameters,
        queryStringParameters: proxy.queryStringParameters,
        multiValueQueryStringParameters: proxy.multiValueQueryStringParameters,
        stageVariables: proxy.stageVariables,
        requestContext: { ...proxy.requestContext, authorizer: undefined },
      } as APIGatewayRequestAuthorizerEvent;
    },
  },
  {
    service: 'apigateway',
    type: 'http-api-authorizer',
    description: 'HTTP API Lambda authorizer (payload 2.0)',
    fields: { ...HTTP_FIELDS, stage: '$default', token: 'allow' },
    build: (f, ctx): APIGatewayRequestAuthorizerEventV2 => {
      const event = httpApi(f, ctx);
      return {
        version: '2.0',
        type: 'REQUEST',
        routeArn: `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${f['api-id']}/$default/${f.method}${f.path}`,
        identitySource: [f.token],
        routeKey: event.routeKey,
        rawPath: event.rawPath,
        rawQueryString: event.rawQueryString,
        cookies: [],
        headers: { ...event.headers, authorization: f.token },
        queryStringParameters: event.queryStringParameters ?? {},
        requestContext: event.requestContext,
        pathParameters: {},
        stageVariables: {},
      };
    },
  },
  {
    service: 'lambda-url',
    type: 'request',
    description: 'Function URL request (payload 2.0)',
    fields: { ...HTTP_FIELDS, 'url-id': 'abcdefghijklmnopqrstuvwxyz012345' },
    build: (f, ctx): LambdaFunctionURLEvent => {
      const event = httpApi({ ...f, 'api-id': f['url-id'] }, ctx, '$default');
      const domain = `${f['url-id']}.lambda-url.${ctx.region}.on.aws`;
      return {
        ...event,
        headers: { ...event.headers, host: domain },
        requestContext: { ...event.requestContext, domainName: domain, domainPrefix: f['url-id'] },
      } as LambdaFunctionURLEvent;
    },
  },
  {
    service: 'alb',
    type: 'request',
    description: 'Application Load Balancer target request',
    fields: { method: 'GET', path: '/lambda', body: '', query: '', 'target-group': 'lambda-target' },
    build: (f, ctx): ALBEvent => {
      const pairs = splitQuery(f.query);
      return {
        requestContext: {
          elb: {
            targetGroupArn: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/${f['target-group']}/${'0123456789abcdef'}`,
          },
        },
        httpMethod: f.method,
        path: f.path,
        queryStringParameters: Object.fromEntries(pairs),
        headers: {
          accept: '*/*',
          host: 'lambda-alb-123578498.' + ctx.region + '.elb.amazonaws.com',
          'user-agent': 'curl/8.0',
          'x-amzn-trace-id': `Root=1-${epochSeconds(ctx).toString(16)}-${'0'.repeat(24)}`,
          'x-forwarded-for': '203.0.113.10',
          'x-forwarded-port': '80',
          'x-forwarded-proto': 'http',
        },
        body: f.body,
        isBase64Encoded: false,
      };
    },
  },
];
