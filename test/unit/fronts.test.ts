// The fronts' pure parts: API Gateway's route selection, the Invoke API's function names,
// the event-stream framing (checked byte by byte against the format: lengths, CRC32s,
// headers), response mapping rules, the template reader's HTTP events, trigger labels, IAM
// policy decisions of Lambda authorizers, the SigV4 form AWS_IAM function URLs require, and
// which versions a qualifier names.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { readHttpTriggers, type HttpRouteDefinition } from '../../src/config/httpEvents';
import { mapFunctionResult, splitStreamedResponse } from '../../src/fronts/apiResponses';
import { encodeEventMessage } from '../../src/fronts/eventStream';
import { parseFunctionReference } from '../../src/fronts/functionName';
import { RouteTable } from '../../src/fronts/routeTable';
import { policyDecision } from '../../src/fronts/authorizers';
import { checkSigV4 } from '../../src/fronts/iamAuth';
import type { HttpRequestInfo } from '../../src/fronts/httpRequest';
import { versionNamed } from '../../src/fronts/servedFunctions';
import { withDefaults } from '../../src/config/functionConfig';
import { triggerLabel } from '../../src/protocol/environmentModel';
import { codeRoot } from '../support/engine';

const route = (method: string, p: string, functionId = `${method} ${p}`): HttpRouteDefinition => ({
  functionId,
  api: 'http',
  apiId: 'Api',
  method,
  path: p,
  payloadFormat: '2.0',
  stage: '$default',
  timeoutMs: 30_000,
  cors: null,
  binaryMediaTypes: [],
  stageVariables: null,
  authorizer: null,
});

describe('fronts', () => {
  describe('route selection', () => {
    const table = new RouteTable([
      route('ANY', '/{proxy+}'),
      route('GET', '/pets/{id}'),
      route('GET', '/pets/dog'),
      route('ANY', '/pets/{id}'),
      route('GET', '/pets/{id}/toys/{toy+}'),
      route('GET', '/'),
      route('ANY', '$default'),
    ]);
    const pick = (method: string, p: string) => {
      const m = table.match(method, p);
      return m && [m.route.functionId, m.pathParameters];
    };

    it('prefers static segments, then parameters, then greedy paths; a method over ANY', () => {
      assert.deepEqual(pick('GET', '/pets/dog'), ['GET /pets/dog', null]);
      assert.deepEqual(pick('GET', '/pets/7'), ['GET /pets/{id}', { id: '7' }]);
      assert.deepEqual(pick('POST', '/pets/7'), ['ANY /pets/{id}', { id: '7' }]);
      assert.deepEqual(pick('GET', '/pets/7/toys/a/b'), ['GET /pets/{id}/toys/{toy+}', { id: '7', toy: 'a/b' }]);
      assert.deepEqual(pick('DELETE', '/a/b/c'), ['ANY /{proxy+}', { proxy: 'a/b/c' }]);
      assert.deepEqual(pick('GET', '/'), ['GET /', null]);
    });

    it('decodes path parameters; a greedy path needs one segment; $default takes the rest', () => {
      assert.deepEqual(pick('GET', '/pets/a%20b'), ['GET /pets/{id}', { id: 'a b' }]);
      assert.deepEqual(pick('POST', '/'), ['ANY $default', null]);
      assert.equal(new RouteTable([route('GET', '/a')]).match('GET', '/b'), null);
    });
  });

  it('reads a function as a name, an ARN or a partial ARN, with a qualifier', () => {
    assert.deepEqual(parseFunctionReference('my-fn'), { name: 'my-fn', qualifier: null });
    assert.deepEqual(parseFunctionReference('my-fn:prod'), { name: 'my-fn', qualifier: 'prod' });
    assert.deepEqual(parseFunctionReference('arn:aws:lambda:eu-west-1:123456789012:function:my-fn:$LATEST'), {
      name: 'my-fn',
      qualifier: '$LATEST',
    });
    assert.deepEqual(parseFunctionReference('123456789012:function:my-fn'), { name: 'my-fn', qualifier: null });
    assert.deepEqual(parseFunctionReference('my-fn', '$LATEST'), { name: 'my-fn', qualifier: '$LATEST' });
    assert.equal(parseFunctionReference('bad name!'), null);
  });

  it('frames event-stream messages: total and header lengths, prelude and message CRC32s, string headers', () => {
    const message = encodeEventMessage({ ':event-type': 'PayloadChunk' }, Buffer.from('hi'));
    const headerLength = 1 + 11 + 1 + 2 + 12;
    assert.equal(message.readUInt32BE(0), message.length);
    assert.equal(message.readUInt32BE(4), headerLength);
    assert.equal(message.readUInt32BE(8), zlib.crc32(message.subarray(0, 8)));
    assert.equal(message.readUInt8(12), 11);
    assert.equal(message.subarray(13, 24).toString(), ':event-type');
    assert.equal(message.readUInt8(24), 7);
    assert.equal(message.readUInt16BE(25), 12);
    assert.equal(message.subarray(27, 39).toString(), 'PayloadChunk');
    assert.equal(message.subarray(39, 41).toString(), 'hi');
    assert.equal(message.readUInt32BE(message.length - 4), zlib.crc32(message.subarray(0, message.length - 4)));
  });

  it('maps responses as API Gateway does, and says what is wrong with a malformed one', () => {
    const ok = mapFunctionResult({ statusCode: 200, headers: { a: '1' }, multiValueHeaders: { b: ['2', '3'] } }, '1.0');
    assert.ok(ok.ok);
    assert.deepEqual(ok.response.headers, { a: ['1'], b: ['2', '3'] });
    const bad = (value: unknown, format: '1.0' | '2.0' = '1.0') => {
      const r = mapFunctionResult(value, format);
      return r.ok ? null : r.reason;
    };
    assert.match(bad('text')!, /the result is a string, not a proxy response object/);
    assert.match(bad({ body: 'x' })!, /statusCode undefined is not an HTTP status code/);
    assert.match(bad({ statusCode: 200, extra: 1 })!, /unexpected field extra/);
    assert.match(bad({ statusCode: 200, body: 1 }, '2.0')!, /body must be a string/);
    const inferred = mapFunctionResult({ a: 1 }, '2.0');
    assert.ok(inferred.ok);
    assert.equal(inferred.response.statusCode, 200);
    assert.equal(inferred.response.body.toString(), '{"a":1}');
    const base64 = mapFunctionResult({ statusCode: 200, body: 'AAE=', isBase64Encoded: true }, '2.0');
    assert.ok(base64.ok);
    assert.deepEqual([...base64.response.body], [0, 1]);
  });

  it('splits a streamed response into its HTTP prelude and body', () => {
    const bytes = Buffer.concat([Buffer.from('{"statusCode":201}'), Buffer.alloc(8), Buffer.from('body')]);
    assert.deepEqual(splitStreamedResponse(bytes), { prelude: { statusCode: 201 }, body: Buffer.from('body') });
    assert.deepEqual(splitStreamedResponse(Buffer.from('plain')), { prelude: null, body: Buffer.from('plain') });
  });

  it('reads serverless.yml httpApi events in their string and object forms, and url', () => {
    const root = codeRoot({
      'serverless.yml': [
        'service: s',
        'provider: { name: aws, httpApi: { payload: "1.0", cors: true } }',
        'functions:',
        '  a: { handler: a.h, events: [{ httpApi: "*" }, { httpApi: "GET /x/{id}" }], url: { invokeMode: RESPONSE_STREAM } }',
        '  b: { handler: b.h, events: [{ httpApi: { method: post, path: /y } }, { http: "ANY z/{proxy+}" }] }',
      ].join('\n'),
    });
    const t = readHttpTriggers(path.join(root, 'serverless.yml'));
    assert.deepEqual(
      t.routes.map((r) => [r.functionId, r.api, r.method, r.path, r.payloadFormat, r.cors !== null]),
      [
        ['a', 'http', 'ANY', '$default', '1.0', true],
        ['a', 'http', 'GET', '/x/{id}', '1.0', true],
        ['b', 'http', 'POST', '/y', '1.0', true],
        ['b', 'rest', 'ANY', '/z/{proxy+}', '1.0', false],
      ],
    );
    assert.deepEqual(t.urls, [{ functionId: 'a', authType: 'NONE', invokeMode: 'RESPONSE_STREAM', cors: null }]);
  });

  it('labels triggers for the state panel', () => {
    assert.equal(
      triggerLabel({ kind: 'http', front: 'http', method: 'GET', path: '/u/7', routeKey: 'GET /u/{id}' }),
      'GET /u/7 (HTTP API GET /u/{id})',
    );
    assert.equal(triggerLabel({ kind: 'invokeApi', invocationType: 'Event', attempt: 2 }), 'Invoke API (Event, try 2)');
    assert.equal(
      triggerLabel({
        kind: 'http',
        front: 'rest',
        method: 'GET',
        path: '/a',
        routeKey: 'GET /a',
        authorizer: 'TokenAuth',
      }),
      'GET /a (REST API GET /a, authorizer TokenAuth)',
    );
    assert.equal(triggerLabel({ kind: 'toolbar' }), 'Toolbar');
    assert.equal(triggerLabel(null), 'Toolbar');
  });
});

describe('authorizer policies, SigV4 form, qualifiers', () => {
  const arn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/items/1';
  const statement = (Effect: string, Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({
    Effect,
    Resource,
    Action,
  });

  it('decides as IAM does: wildcards, Deny over Allow, nothing matching, not a policy', () => {
    assert.equal(policyDecision({ Statement: [statement('Allow', arn)] }, arn), 'allow');
    assert.equal(
      policyDecision({ Statement: [statement('Allow', 'arn:aws:execute-api:*:*:abc123/*/GET/*')] }, arn),
      'allow',
    );
    assert.equal(
      policyDecision({ Statement: [statement('Allow', 'arn:aws:execute-api:*:*:abc123/dev/GET/items/?')] }, arn),
      'allow',
    );
    assert.equal(
      policyDecision({ Statement: statement('Allow', ['x', arn], '*') }, arn),
      'allow',
      'one statement, Action *',
    );
    assert.equal(
      policyDecision(
        { Statement: [statement('Allow', '*'), statement('Deny', arn.replace('items/1', 'items/*'))] },
        arn,
      ),
      'deny',
    );
    assert.equal(policyDecision({ Statement: [statement('Allow', arn.replace('GET', 'POST'))] }, arn), 'none');
    assert.equal(policyDecision({ Statement: [statement('Allow', arn, 's3:GetObject')] }, arn), 'none');
    assert.equal(policyDecision({ Statement: [] }, arn), null);
    assert.equal(policyDecision('Allow', arn), null);
  });

  it('a SigV4 request: the header form, the scope, the date; a presigned query', () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const request = (headers: [string, string][], rawQueryString = ''): HttpRequestInfo => ({
      method: 'GET',
      rawPath: '/',
      rawQueryString,
      headers,
      body: Buffer.alloc(0),
      sourceIp: '127.0.0.1',
      protocol: 'HTTP/1.1',
      time: new Date(now),
      requestId: 'r',
    });
    const auth = (scope: string) =>
      `AWS4-HMAC-SHA256 Credential=AKID/${scope}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`;
    const signed = (scope: string, date: string) =>
      request([
        ['Authorization', auth(scope)],
        ['X-Amz-Date', date],
      ]);
    assert.deepEqual(checkSigV4(signed('20261125/us-east-1/lambda', '20261125T115900Z'), 'us-east-1', now), {
      ok: true,
      accessKey: 'AKID',
    });
    const reason = (r: ReturnType<typeof checkSigV4>) => (r.ok ? 'ok' : r.reason);
    assert.match(reason(checkSigV4(request([]), 'us-east-1', now)), /not signed/);
    assert.match(
      reason(checkSigV4(signed('20261125/us-east-1/s3', '20261125T115900Z'), 'us-east-1', now)),
      /scoped to s3/,
    );
    assert.match(
      reason(checkSigV4(signed('20261125/us-east-1/lambda', '20261125T113000Z'), 'us-east-1', now)),
      /expired/,
    );
    assert.match(
      reason(checkSigV4(request([['Authorization', 'Bearer x']]), 'us-east-1', now)),
      /not an AWS4-HMAC-SHA256/,
    );
    const query = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDQ%2F20261125%2Fus-east-1%2Flambda%2Faws4_request&X-Amz-Date=20261125T120100Z&X-Amz-SignedHeaders=host&X-Amz-Signature=${'b'.repeat(64)}`;
    assert.deepEqual(checkSigV4(request([], query), 'us-east-1', now), { ok: true, accessKey: 'AKIDQ' });
  });

  it('a qualifier names $LATEST, an alias, a published version, or nothing', () => {
    const config = withDefaults({ root: '/r', handler: 'a.h', aliases: { live: '1' } });
    assert.equal(versionNamed(config, null), '$LATEST');
    assert.equal(versionNamed(config, '$LATEST'), '$LATEST');
    assert.equal(versionNamed(config, 'live'), '1');
    assert.equal(versionNamed(config, '1'), '1');
    assert.equal(versionNamed(config, '2'), null);
    assert.equal(versionNamed(config, 'prod'), null);
    assert.equal(versionNamed(withDefaults({ root: '/r', handler: 'a.h' }), '1'), null);
  });
});
