// API Gateway and function URLs of `serve`, called by a plain HTTP client (Node's fetch):
// routing as API Gateway routes (parameters, greedy paths, ANY, $default, specificity), the
// events of payload formats 1.0 and 2.0 checked key by key against @types/aws-lambda, the
// mapping of responses (multi-value headers, cookies, base64, 2.0's inferred 200 JSON),
// 502 for a malformed response or a function error, 404/403 for no route, CORS preflights,
// a streamed function URL, and warm environments that scale out under concurrent requests.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import type {
  APIGatewayEventIdentity,
  APIGatewayEventRequestContextV2,
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  LambdaFunctionURLEvent,
} from 'aws-lambda';
import { codeRoot } from '../support/engine';
import { assertShape, type KeyTable } from '../support/eventShapes';
import { startServe, type ServeProcess } from '../support/serve';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    CodeUri: .
    Runtime: nodejs20.x
  Api:
    Variables: { origin: globals }
Resources:
  RestApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Variables: { table: orders-dev, level: 3 }
      Cors:
        AllowOrigin: "'http://app.example'"
        AllowMethods: "'GET,POST'"
        AllowHeaders: "'content-type,x-custom'"
        MaxAge: "'600'"
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageVariables: { mode: beta }
      CorsConfiguration:
        AllowOrigins: ['http://app.example']
        AllowMethods: [GET, POST, PUT]
        AllowHeaders: [content-type]
        ExposeHeaders: [x-count]
        MaxAge: 300
  RestEcho:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.echo
      Events:
        Items:
          Type: Api
          Properties: { RestApiId: !Ref RestApi, Path: '/items/{id}', Method: get }
        Files:
          Type: Api
          Properties: { RestApiId: !Ref RestApi, Path: '/files/{path+}', Method: any }
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.hello
      Events:
        Hello:
          Type: Api
          Properties: { Path: /hello, Method: get }
  HttpEcho:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.echo
      Events:
        User:
          Type: HttpApi
          Properties: { ApiId: !Ref HttpApi, Path: '/users/{id}', Method: GET }
        UserMe:
          Type: HttpApi
          Properties: { ApiId: !Ref HttpApi, Path: '/users/me', Method: GET }
        Old:
          Type: HttpApi
          Properties: { ApiId: !Ref HttpApi, Path: /v1, Method: POST, PayloadFormatVersion: '1.0' }
  Catch:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.plain
      Events:
        Default:
          Type: HttpApi
          Properties: { ApiId: !Ref HttpApi }
  Special:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.special
      Events:
        Special:
          Type: HttpApi
          Properties: { ApiId: !Ref HttpApi, Path: '/special/{kind}', Method: ANY }
  Url:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.echo
      FunctionUrlConfig:
        AuthType: NONE
        Cors: { AllowOrigins: ['*'], AllowMethods: ['*'] }
  GatedUrl:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.gated
      Timeout: 20
      FunctionUrlConfig:
        AuthType: NONE
        InvokeMode: RESPONSE_STREAM
  StreamUrl:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.stream
      FunctionUrlConfig:
        AuthType: NONE
        InvokeMode: RESPONSE_STREAM
`;

const APP = `
const fs = require('node:fs');
let count = 0;
exports.echo = async (event) => {
  count++;
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-count': String(count) },
    body: JSON.stringify(event),
  };
};
exports.hello = async (event) => ({
  statusCode: 201,
  headers: { 'x-single': 'one', 'x-stage': event.requestContext.stage, 'x-vars': JSON.stringify(event.stageVariables) },
  multiValueHeaders: { 'x-multi': ['a', 'b'] },
  body: 'hello',
});
exports.plain = async (event) => ({ caught: event.rawPath, route: event.routeKey });
exports.special = async (event) => {
  switch (event.pathParameters.kind) {
    case 'string': return 'just text';
    case 'cookies': return { statusCode: 200, cookies: ['a=1; Path=/', 'b=2'], body: 'ok' };
    case 'binary': return { statusCode: 200, headers: { 'content-type': 'image/png' }, isBase64Encoded: true, body: Buffer.from([0, 1, 2, 255]).toString('base64') };
    case 'malformed': return { statusCode: 'abc', body: 'x' };
    case 'bodyobject': return { statusCode: 200, body: { not: 'a string' } };
    case 'error': throw new Error('handler failed');
    case 'wait':
      console.log('waiting', event.queryStringParameters.marker);
      while (!fs.existsSync(event.queryStringParameters.marker)) await new Promise((r) => setTimeout(r, 20));
      return { pid: process.pid };
    default: return { statusCode: 404, body: 'no kind' };
  }
};
exports.gated = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200, headers: { 'content-type': 'text/plain' } });
  responseStream.write('first;');
  while (!fs.existsSync(event.queryStringParameters.gate)) await new Promise((r) => setTimeout(r, 20));
  responseStream.end('second');
});
exports.stream = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 207, headers: { 'x-streamed': 'yes' } });
  responseStream.write('chunk1 ');
  responseStream.write(event.rawPath);
  responseStream.end();
});
`;

const IDENTITY: KeyTable<APIGatewayEventIdentity> = {
  accessKey: true,
  accountId: true,
  apiKey: true,
  apiKeyId: true,
  caller: true,
  clientCert: true,
  cognitoAuthenticationProvider: true,
  cognitoAuthenticationType: true,
  cognitoIdentityId: true,
  cognitoIdentityPoolId: true,
  principalOrgId: true,
  sourceIp: true,
  user: true,
  userAgent: true,
  userArn: true,
  vpcId: false,
  vpceId: false,
};
const V1: KeyTable<APIGatewayProxyEvent> = {
  body: true,
  headers: true,
  multiValueHeaders: true,
  httpMethod: true,
  isBase64Encoded: true,
  path: true,
  pathParameters: true,
  queryStringParameters: true,
  multiValueQueryStringParameters: true,
  stageVariables: true,
  requestContext: true,
  resource: true,
};
const V1_CONTEXT: KeyTable<APIGatewayEventRequestContextWithAuthorizer<unknown>> = {
  accountId: true,
  apiId: true,
  authorizer: false,
  connectedAt: false,
  connectionId: false,
  domainName: true,
  domainPrefix: true,
  eventType: false,
  extendedRequestId: true,
  protocol: true,
  httpMethod: true,
  identity: true,
  messageDirection: false,
  messageId: false,
  path: true,
  stage: true,
  requestId: true,
  requestTime: true,
  requestTimeEpoch: true,
  resourceId: true,
  resourcePath: true,
  routeKey: false,
};
const V2: KeyTable<APIGatewayProxyEventV2> = {
  version: true,
  routeKey: true,
  rawPath: true,
  rawQueryString: true,
  cookies: false,
  headers: true,
  queryStringParameters: false,
  requestContext: true,
  body: false,
  pathParameters: false,
  isBase64Encoded: true,
  stageVariables: false,
};
const V2_CONTEXT: KeyTable<APIGatewayEventRequestContextV2> = {
  accountId: true,
  apiId: true,
  authentication: false,
  domainName: true,
  domainPrefix: true,
  http: true,
  requestId: true,
  routeKey: true,
  stage: true,
  time: true,
  timeEpoch: true,
};

describe('API Gateway and function URLs (serve --port)', function () {
  this.timeout(60_000);
  let serve: ServeProcess;
  let root: string;
  const get = (path: string, init?: RequestInit) => fetch(serve.httpUrl + path, init);

  before(async () => {
    root = codeRoot({ 'template.yaml': TEMPLATE, 'app.js': APP });
    serve = await startServe([], root);
  });
  after(async () => {
    await serve?.stop();
  });

  it('prints every route and function URL with its function, then Ready.', () => {
    const lines = serve.lines.map((l) => l.replace(/\s+/g, ' '));
    const base = serve.httpUrl;
    for (const expected of [
      `GET ${base}/items/{id} -> RestEcho`,
      `ANY ${base}/files/{path+} -> RestEcho`,
      `GET ${base}/hello -> Hello`,
      `GET ${base}/users/{id} -> HttpEcho`,
      `POST ${base}/v1 -> HttpEcho`,
      `ANY ${base}/special/{kind} -> Special`,
      `URL ${base}/fn/Url/ -> Url`,
      `URL ${base}/fn/StreamUrl/ -> StreamUrl`,
    ])
      assert.ok(lines.includes(expected), `${expected} in\n${serve.lines.join('\n')}`);
    assert.match(serve.lines.join('\n'), /ANY\s+\S+ \(\$default\)\s+-> Catch/);
  });

  it('REST API: a payload 1.0 event with path parameters, both query forms, both header forms, the stage', async () => {
    const r = await get('/items/42?tag=a&tag=b&q=x%20y', { headers: { 'X-Custom': 'v', 'User-Agent': 'tester/1' } });
    assert.equal(r.status, 200);
    const event = (await r.json()) as unknown;
    assertShape<APIGatewayProxyEvent>(event, V1, 'event');
    assertShape(event.requestContext, V1_CONTEXT, 'event.requestContext');
    assertShape(event.requestContext.identity, IDENTITY, 'event.requestContext.identity');
    assert.equal(event.resource, '/items/{id}');
    assert.equal(event.path, '/items/42');
    assert.equal(event.httpMethod, 'GET');
    assert.deepEqual(event.pathParameters, { id: '42' });
    assert.deepEqual(event.queryStringParameters, { tag: 'b', q: 'x y' });
    assert.deepEqual(event.multiValueQueryStringParameters, { tag: ['a', 'b'], q: ['x y'] });
    assert.equal(event.headers['X-Custom'], 'v');
    assert.deepEqual(event.multiValueHeaders['X-Custom'], ['v']);
    assert.equal(event.body, null);
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.stage, 'dev');
    assert.deepEqual(event.stageVariables, { table: 'orders-dev', level: '3' });
    assert.equal(event.requestContext.path, '/dev/items/42');
    assert.equal(event.requestContext.resourcePath, '/items/{id}');
    assert.equal(event.requestContext.identity.sourceIp, '127.0.0.1');
    assert.equal(event.requestContext.identity.userAgent, 'tester/1');
    assert.equal(event.requestContext.accountId, '123456789012');
    assert.match(event.requestContext.requestId, /^[0-9a-f-]{36}$/);
    assert.match(event.requestContext.requestTime!, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.ok(Math.abs(event.requestContext.requestTimeEpoch - Date.now()) < 60_000);
  });

  it('REST API: the implicit API is stage Prod; a greedy {path+} takes the rest of the path; ANY takes any method', async () => {
    const hello = await get('/hello');
    assert.equal(hello.status, 201);
    assert.equal(hello.headers.get('x-stage'), 'Prod');
    assert.equal(
      hello.headers.get('x-vars'),
      '{"origin":"globals"}',
      "the implicit API's stage takes Globals' Variables",
    );
    const files = (await (await get('/files/a/b/c.txt', { method: 'DELETE' })).json()) as APIGatewayProxyEvent;
    assert.deepEqual(files.pathParameters, { path: 'a/b/c.txt' });
    assert.equal(files.httpMethod, 'DELETE');
    assert.equal(files.resource, '/files/{path+}');
  });

  it('maps headers and multiValueHeaders of a proxy response', async () => {
    const r = await get('/hello');
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('x-single'), 'one');
    assert.equal(r.headers.get('x-multi'), 'a, b');
    assert.equal(await r.text(), 'hello');
  });

  it('HTTP API: a payload 2.0 event with rawPath, rawQueryString, joined values, cookies, routeKey', async () => {
    const r = await get('/users/7?a=1&a=2&b=', {
      headers: { Cookie: 'c1=v1; c2=v2', 'X-Multi': 'm1', 'User-Agent': 'tester/2' },
    });
    assert.equal(r.status, 200);
    const event = (await r.json()) as unknown;
    assertShape<APIGatewayProxyEventV2>(event, V2, 'event');
    assertShape(event.requestContext, V2_CONTEXT, 'event.requestContext');
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'GET /users/{id}');
    assert.equal(event.rawPath, '/users/7');
    assert.equal(event.rawQueryString, 'a=1&a=2&b=');
    assert.deepEqual(event.queryStringParameters, { a: '1,2', b: '' });
    assert.deepEqual(event.pathParameters, { id: '7' });
    assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2']);
    assert.equal(event.headers['x-multi'], 'm1');
    assert.equal(event.headers['cookie'], undefined);
    assert.equal(event.requestContext.http.method, 'GET');
    assert.equal(event.requestContext.http.path, '/users/7');
    assert.equal(event.requestContext.http.sourceIp, '127.0.0.1');
    assert.equal(event.requestContext.http.userAgent, 'tester/2');
    assert.equal(event.requestContext.routeKey, 'GET /users/{id}');
    assert.equal(event.requestContext.stage, '$default');
    assert.deepEqual(event.stageVariables, { mode: 'beta' });
    assert.equal(event.body, undefined);
  });

  it('HTTP API: a static route beats a parameter; $default catches the rest; PayloadFormatVersion 1.0', async () => {
    const me = (await (await get('/users/me')).json()) as APIGatewayProxyEventV2;
    assert.equal(me.routeKey, 'GET /users/me');
    assert.equal(me.pathParameters, undefined);
    const caught = await get('/nothing/here');
    assert.deepEqual(await caught.json(), { caught: '/nothing/here', route: '$default' });
    const old = (await (await get('/v1', { method: 'POST', body: '{"x":1}' })).json()) as APIGatewayProxyEvent & {
      version: string;
    };
    assert.equal(old.version, '1.0');
    assert.deepEqual(old.stageVariables, { mode: 'beta' });
    assert.equal(old.httpMethod, 'POST');
    assert.equal(old.body, '{"x":1}');
    assert.ok(old.multiValueHeaders);
  });

  it('payload 2.0 infers a 200 JSON response from a plain value; cookies become Set-Cookie; base64 bodies decode', async () => {
    const text = await get('/special/string');
    assert.equal(text.status, 200);
    assert.equal(text.headers.get('content-type'), 'application/json');
    assert.equal(await text.text(), 'just text');
    const cookies = await get('/special/cookies');
    assert.deepEqual(cookies.headers.getSetCookie(), ['a=1; Path=/', 'b=2']);
    const binary = await get('/special/binary');
    assert.equal(binary.headers.get('content-type'), 'image/png');
    assert.deepEqual([...new Uint8Array(await binary.arrayBuffer())], [0, 1, 2, 255]);
  });

  it('a binary request body reaches a 2.0 event base64-encoded with isBase64Encoded', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0, 1]);
    const r = await fetch(serve.httpUrl + '/fn/Url/upload', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const event = (await r.json()) as LambdaFunctionURLEvent;
    assert.equal(event.isBase64Encoded, true);
    assert.equal(event.body, bytes.toString('base64'));
  });

  it('a malformed response is a 502 with a log line saying what was wrong; a function error is a 502', async () => {
    const malformed = await get('/special/malformed');
    assert.equal(malformed.status, 502);
    assert.deepEqual(await malformed.json(), { message: 'Internal Server Error' });
    await serve.waitForLog(/GET \/special\/malformed -> Special: malformed Lambda proxy response: statusCode "abc"/);
    const bodyObject = await get('/special/bodyobject');
    assert.equal(bodyObject.status, 502);
    await serve.waitForLog(/body must be a string/);
    const failed = await get('/special/error');
    assert.equal(failed.status, 502);
    await serve.waitForLog(/GET \/special\/error -> Special: the function failed \(Error\)/);
  });

  it("a method a REST route does not have falls to the HTTP API's $default route", async () => {
    const r = await get('/hello', { method: 'PATCH' });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { route: string }).route, '$default');
  });

  it('CORS: preflights answered from the template (REST 200, HTTP API 204), responses carry Allow-Origin', async () => {
    const rest = await get('/items/1', {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(rest.status, 200);
    assert.equal(rest.headers.get('access-control-allow-origin'), 'http://app.example');
    assert.equal(rest.headers.get('access-control-allow-methods'), 'GET,POST');
    assert.equal(rest.headers.get('access-control-allow-headers'), 'content-type,x-custom');
    assert.equal(rest.headers.get('access-control-max-age'), '600');

    const http = await get('/users/1', {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'PUT' },
    });
    assert.equal(http.status, 204);
    assert.equal(http.headers.get('access-control-allow-methods'), 'GET,POST,PUT');
    assert.equal(http.headers.get('access-control-max-age'), '300');
    const actual = await get('/users/1', { headers: { Origin: 'http://app.example' } });
    assert.equal(actual.headers.get('access-control-allow-origin'), 'http://app.example');
    assert.equal(actual.headers.get('access-control-expose-headers'), 'x-count');
    const other = await get('/users/1', { headers: { Origin: 'http://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('function URL: a 2.0 event with routeKey $default and the path after /fn/NAME', async () => {
    const r = await get('/fn/Url/some/path?x=1', { headers: { Origin: 'http://anywhere.example' } });
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    const event = (await r.json()) as unknown;
    assertShape<LambdaFunctionURLEvent>(event, V2 as KeyTable<LambdaFunctionURLEvent>, 'event');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/some/path');
    assert.equal(event.rawQueryString, 'x=1');
    assert.equal(event.requestContext.http.path, '/some/path');
    assert.equal(event.requestContext.apiId.length, 32);
  });

  it('function URL with InvokeMode RESPONSE_STREAM: status and headers from the prelude, the streamed body', async () => {
    const r = await get('/fn/StreamUrl/p');
    assert.equal(r.status, 207);
    assert.equal(r.headers.get('x-streamed'), 'yes');
    assert.equal(await r.text(), 'chunk1 /p');
  });

  it('function URL with RESPONSE_STREAM sends the head and the first bytes while the function still runs', async () => {
    const gate = `${root}/url-gate`;
    const r = await get(`/fn/GatedUrl/?gate=${encodeURIComponent(gate)}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'text/plain');
    const reader = r.body!.getReader();
    const first = await reader.read();
    assert.equal(Buffer.from(first.value!).toString(), 'first;');
    // The function waits for this file: only a response streamed as written gets here.
    fs.writeFileSync(gate, '');
    let rest = '';
    for (let next = await reader.read(); !next.done; next = await reader.read())
      rest += Buffer.from(next.value).toString();
    assert.equal(rest, 'second');
  });

  it('functions stay warm between requests and scale out to a second environment for an overlapping one', async () => {
    const a = (await (await get('/users/1')).json()) as unknown;
    const countA = Number((await get('/users/1')).headers.get('x-count'));
    assert.ok(a && countA > 1, 'the warm environment kept its count');

    const marker = `${root}/release-wait`;
    const first = get(`/special/wait?marker=${encodeURIComponent(marker)}`);
    await serve.waitForLog(`waiting ${marker}`);
    const logsBefore = (serve.stderr().match(/waiting /g) ?? []).length;
    const second = get(`/special/wait?marker=${encodeURIComponent(marker)}`);
    await serve.waitForLog(new RegExp(`(waiting ${marker}[\\s\\S]*){${logsBefore + 1}}`));
    fs.writeFileSync(marker, '');
    const pids = await Promise.all([first, second].map(async (p) => ((await (await p).json()) as { pid: number }).pid));
    assert.notEqual(pids[0], pids[1], 'two environments served the overlapping requests');
  });
});

describe('serverless.yml http events (a REST API only)', function () {
  this.timeout(60_000);
  let serve: ServeProcess;

  before(async () => {
    const root = codeRoot({
      'serverless.yml': [
        'service: shop',
        'provider: { name: aws, runtime: nodejs20.x, stage: staging }',
        'functions:',
        '  list:',
        '    handler: app.list',
        '    events:',
        '      - http: GET products/{id}',
        '      - http: { path: products, method: post, cors: true }',
        '',
      ].join('\n'),
      'app.js':
        'exports.list = async (event) => ({ statusCode: 200, body: JSON.stringify({ stage: event.requestContext.stage, id: event.pathParameters && event.pathParameters.id, resource: event.resource }) });',
    });
    serve = await startServe([], root);
  });
  after(async () => {
    await serve?.stop();
  });

  it('routes http events with the provider stage in the event', async () => {
    const r = await fetch(serve.httpUrl + '/products/9');
    assert.deepEqual(await r.json(), { stage: 'staging', id: '9', resource: '/products/{id}' });
    const preflight = await fetch(serve.httpUrl + '/products', {
      method: 'OPTIONS',
      headers: { Origin: 'http://x.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  });

  it('a route that matches nothing: 403 Missing Authentication Token, as a REST API answers', async () => {
    const r = await fetch(serve.httpUrl + '/nope');
    assert.equal(r.status, 403);
    assert.deepEqual(await r.json(), { message: 'Missing Authentication Token' });
    const wrongMethod = await fetch(serve.httpUrl + '/products/9', { method: 'DELETE' });
    assert.equal(wrongMethod.status, 403);
  });
});
