// Lambda authorizers as API Gateway runs them before a route's function: the identity
// sources must all be present (else 401 before anything runs; a TOKEN's ValidationExpression
// too), then the authorizer function is invoked like any other (warm pool, logs) with the
// event of its kind: REST TOKEN (`authorizationToken`, `methodArn`), REST REQUEST (the
// request's 1.0 event with `methodArn`), HTTP API REQUEST payload 2.0 (`routeArn`,
// `identitySource`) or 1.0. Its answer decides: an IAM policy (Allow / Deny evaluated against
// this request's ARN, wildcards as IAM reads them) or, for HTTP APIs with simple responses,
// `isAuthorized`; `Unauthorized` thrown is 401; anything else malformed is a 500. An answer is
// cached per identity for ReauthorizeEvery seconds and a cached policy is evaluated against
// each new request's ARN (as API Gateway does, so a policy naming one path denies the next).
// The route's function then sees the answer's `context` in `requestContext.authorizer`.

import type { HttpRouteDefinition, LambdaAuthorizer } from '../config/httpEvents';
import { InvokeRejectedError } from '../engine/pool';
import { eventV1, eventV2, routeKeyOf, type EventContext } from './apiEvents';
import type { HttpResponseOut } from './apiResponses';
import { headerValue, queryPairs, type HttpRequestInfo } from './httpRequest';
import type { InvokeTarget } from './servedFunctions';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export type AuthorizationOutcome =
  { ok: true; authorizer: Obj | null } | { ok: false; response: HttpResponseOut; reason: string };

const reply = (statusCode: number, body: unknown, headers: Record<string, string[]> = {}): HttpResponseOut => ({
  statusCode,
  headers: { 'Content-Type': ['application/json'], ...headers },
  body: Buffer.from(JSON.stringify(body)),
});

/** API Gateway's answers when authorization fails, per API type. */
const REFUSALS = {
  rest: {
    unauthorized: () => reply(401, { message: 'Unauthorized' }),
    deny: () => reply(403, { Message: 'User is not authorized to access this resource with an explicit deny' }),
    noAllow: () => reply(403, { Message: 'User is not authorized to access this resource' }),
    broken: () => reply(500, { message: null }, { 'x-amzn-ErrorType': ['AuthorizerConfigurationException'] }),
  },
  http: {
    unauthorized: () => reply(401, { message: 'Unauthorized' }),
    deny: () => reply(403, { message: 'Forbidden' }),
    noAllow: () => reply(403, { message: 'Forbidden' }),
    broken: () => reply(500, { message: 'Internal Server Error' }),
  },
};

/** `arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH`: the methodArn / routeArn. */
export function executeApiArn(ctx: EventContext, stage: string, method: string, rawPath: string): string {
  return `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${ctx.apiId}/${stage}/${method}${decodeSafe(rawPath)}`;
}

function decodeSafe(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** IAM's wildcards: `*` any run of characters, `?` one. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** An IAM policy's decision for `execute-api:Invoke` on `arn`; null when it is not a policy. */
export function policyDecision(policy: unknown, arn: string): 'allow' | 'deny' | 'none' | null {
  if (!isObj(policy)) return null;
  const statements = list(policy.Statement);
  if (statements.length === 0 || !statements.every(isObj)) return null;
  let allowed = false;
  for (const statement of statements as Obj[]) {
    const actions = list(statement.Action).map(String);
    const resources = list(statement.Resource).map(String);
    const applies =
      actions.some((a) => globMatches(a.toLowerCase(), 'execute-api:invoke')) &&
      resources.some((r) => globMatches(r, arn));
    if (!applies) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'none';
}

export class Authorizers {
  private readonly cache = new Map<string, { expires: number; answer: unknown }>();

  constructor(
    private readonly target: InvokeTarget,
    private readonly notice: (line: string) => void,
  ) {}

  async authorize(
    route: HttpRouteDefinition & { authorizer: LambdaAuthorizer },
    request: HttpRequestInfo,
    pathParameters: Record<string, string> | null,
    ctx: EventContext,
  ): Promise<AuthorizationOutcome> {
    const authorizer = route.authorizer;
    const refusals = REFUSALS[route.api];
    const where = `${request.method} ${request.rawPath}: authorizer ${authorizer.name}`;
    const refuse = (response: HttpResponseOut, reason: string): AuthorizationOutcome => {
      this.notice(`${where}: ${reason}: ${response.statusCode}.`);
      return { ok: false, response, reason };
    };

    const identity = identityValues(authorizer, route, request);
    if (identity === null) return refuse(refusals.unauthorized(), 'an identity source is missing');
    if (
      authorizer.validationExpression !== null &&
      !new RegExp(`^(?:${authorizer.validationExpression})$`).test(identity[0])
    )
      return refuse(refusals.unauthorized(), 'the token does not match the ValidationExpression');

    const arn = executeApiArn(ctx, route.stage, request.method, request.rawPath);
    const cacheKey =
      identity.length > 0 && authorizer.ttlSeconds > 0 ? `${authorizer.name}\0${identity.join('\0')}` : null;
    const cached = cacheKey ? this.cache.get(cacheKey) : undefined;
    let answer: unknown;
    const started = Date.now();
    if (cached && cached.expires > Date.now()) {
      answer = cached.answer;
    } else {
      const fn = this.target.find(authorizer.functionId);
      if (!fn) return refuse(refusals.broken(), `its function ${authorizer.functionId} is not served`);
      const event = authorizerEvent(authorizer, route, request, pathParameters, ctx, arn, identity);
      let result;
      try {
        result = await this.target.invoke(fn, JSON.stringify(event), {
          trigger: {
            kind: 'http',
            front: route.api,
            method: request.method,
            path: request.rawPath,
            routeKey: routeKeyOf(route),
            authorizer: authorizer.name,
          },
        });
      } catch (error) {
        if (error instanceof InvokeRejectedError) return refuse(refusals.broken(), `${error.errorType}`);
        throw error;
      }
      if (result.status !== 'success') {
        // A function that fails with the message "Unauthorized" asks for a 401.
        if (result.error?.errorMessage === 'Unauthorized')
          return refuse(refusals.unauthorized(), 'the authorizer answered Unauthorized');
        return refuse(refusals.broken(), `the authorizer failed (${result.error?.errorType ?? result.status})`);
      }
      answer = result.result;
      if (cacheKey) this.cache.set(cacheKey, { expires: Date.now() + authorizer.ttlSeconds * 1000, answer });
    }
    const latency = Date.now() - started;

    if (route.api === 'http' && authorizer.simpleResponses) {
      if (!isObj(answer) || typeof answer.isAuthorized !== 'boolean')
        return refuse(refusals.broken(), 'a simple response needs a boolean isAuthorized');
      if (!answer.isAuthorized) return refuse(refusals.deny(), 'isAuthorized is false');
      return { ok: true, authorizer: httpAuthorizerContext(answer.context ?? null, route, null, latency) };
    }
    if (!isObj(answer) || (route.api === 'rest' && typeof answer.principalId !== 'string'))
      return refuse(refusals.broken(), 'the answer has no principalId');
    const decision = policyDecision(answer.policyDocument, arn);
    if (decision === null) return refuse(refusals.broken(), 'the answer has no policyDocument with statements');
    if (decision === 'deny') return refuse(refusals.deny(), `the policy denies ${arn}`);
    if (decision === 'none') return refuse(refusals.noAllow(), `the policy allows nothing that matches ${arn}`);
    const context = answer.context ?? null;
    if (route.api === 'http')
      return {
        ok: true,
        authorizer: httpAuthorizerContext(context, route, String(answer.principalId ?? ''), latency),
      };
    if (
      context !== null &&
      (!isObj(context) || Object.values(context).some((v) => typeof v === 'object' && v !== null))
    )
      return refuse(refusals.broken(), 'context values must be strings, numbers or booleans');
    const values: Obj = {};
    for (const [k, v] of Object.entries((context as Obj | null) ?? {})) values[k] = String(v);
    return { ok: true, authorizer: { ...values, principalId: answer.principalId, integrationLatency: latency } };
  }
}

/** What an HTTP API route's function sees of its authorizer: payload 2.0 `{lambda: context}`;
 * payload 1.0 the context's keys with principalId and integrationLatency. */
function httpAuthorizerContext(
  context: unknown,
  route: HttpRouteDefinition,
  principalId: string | null,
  latency: number,
) {
  if (route.payloadFormat === '2.0') return { lambda: context };
  return {
    ...(isObj(context) ? context : {}),
    ...(principalId !== null ? { principalId } : {}),
    integrationLatency: latency,
  };
}

/** The identity sources' values in order; null when one is missing or empty. */
function identityValues(authorizer: LambdaAuthorizer, route: HttpRouteDefinition, request: HttpRequestInfo) {
  const values: string[] = [];
  const query = new Map(queryPairs(request.rawQueryString));
  for (const name of authorizer.identity.headers) values.push(headerValue(request, name) ?? '');
  for (const name of authorizer.identity.queryStrings) values.push(query.get(name) ?? '');
  for (const name of authorizer.identity.stageVariables) values.push(route.stageVariables?.[name] ?? '');
  return values.some((v) => v === '') ? null : values;
}

function authorizerEvent(
  authorizer: LambdaAuthorizer,
  route: HttpRouteDefinition,
  request: HttpRequestInfo,
  pathParameters: Record<string, string> | null,
  ctx: EventContext,
  arn: string,
  identity: string[],
): unknown {
  if (authorizer.type === 'TOKEN') return { type: 'TOKEN', methodArn: arn, authorizationToken: identity[0] };
  if (route.api === 'http' && authorizer.payloadFormat === '2.0') {
    const event = withoutBody(
      eventV2(
        request,
        { routeKey: routeKeyOf(route), stage: route.stage, stageVariables: route.stageVariables },
        pathParameters,
        ctx,
      ),
    );
    return { version: '2.0', type: 'REQUEST', routeArn: arn, identitySource: identity, ...event };
  }
  return {
    ...(route.api === 'http' ? { version: '1.0', identitySource: identity.join(',') } : {}),
    type: 'REQUEST',
    methodArn: arn,
    ...withoutBody(eventV1(request, route, pathParameters, ctx)),
  };
}

/** An authorizer gets the request without its body. */
function withoutBody(event: object): Obj {
  const copy: Obj = { ...event };
  delete copy.body;
  delete copy.isBase64Encoded;
  return copy;
}
