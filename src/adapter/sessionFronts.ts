// The fronts of a debug session with `"serve"` in its launch configuration: the template's
// routes, function URLs and the Lambda Invoke API, as `serve` serves them. The session's
// function runs in the session's engine (debugged: threads, phase stops, breakpoints); the
// template's other functions (an authorizer, the function another route calls) are served
// too, in a second engine without the debugger, their logs in the Debug Console. A session
// function without HTTP events gets an HTTP API `$default` route, so any path reaches it.
// There is no integration timeout: time stopped at a breakpoint is not the function's, and
// a request waits for Continue.

import type { Engine } from '../engine/engine';
import type { FunctionConfig } from '../config/functionConfig';
import { readEnvFile } from '../config/envFile';
import { readFunctions } from '../config/index';
import { apiRoute, readHttpTriggers, type HttpTriggers } from '../config/httpEvents';
import { RunningFronts } from '../fronts/fronts';
import { servedIdOf, type ServedFunction } from '../fronts/servedFunctions';
import type { LambdaLaunchArguments } from '../protocol/debugProtocol';

export const DEFAULT_PORT = 3000;
export const DEFAULT_LAMBDA_PORT = 3001;

/** The routes and URLs served: every function's of the template, and a `$default` route for
 * the session's function when it has none. */
export function sessionTriggers(config: FunctionConfig): HttpTriggers {
  const id = servedIdOf(config);
  const file = config.source.kind === 'direct' ? null : config.source.file;
  const triggers: HttpTriggers = file ? readHttpTriggers(file) : { routes: [], urls: [], warnings: [] };
  if (!triggers.routes.some((r) => r.functionId === id) && !triggers.urls.some((u) => u.functionId === id)) {
    triggers.routes.push(apiRoute(id, { apiId: 'LocalHttpApi' }));
  }
  return triggers;
}

export interface SessionFronts {
  fronts: RunningFronts;
  /** The engine of the template's other functions (null when there are none). */
  others: Engine | null;
}

export interface OtherFunctions {
  parameterOverrides?: Record<string, string>;
  envFile?: string;
  /** A new engine like the session's, without the debugger. */
  createEngine(): Engine;
}

/** The template's functions other than the session's, each usable one with the env file applied. */
function otherFunctions(config: FunctionConfig, options: OtherFunctions, notice: (line: string) => void) {
  if (config.source.kind === 'direct') return [];
  const id = servedIdOf(config);
  const read = readFunctions(config.source.file, { parameterOverrides: options.parameterOverrides });
  const out: { id: string; config: FunctionConfig }[] = [];
  for (const definition of read.functions) {
    const otherId = servedIdOf(definition.config);
    if (otherId === id) continue;
    if (definition.invalid) {
      notice(`Not served: ${definition.invalid}`);
      continue;
    }
    const environment = { ...definition.config.environment };
    if (options.envFile) Object.assign(environment, readEnvFile(options.envFile, definition.config.name, otherId));
    out.push({ id: otherId, config: { ...definition.config, environment } });
  }
  return out;
}

export async function startSessionFronts(
  engine: Engine,
  config: FunctionConfig,
  serve: NonNullable<LambdaLaunchArguments['serve']>,
  notice: (line: string) => void,
  others: OtherFunctions,
): Promise<SessionFronts> {
  const options = typeof serve === 'object' ? serve : {};
  const rest = otherFunctions(config, others, notice);
  const othersEngine = rest.length > 0 ? others.createEngine() : null;
  othersEngine?.on((event) => {
    if (event.type === 'log') notice(event.line);
  });
  const functions: ServedFunction[] = [
    { id: servedIdOf(config), config },
    ...rest.map((fn) => ({ ...fn, engine: othersEngine! })),
  ];
  try {
    const fronts = await RunningFronts.start({
      engine,
      functions,
      triggers: sessionTriggers(config),
      port: options.port ?? DEFAULT_PORT,
      lambdaPort: options.lambdaPort ?? DEFAULT_LAMBDA_PORT,
      host: options.host,
      notice,
      integrationTimeoutMs: null,
      ...(options.eventRetryDelays ? { asyncRetryDelaysMs: options.eventRetryDelays.map((s) => s * 1000) } : {}),
    });
    return { fronts, others: othersEngine };
  } catch (error) {
    await othersEngine?.close();
    throw error;
  }
}
