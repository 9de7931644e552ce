// The environment variables an execution environment's processes see: Lambda's reserved
// set, the configured variables, and from the host only PATH and what the user opted
// into. Nothing else of the host's environment leaks in.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { FunctionConfig, isNodeRuntime, nodeMajorOf, versionOf, type NodeRuntimeId } from '../config/functionConfig';
import type { InitializationType } from '../protocol/engineEvents';
import type { ResolvedEngineOptions } from './options';

export interface EnvironmentIdentity {
  logStreamName: string;
  initializationType: InitializationType;
  runtimeApi: string;
  runtimeDir: string;
  /** The runtime's copy of the AWS SDK (Lambda's /var/runtime/node_modules), if any. */
  runtimeModulesDir?: string | null;
}

/** NODE_PATH as Lambda builds it: layers' nodejs folders first, then the runtime's SDK
 * (Lambda's /var/runtime/node_modules), then the task root. The extension's own install
 * folder (Lambda's /var/runtime) is left out: the function has nothing to load from it. */
function nodePath(config: FunctionConfig, runtimeModulesDir: string | null): string {
  const folders: string[] = [];
  const major = isNodeRuntime(config.runtime) ? nodeMajorOf(config.runtime) : null;
  for (const layer of [...config.layers].reverse()) {
    if (major !== null) folders.push(path.join(layer, 'nodejs', `node${major}`, 'node_modules'));
    folders.push(path.join(layer, 'nodejs', 'node_modules'));
  }
  if (runtimeModulesDir) folders.push(runtimeModulesDir);
  folders.push(config.root);
  return folders
    .filter((f, i) => folders.indexOf(f) === i && (f === config.root || f === runtimeModulesDir || fs.existsSync(f)))
    .join(path.delimiter);
}

/** NODE_PATH as Lambda sets it for a Node runtime: the layers' folders for its major and
 * for every major, the runtime's SDK and folder, the task root. */
export function lambdaNodePath(runtime: NodeRuntimeId): string {
  return [
    `/opt/nodejs/node${nodeMajorOf(runtime)}/node_modules`,
    '/opt/nodejs/node_modules',
    '/var/runtime/node_modules',
    '/var/runtime',
    '/var/task',
  ].join(':');
}

export function sandboxVariables(
  config: FunctionConfig,
  identity: EnvironmentIdentity,
  options: ResolvedEngineOptions,
  host: NodeJS.ProcessEnv = process.env,
  credentials: Record<string, string> = {},
): Record<string, string> {
  const variables: Record<string, string> = {
    PATH: host.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    NODE_PATH: nodePath(config, identity.runtimeModulesDir ?? null),
  };
  const libraries = config.layers.map((l) => path.join(l, 'lib')).filter((l) => fs.existsSync(l));
  if (libraries.length > 0) variables.LD_LIBRARY_PATH = libraries.join(path.delimiter);
  Object.assign(variables, options.awsVariables);
  for (const name of options.inheritVariables) {
    if (host[name] !== undefined) variables[name] = host[name]!;
  }
  Object.assign(variables, config.environment);

  // Reserved: set last, so nothing configured or inherited can override them.
  Object.assign(variables, {
    _HANDLER: config.handler,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_LAMBDA_FUNCTION_NAME: config.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySizeMB),
    AWS_LAMBDA_FUNCTION_VERSION: versionOf(config),
    AWS_LAMBDA_INITIALIZATION_TYPE: identity.initializationType,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: identity.logStreamName,
    AWS_LAMBDA_RUNTIME_API: identity.runtimeApi,
    LAMBDA_TASK_ROOT: config.root,
    LAMBDA_RUNTIME_DIR: identity.runtimeDir,
  });
  if (isNodeRuntime(config.runtime)) variables.AWS_EXECUTION_ENV = `AWS_Lambda_${config.runtime}`;
  if (config.logging) {
    variables.AWS_LAMBDA_LOG_FORMAT = config.logging.format === 'JSON' ? 'JSON' : 'TEXT';
    if (config.logging.format === 'JSON') variables.AWS_LAMBDA_LOG_LEVEL = config.logging.applicationLogLevel ?? 'INFO';
  }
  Object.assign(variables, credentials);
  if (options.inheritCredentials) {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) {
      if (host[name] !== undefined) variables[name] = host[name]!;
    }
  }
  return variables;
}
