// The fronts of a debug session with `"serve"` in its launch configuration: the session's
// function behind its template routes and function URL and the Lambda Invoke API, as
// `serve` serves it. A function without HTTP events gets an HTTP API `$default` route, so
// any path reaches it. There is no integration timeout: time stopped at a breakpoint is not
// the function's, and a request waits for Continue.

import type { Engine } from '../engine/engine';
import type { FunctionConfig } from '../config/functionConfig';
import { apiRoute, readHttpTriggers, type HttpTriggers } from '../config/httpEvents';
import { RunningFronts } from '../fronts/fronts';
import { servedIdOf } from '../fronts/servedFunctions';
import type { LambdaLaunchArguments } from '../protocol/debugProtocol';

export const DEFAULT_PORT = 3000;
export const DEFAULT_LAMBDA_PORT = 3001;

export function sessionTriggers(config: FunctionConfig): HttpTriggers {
  const id = servedIdOf(config);
  const file = config.source.kind === 'direct' ? null : config.source.file;
  const all: HttpTriggers = file ? readHttpTriggers(file) : { routes: [], urls: [], warnings: [] };
  const triggers: HttpTriggers = {
    routes: all.routes.filter((r) => r.functionId === id),
    urls: all.urls.filter((u) => u.functionId === id),
    warnings: all.warnings,
  };
  if (triggers.routes.length === 0 && triggers.urls.length === 0) {
    triggers.routes.push(apiRoute(id, { apiId: 'LocalHttpApi' }));
  }
  return triggers;
}

export function startSessionFronts(
  engine: Engine,
  config: FunctionConfig,
  serve: NonNullable<LambdaLaunchArguments['serve']>,
  notice: (line: string) => void,
): Promise<RunningFronts> {
  const options = typeof serve === 'object' ? serve : {};
  return RunningFronts.start({
    engine,
    functions: [{ id: servedIdOf(config), config }],
    triggers: sessionTriggers(config),
    port: options.port ?? DEFAULT_PORT,
    lambdaPort: options.lambdaPort ?? DEFAULT_LAMBDA_PORT,
    host: options.host,
    notice,
    integrationTimeoutMs: null,
    ...(options.eventRetryDelays ? { asyncRetryDelaysMs: options.eventRetryDelays.map((s) => s * 1000) } : {}),
  });
}
