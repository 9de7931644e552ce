// A `lambda` launch configuration resolved to what the adapter runs: the function's
// configuration (template or handler, overrides, the handler file checked), the default
// event payload, and the Node executable the user gave (checked that it runs). No DAP
// and no process spawning here: the Node probe is passed in (see nodeProbe.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, type FunctionConfig, isNodeRuntime, type RuntimeId } from '../config/functionConfig';
import { checkEventJson, readEventFile, resolveFunction, type SelectionNames } from '../config/resolve';
import { findHandlerFile } from '../config/handlerFile';
import type { LambdaLaunchArguments } from '../protocol/debugProtocol';

/** Launch fields as messages name them. */
export const LAUNCH_NAMES: SelectionNames = {
  template: '"template"',
  function: '"function"',
  handler: '"handler"',
  root: '"root"',
};

/** What running `<executable> --version` gave: its output, or why it did not run. */
export type NodeProbeResult = { version: string } | { failure: string };
export type NodeProbe = (executable: string) => Promise<NodeProbeResult>;

export interface ResolvedLaunch {
  /** The folder relative paths start from. */
  cwd: string;
  config: FunctionConfig;
  /** The event JSON invocations get unless they bring their own. */
  payload: string;
  /** The Node for Node runtimes (undefined for custom runtimes). */
  nodeExecutable: string | undefined;
}

/** Resolves a launch configuration, or throws a ConfigError saying what to fix. */
export async function resolveLaunch(
  launch: LambdaLaunchArguments,
  probe: NodeProbe,
  defaultCwd = process.cwd(),
): Promise<ResolvedLaunch> {
  const cwd = launchCwd(launch, defaultCwd);
  const config = resolveLaunchConfig(launch, cwd);
  const payload = eventPayload(launch.event, cwd);
  const nodeExecutable = await nodeExecutableFor(config.runtime, launch.runtimeExecutable, probe);
  return { cwd, config, payload, nodeExecutable };
}

export function launchCwd(launch: LambdaLaunchArguments, defaultCwd = process.cwd()): string {
  return launch.cwd ? path.resolve(launch.cwd) : defaultCwd;
}

/** The function a launch configuration names, with its handler file found (Node runtimes). */
export function resolveLaunchConfig(launch: LambdaLaunchArguments, cwd: string): FunctionConfig {
  if (!launch.handler && !launch.template) {
    throw new ConfigError(
      'The launch configuration names no function: set "handler" (e.g. "app.handler", with "root") or "template" and "function".',
    );
  }
  const config = resolveFunction(
    {
      template: launch.template,
      function: launch.function,
      handler: launch.handler,
      root: launch.root,
      runtime: launch.runtime,
      memorySizeMB: launch.memorySize,
      timeoutSeconds: launch.timeout,
      ephemeralStorageMB: launch.ephemeralStorage,
      envFile: launch.envFile,
      environment: launch.environment,
      parameterOverrides: launch.parameterOverrides,
      logFormat: launch.logFormat,
      applicationLogLevel: launch.applicationLogLevel,
      systemLogLevel: launch.systemLogLevel,
    },
    cwd,
    LAUNCH_NAMES,
  );
  if (isNodeRuntime(config.runtime)) findHandlerFile(config.root, config.handler);
  return config;
}

/** The event JSON: none (`{}`), JSON text, a JSON file's path relative to `cwd`, or a value. */
export function eventPayload(event: LambdaLaunchArguments['event'], cwd: string): string {
  if (event === undefined || event === null) return '{}';
  if (typeof event === 'string') {
    const trimmed = event.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return checkEventJson(trimmed, 'the "event" field');
    if (!fs.existsSync(path.resolve(cwd, event))) {
      throw new ConfigError(
        `The event file ${event} does not exist (looked in ${cwd}). Set "event" to a JSON file or an object.`,
      );
    }
    return readEventFile(event, cwd);
  }
  return JSON.stringify(event);
}

/** The Node the user gave for a Node runtime (`runtimeExecutable`), checked that it runs; its
 * major version may differ from the runtime's (the engine logs a warning). Undefined when none
 * is given: the engine then finds or fetches a Node of the runtime's major (runtimeNodes.ts). */
export async function nodeExecutableFor(
  runtime: RuntimeId,
  runtimeExecutable: string | undefined,
  probe: NodeProbe,
): Promise<string | undefined> {
  if (!isNodeRuntime(runtime) || runtimeExecutable === undefined || runtimeExecutable === 'host')
    return runtimeExecutable;
  const result = await probe(runtimeExecutable);
  if ('failure' in result) {
    throw new ConfigError(
      `Cannot run Node.js as "${runtimeExecutable}" (${result.failure}). Set "runtimeExecutable" to the path of a Node.js binary, or remove it to let the runtime's Node be found or fetched.`,
    );
  }
  return runtimeExecutable;
}
