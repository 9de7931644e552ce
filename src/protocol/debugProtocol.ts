// The `lambda` debug type's own protocol on top of DAP: the launch configuration's
// fields, the custom requests the UI sends the adapter (invoke, invoke cold, shut down,
// state snapshot, a line debugger paused), and the custom events the adapter sends
// (attach a JavaScript debugger to an environment, an invocation ended). One file for
// both ends: the adapter (no vscode) and the extension.

import type { InvocationReport, LambdaError, TmpEntry } from './engineEvents';
import type { PendingWork } from './sandbox';

export const DEBUG_TYPE = 'lambda';

/** The phase breakpoints: the adapter's exception breakpoint filters. */
export const PHASE_FILTERS = ['init', 'invoke', 'shutdown'] as const;
export type PhaseFilter = (typeof PHASE_FILTERS)[number];

export interface LambdaLaunchArguments {
  /** e.g. "app.handler"; with `template`, overrides the template's. */
  handler?: string;
  /** The code root (LAMBDA_TASK_ROOT); relative to the workspace folder. */
  root?: string;
  /** A SAM template or serverless.yml. */
  template?: string;
  /** The function in the template (logical id or name). */
  function?: string;
  /** The event: a JSON file's path, or the event itself. */
  event?: string | object | unknown[] | number | boolean | null;
  runtime?: string;
  memorySize?: number;
  timeout?: number;
  ephemeralStorage?: number;
  environment?: Record<string, string>;
  envFile?: string;
  /** Template parameters by name, as `sam local --parameter-overrides`. */
  parameterOverrides?: Record<string, string>;
  /** Lambda's LoggingConfig: overrides the template's. */
  logFormat?: 'Text' | 'JSON';
  applicationLogLevel?: string;
  systemLogLevel?: string;
  /** AWS credentials for the function: a named profile (default: the AWS SDK's default chain),
   * or "none" for none. */
  profile?: string;
  credentials?: 'none';
  /** AWS_REGION; default: the host's AWS_REGION, else us-east-1. */
  region?: string;
  /** The Node to run Node runtimes with: a path, `node` (PATH) or `host`. Default: a Node of the
   * runtime's major, found on the machine or fetched into the per-user cache. */
  runtimeExecutable?: string;
  idleShutdownSeconds?: number;
  provisionedConcurrency?: number;
  reservedConcurrency?: number;
  /** Run without stopping (Ctrl+F5). */
  noDebug?: boolean;
  /** Set by the extension: VS Code's JavaScript debugger attaches to each environment
   * (line breakpoints; phase stops happen in the runtime). Without it the adapter holds
   * phase stops itself. */
  lineDebugging?: boolean;
  /** Folder relative paths start from (the workspace folder). Default: the adapter's cwd. */
  cwd?: string;
  /** Serve the function as `serve` does: its template routes and function URL on `port`
   * (default 3000), the Lambda Invoke API on `lambdaPort` (default 3001); 0 picks a free port;
   * `eventRetryDelays`: seconds before the retries of a failed Event invocation (Lambda's 60, 120). */
  serve?: boolean | { port?: number; lambdaPort?: number; host?: string; eventRetryDelays?: number[] };
  /** `share` (default): the CPU Lambda gives the memory size; `full`: the machine's speed
   * (the `lambdaLifecycle.cpu` setting). */
  cpu?: 'share' | 'full';
  /** `portable`: never the kernel's sandbox (namespaces, cgroups). Default `auto`. */
  sandbox?: 'auto' | 'portable';
  /** Time every module Function init loads (the Init profile: the state panel's tree, the
   * import CodeLenses). Default: on in debug sessions, off without debugging (Ctrl+F5). */
  initProfile?: boolean;
  /** Set by the extension: the id of the engine it started ahead for this launch, when VS
   * Code resolved it (adapter/sessionEngine.ts). */
  prepared?: string;
}

/** Custom requests, UI → adapter. */
export const Requests = {
  invoke: 'lambda/invoke',
  shutdown: 'lambda/shutdown',
  snapshot: 'lambda/snapshot',
  debuggerPaused: 'lambda/debuggerPaused',
  /** The UI shows an environment through its JavaScript debug session (JsDebugShowsArguments):
   * the adapter then lists no thread of its own for it. */
  jsDebugShows: 'lambda/jsDebugShows',
  /** New settings for the running function: warm environments retire (the next invoke is
   * cold, with them). Arguments: ReconfigureArguments. */
  reconfigure: 'lambda/reconfigure',
  /** The host folder that is an environment's /tmp (to open its files). Arguments:
   * TmpFolderArguments; body: TmpFolderResponseBody. */
  tmpFolder: 'lambda/tmpFolder',
} as const;

export interface InvokeArguments {
  /** A new environment (cold start) instead of a warm one. */
  cold?: boolean;
  /** An event file (relative to cwd) or the event; default: the launch configuration's. */
  event?: LambdaLaunchArguments['event'];
}

export interface ShutdownArguments {
  /** Default: the most recently used environment. */
  environmentId?: string;
}

export interface ShutdownResponseBody {
  /** The environment shutting down. */
  environmentId: string;
}

/** The Configuration view → adapter: the function's new settings (src/config/settingsEdit's
 * FunctionSettings fits). Fields left out keep their value; the runtime of a running
 * session does not change. */
export interface ReconfigureArguments {
  memorySize?: number;
  timeout?: number;
  ephemeralStorage?: number;
  environment?: Record<string, string>;
  runtime?: string;
  logFormat?: 'Text' | 'JSON';
  applicationLogLevel?: string;
  systemLogLevel?: string;
}

/** The state panel → adapter: which environment's /tmp to open. */
export interface TmpFolderArguments {
  environmentId: string;
}

export interface TmpFolderResponseBody {
  /** The host folder that is the environment's /tmp. */
  path: string;
}

export interface JsDebugShowsArguments {
  environmentId: string;
}

export interface DebuggerPausedArguments {
  environmentId: string;
  paused: boolean;
}

export interface EnvironmentSummary {
  environmentId: string;
  threadId: number;
  state: 'initializing' | 'idle' | 'invoking' | 'shuttingDown' | 'gone';
  warm: boolean;
  invocations: number;
  maxMemoryUsedMB: number | null;
}

export interface InvocationSummary {
  requestId: string;
  environmentId: string;
  cold: boolean;
  status: string;
  result: unknown;
  error: LambdaError | null;
  report: InvocationReport;
  pending: PendingWork[];
}

export interface SnapshotResponseBody {
  functionName: string;
  environments: EnvironmentSummary[];
  invocations: InvocationSummary[];
  tmp: Record<string, { entries: TmpEntry[]; usedBytes: number }>;
}

/** Custom events, adapter → UI. */
export const Events = {
  /** Attach a JavaScript debugger to an environment's inspector. */
  attach: 'lambda/attach',
  invocationEnded: 'lambda/invocationEnded',
  /** Every engine event but log lines (the state panel's feed), body: EngineEvent. */
  engine: 'lambda/engineEvent',
  /** Continue an environment paused in the JavaScript debugger (Continue pressed on its thread here). */
  continue: 'lambda/continue',
  /** What a runtime needs is being fetched (a Node binary, the runtime's SDK); body: the
   * engine's `provisioning` event. The extension shows a progress notification meanwhile. */
  provisioning: 'lambda/provisioning',
  /** The session serves its function over HTTP (launch `serve`), body: ServingEventBody. */
  serving: 'lambda/serving',
} as const;

export interface ServingEventBody {
  invokeApiUrl: string;
  httpUrl: string;
  /** What `serve` prints: one line per route / function URL, the Invoke API first. */
  lines: string[];
}

export interface AttachEventBody {
  environmentId: string;
  /** e.g. "env 1 · OrdersFunction" */
  name: string;
  /** The inspector's WebSocket address. */
  websocketAddress: string;
  /** The kernel's sandbox: the code's folder as the runtime sees it (/var/task) and on the
   * host, for js-debug's remoteRoot/localRoot. */
  remoteRoot?: string;
  localRoot?: string;
  /** The Node.js major version the environment runs (for js-debug's nodeVersionHint). */
  nodeMajor?: number;
}
