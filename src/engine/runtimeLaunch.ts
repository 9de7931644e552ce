// How an environment's runtime process is started: the sandbox settings handed to our
// runtime (its /tmp, the filesystem and pending-work switches, debugging), the Lambda
// variables, and the process itself (our Node runtime, or the keeper of a custom runtime's
// bootstrap).

import * as path from 'node:path';
import { FunctionConfig, isNodeRuntime, supportsCallbackHandlers } from '../config/functionConfig';
import {
  SANDBOX_SETTINGS_VARIABLE,
  type LambdaPath,
  type RuntimeModules,
  type SandboxSettings,
} from '../protocol/sandbox';
import { lambdaNodePath } from './sandboxVariables';
import type { ResolvedEngineOptions } from './options';
import { RuntimeProcess } from './runtimeProcess';
import { cacheDirectory } from '../provision/cache';
import { esbuildPackageDir } from '../provision/typescriptCache';
import type { EnvironmentSandbox } from './sandbox/environmentSandbox';

export interface RuntimeLaunch {
  config: FunctionConfig;
  options: ResolvedEngineOptions;
  /** The environment's folder, and its /tmp inside it. */
  environmentDir: string;
  tmpDir: string;
  /** dist/runtime */
  runtimeDir: string;
  /** The Lambda variables of the environment (sandboxVariables.ts). */
  variables: Record<string, string>;
  /** Debugging: the file through which the runtime learns the time spent paused. */
  pausedClockFile: string | null;
  /** The runtime's copy of the AWS SDK for the function. */
  runtimeModules: RuntimeModules | null;
  /** The kernel side of the sandbox: may run the process in Lambda's filesystem. */
  sandbox?: EnvironmentSandbox;
}

export function launchRuntime(launch: RuntimeLaunch): RuntimeProcess {
  const { config, options } = launch;
  const isNode = isNodeRuntime(config.runtime);
  const settings: SandboxSettings = {
    tmpDir: launch.tmpDir,
    environmentDir: launch.environmentDir,
    tmpCapBytes: config.ephemeralStorageMB * 1024 * 1024,
    readOnly: options.readOnlyFilesystem,
    layers: config.layers,
    callbackHandlers: isNodeRuntime(config.runtime) ? supportsCallbackHandlers(config.runtime) : true,
    trackPendingWork: options.trackPendingWork,
    inspect: options.inspect,
    captureModuleState: options.captureModuleState,
    initProfile: options.initProfile,
    pausedClockFile: launch.pausedClockFile,
    cacheDir: cacheDirectory(),
    esbuildDir: esbuildPackageDir(),
    runtimeModules: launch.runtimeModules,
    lambdaPaths: isNode ? lambdaPathsOf(launch) : [],
    nodePath:
      isNodeRuntime(config.runtime) && config.environment.NODE_PATH === undefined
        ? lambdaNodePath(config.runtime)
        : null,
  };
  // In a mount namespace the kernel gives /tmp, EROFS and /opt; paths are Lambda's.
  const kernel = launch.sandbox?.namespaceLaunch(settings, launch.variables, launch.runtimeDir);
  return new RuntimeProcess({
    kind: isNode ? 'node' : 'custom',
    nodeExecutable: options.nodeExecutable,
    nodeArguments: options.nodeArguments,
    runtimeDir: kernel?.runtimeDir ?? launch.runtimeDir,
    cwd: config.root,
    env: {
      ...(kernel?.variables ?? launch.variables),
      [SANDBOX_SETTINGS_VARIABLE]: JSON.stringify(kernel?.settings ?? settings),
    },
    maxOldSpaceMB: options.enforceMemoryLimit ? config.memorySizeMB : null,
    launcher: kernel?.launcher,
  });
}

/** Where the environment's folders are on Lambda. */
function lambdaPathsOf(launch: RuntimeLaunch): LambdaPath[] {
  return [
    { real: launch.config.root, lambda: '/var/task' },
    ...launch.config.layers.map((layer) => ({ real: layer, lambda: '/opt' })),
    ...(launch.runtimeModules ? [{ real: launch.runtimeModules.dir, lambda: '/var/runtime/node_modules' }] : []),
    { real: launch.runtimeDir, lambda: '/var/runtime' },
    { real: launch.tmpDir, lambda: '/tmp' },
  ];
}

/** The file, in the environment's folder, that holds the ms an invocation spent paused. */
export const pausedClockFile = (environmentDir: string): string => path.join(environmentDir, 'paused-ms');
