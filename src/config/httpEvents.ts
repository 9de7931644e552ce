// What calls a function over HTTP, read from the same files as the functions: a SAM
// template's `Events` of type `Api` (REST API, payload 1.0) and `HttpApi` (HTTP API, payload
// 2.0 unless `PayloadFormatVersion` says 1.0) with their APIs' `Cors` / `CorsConfiguration`
// stage and stage variables, and `FunctionUrlConfig`; serverless.yml's `http` / `httpApi` events and `url`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYamlOrJson } from './sam';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface CorsRules {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  allowCredentials: boolean;
  maxAgeSeconds: number | null;
}

export interface HttpRouteDefinition {
  /** The function's logical id (SAM) or key (serverless.yml). */
  functionId: string;
  api: 'rest' | 'http';
  /** The API the route belongs to (logical id, or SAM's implicit ServerlessRestApi / ServerlessHttpApi). */
  apiId: string;
  /** Upper-case method or ANY. */
  method: string;
  /** '/hello/{id}', '/{proxy+}', or '$default' (HTTP APIs). */
  path: string;
  payloadFormat: '1.0' | '2.0';
  stage: string;
  /** API Gateway's integration timeout: 29 s for REST APIs, up to 30 s for HTTP APIs. */
  timeoutMs: number;
  cors: CorsRules | null;
  binaryMediaTypes: string[];
  /** The stage's variables (`event.stageVariables`): a REST API's `Variables`, an HTTP API's
   * `StageVariables`; null when the stage has none. */
  stageVariables: Record<string, string> | null;
  /** The Lambda authorizer that runs before the route's function; null: none. */
  authorizer: LambdaAuthorizer | null;
  /** REST: the API's DefaultAuthorizer, which SAM also puts on the CORS preflight (OPTIONS)
   * unless `AddDefaultAuthorizerToCorsPreflight: false`; null: preflights are open. */
  preflightAuthorizer?: LambdaAuthorizer | null;
}

/** A Lambda authorizer of an API (SAM `Auth.Authorizers` with a `FunctionArn`). */
export interface LambdaAuthorizer {
  name: string;
  /** The authorizer function's logical id (from `!GetAtt Fn.Arn`, `!Ref Fn` or an ARN's name). */
  functionId: string;
  /** REST: TOKEN (a header's value) or REQUEST (headers, query strings, … as identity); HTTP APIs are REQUEST. */
  type: 'TOKEN' | 'REQUEST';
  /** Identity sources: a request without every one of them is refused (401) before the authorizer runs. */
  identity: { headers: string[]; queryStrings: string[]; stageVariables: string[] };
  /** TOKEN: the token must match this (whole) or the request is refused (401). */
  validationExpression: string | null;
  /** How long a response is cached per identity (0: never); REST's default is 300 s. */
  ttlSeconds: number;
  /** HTTP APIs: the authorizer's payload format (REST authorizers are 1.0). */
  payloadFormat: '1.0' | '2.0';
  /** HTTP APIs: `{isAuthorized, context}` responses instead of IAM policies. */
  simpleResponses: boolean;
}

/** The function an authorizer's FunctionArn names: `!GetAtt Fn.Arn`, `!Ref Fn`, or an ARN. */
function authorizerFunctionId(value: unknown): string | null {
  if (isObj(value) && Array.isArray(value['Fn::GetAtt'])) return String(value['Fn::GetAtt'][0]);
  if (isObj(value) && typeof value['Fn::GetAtt'] === 'string') return value['Fn::GetAtt'].split('.')[0];
  if (isObj(value) && typeof value.Ref === 'string') return value.Ref;
  if (typeof value === 'string') return /:function:([^:]+)/.exec(value)?.[1] ?? null;
  return null;
}

/** The authorizer a route uses: the event's `Auth.Authorizer` (NONE: none), else the API's
 * `Auth.DefaultAuthorizer`. Authorizers Lambda cannot run here (Cognito, JWT, AWS_IAM) warn. */
function routeAuthorizer(
  api: 'rest' | 'http',
  apiAuth: unknown,
  eventAuth: unknown,
  where: string,
  warnings: string[],
): LambdaAuthorizer | null {
  const auth = isObj(apiAuth) ? apiAuth : {};
  const chosen = isObj(eventAuth) && eventAuth.Authorizer !== undefined ? eventAuth.Authorizer : auth.DefaultAuthorizer;
  if (chosen === undefined || chosen === 'NONE') return null;
  const name = String(chosen);
  const definitions = isObj(auth.Authorizers) ? auth.Authorizers : {};
  const definition = definitions[name];
  if (!isObj(definition) || definition.FunctionArn === undefined) {
    warnings.push(
      `${where}: authorizer ${name} is not a Lambda authorizer (Cognito, JWT and AWS_IAM are not checked locally); the route is served without it.`,
    );
    return null;
  }
  const functionId = authorizerFunctionId(definition.FunctionArn);
  if (!functionId) {
    warnings.push(`${where}: authorizer ${name}'s FunctionArn names no function of the template; served without it.`);
    return null;
  }
  const identity = isObj(definition.Identity) ? definition.Identity : {};
  const ttl = identity.ReauthorizeEvery;
  if (api === 'rest') {
    const token = definition.FunctionPayloadType !== 'REQUEST';
    return {
      name,
      functionId,
      type: token ? 'TOKEN' : 'REQUEST',
      identity: token
        ? {
            headers: [typeof identity.Header === 'string' ? identity.Header : 'Authorization'],
            queryStrings: [],
            stageVariables: [],
          }
        : {
            headers: strings(identity.Headers),
            queryStrings: strings(identity.QueryStrings),
            stageVariables: strings(identity.StageVariables),
          },
      validationExpression:
        token && typeof identity.ValidationExpression === 'string' ? identity.ValidationExpression : null,
      ttlSeconds: typeof ttl === 'number' ? ttl : 300,
      payloadFormat: '1.0',
      simpleResponses: false,
    };
  }
  return {
    name,
    functionId,
    type: 'REQUEST',
    identity: {
      headers: strings(identity.Headers),
      queryStrings: strings(identity.QueryStrings),
      stageVariables: strings(identity.StageVariables),
    },
    validationExpression: null,
    ttlSeconds: typeof ttl === 'number' ? ttl : 0,
    payloadFormat: String(definition.AuthorizerPayloadFormatVersion ?? '2.0') === '1.0' ? '1.0' : '2.0',
    simpleResponses: definition.EnableSimpleResponses === true,
  };
}

/** An API Gateway route of `functionId`: the `$default` route (ANY, payload 2.0, stage
 * `$default`, HTTP API timeout, no CORS) unless `route` says otherwise. */
export function apiRoute(functionId: string, route: Partial<HttpRouteDefinition> = {}): HttpRouteDefinition {
  return {
    functionId,
    api: 'http',
    apiId: 'HttpApi',
    method: 'ANY',
    path: '$default',
    payloadFormat: '2.0',
    stage: '$default',
    timeoutMs: HTTP_API_TIMEOUT_MS,
    cors: null,
    binaryMediaTypes: [],
    stageVariables: null,
    authorizer: null,
    ...route,
  };
}

export interface FunctionUrlDefinition {
  functionId: string;
  /** AWS_IAM: a request must be signed with Signature Version 4 (its form is checked, see httpFront.ts). */
  authType: 'NONE' | 'AWS_IAM';
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
  cors: CorsRules | null;
}

export interface HttpTriggers {
  routes: HttpRouteDefinition[];
  urls: FunctionUrlDefinition[];
  warnings: string[];
}

export const REST_TIMEOUT_MS = 29_000;
export const HTTP_API_TIMEOUT_MS = 30_000;

export function readHttpTriggers(file: string): HttpTriggers {
  const text = fs.readFileSync(file, 'utf8');
  return /^serverless\.ya?ml$/.test(path.basename(file))
    ? serverlessTriggers(parseYamlOrJson(text, file))
    : samTriggers(parseYamlOrJson(text, file));
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((v) => String(v)) : typeof value === 'string' ? value.split(',') : [];
/** SAM's REST `Cors` values are quoted strings, e.g. "'*'" or "'GET,POST'". */
const unquote = (value: unknown): string => String(value ?? '').replace(/^'|'$/g, '');

function restCors(value: unknown): CorsRules | null {
  if (value === undefined || value === null || value === false) return null;
  if (typeof value === 'string') return { ...openCors(), allowOrigins: [unquote(value)] };
  if (!isObj(value)) return null;
  return {
    allowOrigins: [unquote(value.AllowOrigin ?? "'*'")],
    allowMethods: value.AllowMethods ? unquote(value.AllowMethods).split(/\s*,\s*/) : ['*'],
    allowHeaders: value.AllowHeaders ? unquote(value.AllowHeaders).split(/\s*,\s*/) : [],
    exposeHeaders: [],
    allowCredentials: unquote(value.AllowCredentials) === 'true',
    maxAgeSeconds: value.MaxAge === undefined ? null : Number(unquote(value.MaxAge)),
  };
}

function openCors(): CorsRules {
  return {
    allowOrigins: ['*'],
    allowMethods: ['*'],
    allowHeaders: ['*'],
    exposeHeaders: [],
    allowCredentials: false,
    maxAgeSeconds: null,
  };
}

/** HTTP API `CorsConfiguration` and function URL `Cors` (the same shape). */
function httpCors(value: unknown): CorsRules | null {
  if (value === true) return openCors();
  if (!isObj(value)) return null;
  return {
    allowOrigins: strings(value.AllowOrigins),
    allowMethods: strings(value.AllowMethods).map((m) => m.toUpperCase()),
    allowHeaders: strings(value.AllowHeaders).map((h) => h.toLowerCase()),
    exposeHeaders: strings(value.ExposeHeaders),
    allowCredentials: value.AllowCredentials === true,
    maxAgeSeconds: value.MaxAge === undefined ? null : Number(value.MaxAge),
  };
}

/** A stage's variables: string values only (API Gateway's are strings); others are named in
 * a warning and left out. */
function stageVariablesOf(value: unknown, where: string, warnings: string[]): Record<string, string> | null {
  if (!isObj(value)) return null;
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[name] = String(v);
    else warnings.push(`${where}: stage variable ${name} is not a plain value here; left out.`);
  }
  return Object.keys(out).length > 0 ? out : null;
}

function samTriggers(template: Obj): HttpTriggers {
  const resources = isObj(template.Resources) ? template.Resources : {};
  const globals = isObj(template.Globals) ? template.Globals : {};
  const globalApi = isObj(globals.Api) ? globals.Api : {};
  const globalHttpApi = isObj(globals.HttpApi) ? globals.HttpApi : {};
  const globalFunction = isObj(globals.Function) ? globals.Function : {};
  const result: HttpTriggers = { routes: [], urls: [], warnings: [] };
  const apiProps = (ref: unknown, fallback: Obj): { id: string; props: Obj } => {
    const id = isObj(ref) && typeof ref.Ref === 'string' ? ref.Ref : null;
    const resource = id ? resources[id] : undefined;
    const own = isObj(resource) && isObj(resource.Properties) ? resource.Properties : {};
    return { id: id ?? '', props: { ...fallback, ...own } };
  };

  for (const [functionId, resource] of Object.entries(resources)) {
    if (!isObj(resource) || resource.Type !== 'AWS::Serverless::Function') continue;
    const props = isObj(resource.Properties) ? resource.Properties : {};
    const events = isObj(props.Events) ? props.Events : {};
    for (const event of Object.values(events)) {
      if (!isObj(event) || !isObj(event.Properties)) continue;
      const p = event.Properties;
      if (event.Type === 'Api') {
        const api = apiProps(p.RestApiId, globalApi);
        result.routes.push({
          functionId,
          api: 'rest',
          apiId: api.id || 'ServerlessRestApi',
          method: String(p.Method ?? 'ANY').toUpperCase(),
          path: String(p.Path ?? '/'),
          payloadFormat: '1.0',
          stage: typeof api.props.StageName === 'string' ? api.props.StageName : 'Prod',
          timeoutMs: REST_TIMEOUT_MS,
          cors: restCors(api.props.Cors),
          binaryMediaTypes: strings(api.props.BinaryMediaTypes).map((t) => t.replace('~1', '/')),
          stageVariables: stageVariablesOf(api.props.Variables, api.id || 'ServerlessRestApi', result.warnings),
          authorizer: routeAuthorizer(
            'rest',
            api.props.Auth,
            p.Auth,
            `${functionId} ${String(p.Path)}`,
            result.warnings,
          ),
          preflightAuthorizer:
            api.props.Cors !== undefined &&
            isObj(api.props.Auth) &&
            api.props.Auth.AddDefaultAuthorizerToCorsPreflight !== false
              ? routeAuthorizer('rest', api.props.Auth, undefined, '', [])
              : null,
        });
      } else if (event.Type === 'HttpApi') {
        const api = apiProps(p.ApiId, globalHttpApi);
        const format = String(p.PayloadFormatVersion ?? '2.0') === '1.0' ? '1.0' : '2.0';
        const method = p.Method === undefined ? null : String(p.Method).toUpperCase();
        const isDefault = p.Path === undefined && method === null;
        result.routes.push({
          functionId,
          api: 'http',
          apiId: api.id || 'ServerlessHttpApi',
          method: method === null || method === '*' ? 'ANY' : method,
          path: isDefault ? '$default' : String(p.Path ?? '/'),
          payloadFormat: format,
          stage: typeof api.props.StageName === 'string' ? api.props.StageName : '$default',
          timeoutMs: typeof p.TimeoutInMillis === 'number' ? p.TimeoutInMillis : HTTP_API_TIMEOUT_MS,
          cors: httpCors(api.props.CorsConfiguration),
          binaryMediaTypes: [],
          stageVariables: stageVariablesOf(api.props.StageVariables, api.id || 'ServerlessHttpApi', result.warnings),
          authorizer: routeAuthorizer(
            'http',
            api.props.Auth,
            p.Auth,
            `${functionId} ${String(p.Path ?? '$default')}`,
            result.warnings,
          ),
        });
      }
      // Other event sources (SQS, S3, Schedule, …) do not call over HTTP; generate-event covers them.
    }
    const url = isObj(props.FunctionUrlConfig)
      ? props.FunctionUrlConfig
      : isObj(globalFunction.FunctionUrlConfig)
        ? globalFunction.FunctionUrlConfig
        : null;
    if (url) {
      result.urls.push({
        functionId,
        authType: url.AuthType === 'AWS_IAM' ? 'AWS_IAM' : 'NONE',
        invokeMode: url.InvokeMode === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED',
        cors: httpCors(url.Cors),
      });
    }
  }
  return result;
}

function serverlessTriggers(doc: Obj): HttpTriggers {
  const provider = isObj(doc.provider) ? doc.provider : {};
  const stage = typeof provider.stage === 'string' && !provider.stage.includes('${') ? provider.stage : 'dev';
  const httpApiConfig = isObj(provider.httpApi) ? provider.httpApi : {};
  const functions = isObj(doc.functions) ? doc.functions : {};
  const result: HttpTriggers = { routes: [], urls: [], warnings: [] };
  const slsPath = (p: unknown) => '/' + String(p ?? '').replace(/^\/+/, '');
  for (const [functionId, fn] of Object.entries(functions)) {
    if (!isObj(fn)) continue;
    for (const entry of Array.isArray(fn.events) ? fn.events : []) {
      if (!isObj(entry)) continue;
      if (entry.http !== undefined) {
        const h = entry.http;
        const [method, route] = typeof h === 'string' ? h.split(/\s+/, 2) : [(h as Obj).method, (h as Obj).path];
        const cors = isObj(h) ? h.cors : undefined;
        result.routes.push({
          functionId,
          api: 'rest',
          apiId: 'ApiGatewayRestApi',
          method: String(method ?? 'ANY').toUpperCase() === '*' ? 'ANY' : String(method ?? 'ANY').toUpperCase(),
          path: slsPath(route),
          payloadFormat: '1.0',
          stage,
          timeoutMs: REST_TIMEOUT_MS,
          cors: cors === true ? openCors() : isObj(cors) ? slsCors(cors) : null,
          binaryMediaTypes: [],
          stageVariables: null,
          authorizer: null,
        });
      } else if (entry.httpApi !== undefined) {
        const h = entry.httpApi;
        let method: string;
        let route: string;
        if (typeof h === 'string') {
          if (h === '*') [method, route] = ['ANY', '$default'];
          else [method, route] = h.split(/\s+/, 2) as [string, string];
        } else {
          method = String((h as Obj).method ?? 'ANY');
          route = String((h as Obj).path ?? '$default');
        }
        result.routes.push({
          functionId,
          api: 'http',
          apiId: 'HttpApi',
          method: method === '*' ? 'ANY' : method.toUpperCase(),
          path: route === '$default' || route === '*' ? '$default' : slsPath(route),
          payloadFormat: String(httpApiConfig.payload ?? '2.0') === '1.0' ? '1.0' : '2.0',
          stage: '$default',
          timeoutMs: HTTP_API_TIMEOUT_MS,
          cors:
            httpApiConfig.cors === true ? openCors() : isObj(httpApiConfig.cors) ? slsCors(httpApiConfig.cors) : null,
          binaryMediaTypes: [],
          stageVariables: null,
          authorizer: null,
        });
      }
    }
    if (fn.url !== undefined && fn.url !== false) {
      const url = isObj(fn.url) ? fn.url : {};
      result.urls.push({
        functionId,
        authType: url.authorizer === 'aws_iam' ? 'AWS_IAM' : 'NONE',
        invokeMode: url.invokeMode === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED',
        cors: url.cors === true ? openCors() : isObj(url.cors) ? slsCors(url.cors) : null,
      });
    }
  }
  return result;
}

/** serverless.yml's cors objects: origin(s), headers, methods, allowCredentials, maxAge. */
function slsCors(value: Obj): CorsRules {
  const origins = strings(value.allowedOrigins ?? value.origins ?? value.origin ?? '*');
  return {
    allowOrigins: origins,
    allowMethods: strings(value.allowedMethods ?? value.methods ?? '*').map((m) => m.toUpperCase()),
    allowHeaders: strings(value.allowedHeaders ?? value.headers ?? '*'),
    exposeHeaders: strings(value.exposedResponseHeaders ?? []),
    allowCredentials: value.allowCredentials === true || value.credentials === true,
    maxAgeSeconds: typeof value.maxAge === 'number' ? value.maxAge : null,
  };
}
