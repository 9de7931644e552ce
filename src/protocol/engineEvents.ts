// The engine's typed events: everything the adapter, the CLI and the state panel learn
// about execution environments comes through these (no polling). The engine emits,
// the others subscribe through `Engine.on(listener)`.

import type { ModuleState, PendingWork, SourceSite } from './sandbox';

export type Phase = 'init' | 'invoke' | 'shutdown';
export type InitializationType = 'on-demand' | 'provisioned-concurrency';
export type InvocationStatus = 'success' | 'error' | 'timeout' | 'crash';
export type ShutdownReason = 'spindown' | 'timeout' | 'failure';

/** What called a function: the HTTP method and path of an API Gateway route or function URL,
 * an Invoke API call (with its invocation type and, for Event, the try), or the toolbar / CLI. */
export type InvocationTrigger =
  | {
      kind: 'http';
      front: 'rest' | 'http' | 'url';
      method: string;
      path: string;
      routeKey: string;
      /** Set when this is the route's Lambda authorizer running, by its name. */
      authorizer?: string;
    }
  | { kind: 'invokeApi'; invocationType: 'RequestResponse' | 'Event' | 'Stream'; attempt: number }
  | { kind: 'toolbar' }
  | { kind: 'cli' };

/** Lambda's error response shape. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** The figures of a REPORT line. */
export interface InvocationReport {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  /** Only on an environment's first invocation (cold). */
  initDurationMs: number | null;
  status: InvocationStatus;
  errorType: string | null;
}

export interface InvocationResult {
  requestId: string;
  environmentId: string;
  cold: boolean;
  status: InvocationStatus;
  /** The response body parsed as JSON when it is JSON, else the raw text; null on error. */
  result: unknown;
  /** The raw response bytes (for streaming responses, everything streamed). */
  responseBody: Buffer | null;
  error: LambdaError | null;
  report: InvocationReport;
  /** The invocation's log text, START to REPORT (and INIT_REPORT lines before it). */
  logs: string;
  /** Work left pending when the invocation ended. */
  pending: PendingWork[];
  /** The Node.js version the runtime ran on (e.g. v22.23.3); null for custom runtimes. */
  nodeVersion: string | null;
  /** A cold invocation's Init in its three parts; null when warm (or Init failed). */
  initPhases?: InitPhases | null;
  /** With the Init profile on, a cold invocation's modules loaded during Function init. */
  initProfile?: InitProfileEntry[] | null;
}

/** Lambda's Init in its three parts, in milliseconds. Their sum is the Init Duration; our own
 * work (transpiling TypeScript, a debugger attaching or paused, fetching a Node binary, the
 * runtime's SDK) is in none of them. */
export interface InitPhases {
  /** External extensions, from their start until every one registered (0 with none). */
  extensionMs: number;
  /** The runtime: its process starting until it loads the handler. */
  runtimeMs: number;
  /** The handler's module: its top-level code, its imports and top-level awaits. Null for a
   * custom runtime, whose own start cannot be told apart from its function's (in runtimeMs). */
  functionMs: number | null;
}

/** One module the handler's module graph loaded during Function init (or a top-level await),
 * in load order; `depth` 0 is the handler's module itself. */
export interface InitProfileEntry {
  /** As written in the import or require (the handler's module: its file name); a top-level
   * await: `await (top level)`. */
  specifier: string;
  /** The file, with Lambda's paths (/var/task, /opt, /var/runtime); null for a top-level await. */
  resolved: string | null;
  /** Its own time: its top-level code (and, for CommonJS, its loading), without what it loaded. */
  selfMs: number;
  /** Its time with everything it loaded. */
  totalMs: number;
  depth: number;
  /** 'commonjs', 'module' (ES), or 'await' for a top-level await. */
  kind: 'commonjs' | 'module' | 'await';
}

export interface TmpEntry {
  /** Path as the function sees it, e.g. /tmp/cache/a.json. */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  sizeBytes: number;
  modifiedMs: number;
}

export type EngineEvent =
  /** A new execution environment exists (its process may be starting), with the settings it
   * runs with (a configuration change makes new environments; old ones keep theirs). */
  | {
      type: 'environmentCreated';
      environmentId: string;
      /** Its number in the engine ("env 1"), the adapter's thread id. */
      environmentNumber: number;
      functionName: string;
      memorySizeMB: number;
      timeoutSeconds: number;
      ephemeralStorageMB: number;
      initializationType: InitializationType;
      logStreamName: string;
      /** Which sandbox runs it: the kernel's (cgroups, and namespaces where used) or the
       * portable one (a patched fs, sampled memory, stop/continue). */
      sandbox?: SandboxKind;
      /** The CPU its memory buys (memory / 1,769 MB of a vCPU, capped by the cores) and
       * what holds it to that. (Optional: events recorded before sandboxes were reported.) */
      cpu?: CpuShareInfo;
    }
  /** A lifecycle phase begins. requestId is set for invoke phases. */
  | { type: 'phaseStarted'; environmentId: string; phase: Phase; requestId: string | null; cold: boolean }
  /** A lifecycle phase ended; for init, durationMs is the Init Duration. */
  | {
      type: 'phaseEnded';
      environmentId: string;
      phase: Phase;
      requestId: string | null;
      durationMs: number;
      status: 'success' | 'error' | 'timeout' | 'crash';
      errorType: string | null;
      /** A successful Init: its three parts; our own work during it (left out of all of them). */
      initPhases?: InitPhases;
      ownWork?: OwnWork;
      /** With the Init profile on: the modules Function init loaded. */
      initProfile?: InitProfileEntry[];
      /** The host folder that is /var/task in the profile's paths (editors map them back). */
      taskRoot?: string;
    }
  /** An invocation was handed to an environment. */
  | {
      type: 'invocationStarted';
      environmentId: string;
      requestId: string;
      cold: boolean;
      event: unknown;
      /** What called the function (absent for callers that say nothing). */
      trigger?: InvocationTrigger;
    }
  /** An invocation finished, with its REPORT figures and result. */
  | { type: 'invocationEnded'; environmentId: string; result: InvocationResult }
  /** One log line (without its trailing newline), platform lines included. */
  | {
      type: 'log';
      environmentId: string;
      requestId: string | null;
      stream: 'stdout' | 'stderr' | 'platform';
      line: string;
      /** Debugging: where the user's code made the console call (the host's path). */
      site?: SourceSite;
    }
  /** What the environment carries after a phase: pending work, /tmp. */
  | {
      type: 'stateSnapshot';
      environmentId: string;
      requestId: string | null;
      pending: PendingWork[];
      resumed: number[];
      tmp: TmpEntry[];
      tmpUsedBytes: number;
      /** With captureModuleState: the handler module's variables and globalThis additions. */
      moduleState: ModuleState | null;
    }
  /** Debugging: the environment's Node inspector listens at `url` and waits for a debugger. */
  | {
      type: 'inspectorOpened';
      environmentId: string;
      url: string;
      /** In a mount namespace: the code is at `remoteRoot` (/var/task) for the runtime and at
       * `localRoot` on the host; a debugger maps one to the other. */
      pathMapping?: { localRoot: string; remoteRoot: string };
      /** The Node.js version the runtime runs on (e.g. v22.23.3). (Only a Node runtime opens
       * an inspector; null where the engine knows no version.) */
      nodeVersion: string | null;
    }
  /** The environment's runtime was reset after a timeout or crash; the next invoke re-initialises. */
  | { type: 'environmentReset'; environmentId: string; reason: string }
  /** The environment ended; its processes and temp folder are gone. */
  | { type: 'environmentGone'; environmentId: string; reason: ShutdownReason | 'closed' }
  /** What a function's runtime needs on this machine is being fetched (a Node binary, the
   * runtime's AWS SDK): `progress` lines while it lasts (fraction 0–1 when known), `done`
   * at the end; `warning` once, for a line the user should read (e.g. not the runtime's Node). */
  | {
      type: 'provisioning';
      functionName: string;
      message: string;
      fraction: number | null;
      stage: 'progress' | 'done' | 'warning';
    };

/** The emulator's own work during an Init, which Lambda would not spend (milliseconds). */
export interface OwnWork {
  /** Transpiling TypeScript and loading its loader hooks. */
  typescriptMs: number;
  /** A debugger attaching, and the time paused in it. */
  debuggerMs: number;
  /** What this machine fetched before the environment's first Init, which Lambda has ready
   * (a Node binary, the runtime's AWS SDK), with the time the Init waited for it. */
  fetched?: FetchedWork[];
}

/** One fetch the emulator made before an Init (in none of Init's parts nor its duration). */
export interface FetchedWork {
  kind: 'nodeBinary' | 'runtimeSdk';
  /** What was fetched, e.g. "Node.js v22.11.0" or "the runtime's AWS SDK (@aws-sdk/client-s3)". */
  what: string;
  /** How long the environment's creation waited for it. */
  ms: number;
}

export type EngineEventListener = (event: EngineEvent) => void;

/** Which sandbox ran an environment, as banners and `--json` records say it. */
export type SandboxKind = 'namespaces+cgroup' | 'cgroup' | 'portable';

/** How an environment's CPU share is held. */
export interface CpuShareInfo {
  /** vCPUs the memory size buys (capped by the machine's cores). */
  vcpus: number;
  /** `cgroup`: a kernel quota; `dutyCycle`: stops and continues; `none`: not limited
   * (`cpu: full`, or a share of a full core or more under the duty cycle). */
  enforcedBy: 'cgroup' | 'dutyCycle' | 'none';
}

/** How a machine holds an environment's CPU share, as the engine decides it
 * (engine/sandbox/environmentSandbox.ts, config/functionConfig.ts's cpuShareHeld) and
 * the Configuration view says it. */
export interface CpuMachine {
  /** `share`: CPU in proportion to memory; `full`: the machine's full speed. */
  mode: 'share' | 'full';
  /** What holds a share on this machine: a cgroup CPU quota, duty-cycling the
   * environment's processes (stop/continue, shares below one core), or nothing (Windows). */
  mechanism: 'cgroup' | 'dutyCycle' | 'none';
  /** The machine's cores, which cap the share. */
  cores: number;
}
