// The control channel between the engine and the Node runtime inside an execution
// environment's process: newline-delimited JSON on the child's file descriptor 3.
// It is the emulator's freezer (Lambda freezes the whole sandbox; here the runtime
// blocks on this channel until the engine thaws it) and carries what an outside
// observer could not see: console output in order with phase ends, the work left
// pending when an invocation ended, and the process's peak memory.
// Event data itself travels over the Lambda Runtime API (HTTP), as in Lambda.

import type { InitProfileEntry } from './engineEvents';

/** The child's file descriptor of the channel. */
export const CONTROL_FD = 3;

/** Where a piece of pending work was created: the first frame in user code. */
export interface CreationSite {
  file: string;
  line: number;
  column: number;
  functionName?: string;
}

/** Work left pending in the environment when an invocation (or init) ended. */
export interface PendingWork {
  /** Stable within the environment's process; used to say when it later ran. */
  id: number;
  /** e.g. 'timer', 'interval', 'immediate', 'socket', 'server', 'fs', 'dns', 'child-process', 'other'. */
  kind: PendingWorkKind;
  /** Node's async resource type (Timeout, TCPWRAP, FSREQCALLBACK, …). */
  resourceType: string;
  /** A short human description, e.g. "setTimeout 5000 ms". */
  description: string;
  /** The invocation during which it was created (null during init). */
  createdInRequestId: string | null;
  site: CreationSite | null;
  /** The creating stack, user frames first. */
  stack: string[];
}

export type PendingWorkKind =
  'timer' | 'interval' | 'immediate' | 'socket' | 'server' | 'fs' | 'dns' | 'child-process' | 'other';

// `pause`: a debugger is attached and the phase breakpoint is on: the debugger stops on
// the user's first line of the phase (runtimes/node/phases.ts) before it runs.

/** A value the module keeps, as a bounded tree of text previews (never live objects). */
export interface StateNode {
  name: string;
  /** 'string', 'number', 'object', 'array', 'map', 'set', 'function', 'date', 'buffer', … */
  type: string;
  /** Text to show: a literal, a type label like `Map(3)`, or `[Circular]`. */
  preview: string;
  /** Entries, length or size when it has them. */
  size?: number;
  children?: StateNode[];
  /** Entries left out of `children` (paged). */
  more?: number;
}

/** The module state of an environment after a phase: the handler module's variables and
 * what user code added to globalThis. The runtime reports it; engine events carry it on. */
export interface ModuleState {
  module: StateNode[];
  globals: StateNode[];
}

/** Variables set (null: removed) in the runtime's process.env before a phase: fresh AWS
 * credentials, which Lambda gives every environment and a warm one gets at its next invoke. */
export type VariableUpdate = Record<string, string | null>;

/** Messages the engine sends to the runtime. */
export type EngineToRuntime =
  /** Debugging: the process is claimed by an environment: open the inspector and wait for a
   * debugger (before `init`; a process started ahead has no inspector open till then). */
  | { t: 'attach' }
  /** A pre-started process is claimed by an environment: run the Init phase now. */
  | { t: 'init'; pause?: boolean; env?: VariableUpdate }
  /** An event is waiting on the Runtime API: thaw and ask for it. */
  | { t: 'thaw'; pause?: boolean; env?: VariableUpdate }
  /** The environment is shutting down: thaw so SIGTERM listeners can run. */
  | { t: 'shutdown'; pause?: boolean }
  /** Custom runtimes only (to the keeper): the phase ended, stop the bootstrap's processes. */
  | { t: 'freeze' };

/** Messages the runtime sends to the engine. */
/** Debugging: where in the user's code a console call was made (the file as the runtime
 * sees it, TypeScript through its source map), 1-based line and column. */
export interface SourceSite {
  file: string;
  line: number;
  column: number;
}

export type RuntimeToEngine =
  /** The process booted and waits for `init`; bootMs is its own start-up time. */
  | { t: 'ready'; bootMs: number }
  /** Custom runtimes only (from the keeper): the bootstrap process started with this pid. */
  | { t: 'started'; pid: number }
  /** Debugging: the inspector listens at `url`; the runtime waits for a debugger to attach. */
  | { t: 'inspector'; url: string }
  /** Debugging: a debugger attached and let the runtime run on. */
  | { t: 'attached' }
  /** Console or raw stdout/stderr output of the user's code, already in Lambda's text format. */
  | { t: 'out'; stream: 'stdout' | 'stderr'; text: string; site?: SourceSite }
  /** The phase's work is done; the runtime blocks until the next `thaw`. */
  | {
      t: 'frozen';
      phase: 'init' | 'invoke';
      requestId: string | null;
      pending: PendingWork[];
      /** Ids of earlier pending work that ran during this phase. */
      resumed: number[];
      /** Peak resident set size of the process so far, in bytes. */
      maxRssBytes: number;
      /** When module state is captured: the handler module's variables and globalThis additions. */
      state?: ModuleState;
      /** Time the runtime spent on our own work in this phase (TypeScript's loader and
       * transpiling), which Lambda would not have spent on the built JavaScript: left out of
       * Init Duration. */
      ownWorkMs?: number;
      /** The user's code has registered a SIGTERM listener (what Shutdown runs when Lambda
       * sends SIGTERM, with an extension registered). */
      sigtermListener?: boolean;
      /** Init only: the time loading the handler's module took (its imports, top-level code and
       * awaits), our own work left out. */
      functionInitMs?: number;
      /** Init only, debugging: the time a debugger had the runtime paused during it, each
       * step included (seen from inside; the debugger reports only the stops it shows). */
      pausedMs?: number;
      /** Init only, with the profile on: the modules it loaded (host paths; the engine maps them). */
      initProfile?: InitProfileEntry[];
    };

export function encodeMessage(message: EngineToRuntime | RuntimeToEngine): string {
  return JSON.stringify(message) + '\n';
}

/** The environment variable through which the engine hands SandboxSettings to the runtime
 * (read and deleted before any user code runs). */
export const SANDBOX_SETTINGS_VARIABLE = '_LAMBDA_LIFECYCLE_SANDBOX';

/** What the Node runtime needs to know that Lambda's own variables do not say. */
export interface SandboxSettings {
  /** The host folder that is this environment's /tmp. */
  tmpDir: string;
  /** The environment's own folder (holds tmpDir); removed by the runtime if the engine dies. */
  environmentDir: string;
  tmpCapBytes: number;
  /** Writes outside /tmp fail with EROFS. */
  readOnly: boolean;
  /** Host folders that appear under /opt, in order. */
  layers: string[];
  /** False on nodejs24.x and later, where callback handlers were removed. */
  callbackHandlers: boolean;
  /** Record the work left pending at the end of each phase (async_hooks). */
  trackPendingWork: boolean;
  /** Read the module's state at the end of each phase (for the state panel). */
  captureModuleState: boolean;
  /** Open the inspector at Init and wait for a debugger (line-level debugging). */
  inspect: boolean;
  /** Debugging: a file holding the milliseconds the current invocation spent paused in
   * the debugger, which getRemainingTimeInMillis() adds back. Null when not debugging. */
  pausedClockFile: string | null;
  /** The per-user cache (provision/cache.ts): TypeScript the engine transpiled ahead. */
  cacheDir?: string;
  /** The esbuild package folder the runtime transpiles TypeScript with on a cache miss
   * (the engine's copy). */
  esbuildDir?: string;
  /** The runtime's copy of the AWS SDK, as the engine prepared it for this function. */
  runtimeModules?: RuntimeModules | null;
  /** Folders that are not at Lambda's places (the portable sandbox): stack traces name
   * them as Lambda does. */
  lambdaPaths?: LambdaPath[];
  /** NODE_PATH as the function reads it (Lambda's); the process starts with the real
   * folders, which Node has read by then. Null: the configured NODE_PATH, as it is. */
  nodePath?: string | null;
  /** Record every module loaded during Function init, with its time (the Init profile). */
  initProfile?: boolean;
}

/** A host folder and where it is on Lambda (`/var/task`, `/opt`, `/var/runtime`, `/tmp`). */
export interface LambdaPath {
  real: string;
  lambda: string;
}

/** The runtime's AWS SDK (Lambda's /var/runtime/node_modules) for one function. */
export interface RuntimeModules {
  /** The folder (on NODE_PATH after the layers; ES module imports fall back to it). */
  dir: string;
  /** The packages the function imports from it (not in its own code nor its layers). */
  used: string[];
  /** Why they could not be installed (said by Runtime.ImportModuleError), or null. */
  unavailable: string | null;
}
