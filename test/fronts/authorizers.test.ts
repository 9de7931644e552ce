// Authorizers in `serve`, read from the template's `Auth`: a REST TOKEN authorizer (identity
// header, ValidationExpression, Unauthorized, an explicit Deny, its context in
// requestContext.authorizer, its answer cached per token and evaluated against each request's
// methodArn), a REST REQUEST authorizer (query string identity, a failing authorizer is a 500
// AuthorizerConfigurationException), a route with `Authorizer: NONE`, an HTTP API authorizer
// with simple responses (payload 2.0, context under `lambda`), and a function URL with
// AuthType AWS_IAM taking a request signed by the AWS SDK's own SigV4 signer and refusing an
// unsigned one; SAM's default authorizer on a REST API's CORS preflight. Each authorizer is
// a real function in its own warm environment.

import { strict as assert } from 'node:assert';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import { codeRoot } from '../support/engine';
import { startServe, type ServeProcess } from '../support/serve';

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: { Runtime: nodejs20.x, CodeUri: . }
Resources:
  RestApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
      Cors: "'*'"
      Auth:
        DefaultAuthorizer: TokenAuth
        Authorizers:
          TokenAuth:
            FunctionArn: !GetAtt TokenAuthFunction.Arn
            Identity: { ValidationExpression: 'Bearer .+' }
          RequestAuth:
            FunctionPayloadType: REQUEST
            FunctionArn: !GetAtt RequestAuthFunction.Arn
            Identity: { QueryStrings: [key], ReauthorizeEvery: 0 }
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Simple
        Authorizers:
          Simple:
            FunctionArn: !GetAtt SimpleAuthFunction.Arn
            AuthorizerPayloadFormatVersion: '2.0'
            EnableSimpleResponses: true
            Identity: { Headers: [x-api-key] }
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.echo
      Events:
        Items: { Type: Api, Properties: { RestApiId: !Ref RestApi, Path: '/items/{id}', Method: GET } }
        Open: { Type: Api, Properties: { RestApiId: !Ref RestApi, Path: /open, Method: GET, Auth: { Authorizer: NONE } } }
        Req: { Type: Api, Properties: { RestApiId: !Ref RestApi, Path: /req, Method: GET, Auth: { Authorizer: RequestAuth } } }
        Me: { Type: HttpApi, Properties: { ApiId: !Ref HttpApi, Path: /me, Method: GET } }
  TokenAuthFunction:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.token }
  RequestAuthFunction:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.request }
  SimpleAuthFunction:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.simple }
  IamUrl:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.echo
      FunctionUrlConfig: { AuthType: AWS_IAM }
`;

const APP = `
let tokenCalls = 0;
const policy = (effect, resource) => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
});
exports.echo = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });
exports.token = async (event) => {
  tokenCalls++;
  console.log('token authorizer', event.type, event.authorizationToken, event.methodArn);
  if (event.authorizationToken === 'Bearer bad') throw new Error('Unauthorized');
  const effect = event.authorizationToken === 'Bearer deny' ? 'Deny' : 'Allow';
  return { principalId: 'user-1', policyDocument: policy(effect, event.methodArn), context: { tier: 'gold', n: 7, calls: tokenCalls } };
};
exports.request = async (event) => {
  if (event.queryStringParameters.key === 'boom') throw new TypeError('authorizer bug');
  return { principalId: 'req-' + event.queryStringParameters.key, policyDocument: policy('Allow', 'arn:aws:execute-api:*:*:*/dev/GET/*'), context: { type: event.type, methodArn: event.methodArn } };
};
exports.simple = async (event) => ({ isAuthorized: event.headers['x-api-key'] === 'open', context: { user: 'u-' + event.identitySource[0], routeArn: event.routeArn } });
`;

const bytes = (data: unknown) => (typeof data === 'string' ? data : Buffer.from(data as Uint8Array));

/** node:crypto as the Checksum the SDK's signer takes. */
class Sha256 {
  private readonly hash;
  constructor(secret?: unknown) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: unknown) {
    this.hash.update(bytes(data));
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset() {}
}

describe('authorizers and AWS_IAM function URLs (serve)', function () {
  this.timeout(60_000);
  let serve: ServeProcess;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(serve.httpUrl + path, { headers });

  before(async () => {
    serve = await startServe([], codeRoot({ 'template.yaml': TEMPLATE, 'app.js': APP }));
  });
  after(async () => {
    await serve?.stop();
  });

  it('REST TOKEN: allowed with its context in requestContext.authorizer (values as strings), then cached', async () => {
    const r = await get('/items/1', { Authorization: 'Bearer good' });
    assert.equal(r.status, 200);
    const event = (await r.json()) as APIGatewayProxyEvent;
    const authorizer = event.requestContext.authorizer!;
    assert.equal(authorizer.principalId, 'user-1');
    assert.equal(authorizer.tier, 'gold');
    assert.equal(authorizer.n, '7');
    assert.equal(authorizer.calls, '1');
    assert.equal(typeof authorizer.integrationLatency, 'number');
    assert.match(
      serve.stderr(),
      /token authorizer TOKEN Bearer good arn:aws:execute-api:us-east-1:123456789012:\w+\/dev\/GET\/items\/1/,
    );

    const again = (await (await get('/items/1', { Authorization: 'Bearer good' })).json()) as APIGatewayProxyEvent;
    assert.equal(again.requestContext.authorizer!.calls, '1', 'the cached answer (ReauthorizeEvery 300 by default)');
    // The cached policy names /items/1 only: API Gateway evaluates it against the new ARN.
    const other = await get('/items/2', { Authorization: 'Bearer good' });
    assert.equal(other.status, 403);
    assert.deepEqual(await other.json(), { Message: 'User is not authorized to access this resource' });
  });

  it('REST TOKEN: 401 without the header, off the ValidationExpression or on Unauthorized; 403 on Deny', async () => {
    const cases: Record<string, string>[] = [{}, { Authorization: 'Token x' }, { Authorization: 'Bearer bad' }];
    for (const headers of cases) {
      const r = await get('/items/1', headers);
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.deepEqual(await r.json(), { message: 'Unauthorized' });
    }
    assert.equal(serve.stderr().match(/token authorizer TOKEN Token x/), null, 'refused before the authorizer ran');
    const denied = await get('/items/1', { Authorization: 'Bearer deny' });
    assert.equal(denied.status, 403);
    assert.deepEqual(await denied.json(), {
      Message: 'User is not authorized to access this resource with an explicit deny',
    });
  });

  it('Authorizer NONE: the route runs without one', async () => {
    const r = await get('/open');
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as APIGatewayProxyEvent).requestContext.authorizer, undefined);
  });

  it('REST REQUEST: the query string identity, the request event, a failing authorizer is 500', async () => {
    const r = await get('/req?key=k1');
    assert.equal(r.status, 200);
    const authorizer = ((await r.json()) as APIGatewayProxyEvent).requestContext.authorizer!;
    assert.equal(authorizer.principalId, 'req-k1');
    assert.equal(authorizer.type, 'REQUEST');
    assert.match(authorizer.methodArn as string, /\/dev\/GET\/req$/);
    assert.equal((await get('/req')).status, 401);
    const broken = await get('/req?key=boom');
    assert.equal(broken.status, 500);
    assert.equal(broken.headers.get('x-amzn-errortype'), 'AuthorizerConfigurationException');
    assert.deepEqual(await broken.json(), { message: null });
  });

  it('HTTP API simple responses: context under requestContext.authorizer.lambda; 403 Forbidden; 401', async () => {
    const r = await get('/me', { 'x-api-key': 'open' });
    assert.equal(r.status, 200);
    const event = (await r.json()) as APIGatewayProxyEventV2WithLambdaAuthorizer<{ user: string; routeArn: string }>;
    assert.equal(event.requestContext.authorizer.lambda.user, 'u-open');
    assert.match(event.requestContext.authorizer.lambda.routeArn, /\/\$default\/GET\/me$/);
    const no = await get('/me', { 'x-api-key': 'closed' });
    assert.equal(no.status, 403);
    assert.deepEqual(await no.json(), { message: 'Forbidden' });
    assert.equal((await get('/me')).status, 401);
  });

  it('AWS_IAM function URL: a SigV4-signed request (the SDK signer) runs; an unsigned or wrongly scoped one is 403', async () => {
    const url = new URL(`${serve.httpUrl}/fn/IamUrl/hello?x=1`);
    const sign = (region: string) =>
      new SignatureV4({
        service: 'lambda',
        region,
        credentials: { accessKeyId: 'AKIDSIGNED', secretAccessKey: 'secret' },
        sha256: Sha256,
      }).sign({
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: { x: '1' },
        headers: { host: url.host },
      });
    const signed = await sign('us-east-1');
    const ok = await fetch(url, { headers: signed.headers as Record<string, string> });
    assert.equal(ok.status, 200);
    const event = (await ok.json()) as { requestContext: { authorizer: { iam: { accessKey: string } } } };
    assert.equal(event.requestContext.authorizer.iam.accessKey, 'AKIDSIGNED');

    const unsigned = await fetch(url);
    assert.equal(unsigned.status, 403);
    assert.deepEqual(await unsigned.json(), { Message: 'Forbidden' });
    const elsewhere = await sign('eu-west-1');
    assert.equal((await fetch(url, { headers: elsewhere.headers as Record<string, string> })).status, 403);
    assert.match(serve.stderr(), /AWS_IAM function URL: the credential is scoped to eu-west-1, not us-east-1: 403/);
  });

  it("REST: the DefaultAuthorizer guards the CORS preflight too (SAM's AddDefaultAuthorizerToCorsPreflight)", async () => {
    const preflight = (headers: Record<string, string>) =>
      fetch(`${serve.httpUrl}/items/1`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'GET', ...headers },
      });
    const refused = await preflight({});
    assert.equal(refused.status, 401);
    const allowed = await preflight({ Authorization: 'Bearer cors' });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), '*');
    assert.match(serve.stderr(), /token authorizer TOKEN Bearer cors \S+\/dev\/OPTIONS\/items\/1/);
  });
});
