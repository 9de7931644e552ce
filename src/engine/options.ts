// What the engine can be told beyond the function's configuration: where the account
// and region are, how long environments idle, concurrency settings, what to inherit
// from the host, and the sandbox switches.

import * as os from 'node:os';
import type { EngineEvent, Phase } from '../protocol/engineEvents';
import type { CpuMode } from './sandbox/cpuShare';
import type { SandboxMode } from './sandbox/environmentSandbox';
import type { CredentialsSource } from '../provision/credentials';

export interface EngineOptions {
  /** AWS_REGION and the ARN's region. Default: the host's AWS_REGION, else us-east-1. */
  region?: string;
  /** Account id in the invoked function ARN. Default 123456789012. */
  accountId?: string;
  /** Node executable for Node runtimes: a path, `node` (the one on PATH) or `host` (the one
   * running the engine). Default: a Node of the runtime's major version, found on the machine
   * or fetched once into the per-user cache (provision/nodeBinary.ts). */
  nodeExecutable?: string;
  /** An idle environment shuts down after this long (Lambda does not say how long). Default 10 minutes. */
  idleShutdownMs?: number;
  /** Init phase limit for on-demand environments. Default 10,000 ms as on Lambda. */
  initTimeoutMs?: number;
  /** Environments initialised ahead of invocations. Default 0. */
  provisionedConcurrency?: number;
  /** Cap on environments at once; past it invocations are throttled. Default: no cap. */
  reservedConcurrency?: number;
  /** Host variables passed into the sandbox by name (e.g. AWS_PROFILE). */
  inheritVariables?: string[];
  /** Variables from the user's AWS configuration for the function's SDK (AWS_ENDPOINT_URL*,
   * provision/awsAccess.ts); inherited and the function's own variables override them. */
  awsVariables?: Record<string, string>;
  /** Pass the host's AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN in. Default false. */
  inheritCredentials?: boolean;
  /** AWS credentials for the functions (provision/credentials.ts), asked before each Init and
   * invoke: new values reach a warm environment at its next invoke. Default: none. */
  credentials?: CredentialsSource;
  /** Writes outside /tmp fail with EROFS as on Lambda. Default true. */
  readOnlyFilesystem?: boolean;
  /** Kill the environment when its memory passes the configured size. Default true. */
  enforceMemoryLimit?: boolean;
  /** Record work left pending at the end of each invocation. Default true. */
  trackPendingWork?: boolean;
  /** Keep one Node process started ahead, so a cold start skips Node's own boot. Default true. */
  prestart?: boolean;
  /** Base folder for the engine's temp folders. Default os.tmpdir(). */
  tempBaseDir?: string;
  /** Extra arguments for the Node runtime process. */
  nodeArguments?: string[];
  /** Read the handler module's variables and globalThis additions after each phase (the
   * state panel). Default false: it costs time on every invocation. */
  captureModuleState?: boolean;
  /** Record every module loaded during Function init with its time (the Init profile):
   * `initProfile` on init phase ends and cold invocations. Default false. */
  initProfile?: boolean;
  /** Debugging: each Node environment opens its inspector on 127.0.0.1 at Init (an
   * `inspectorOpened` event says where) and waits for a debugger before running user code. */
  inspect?: boolean;
  /** Debugging: asked before each phase starts; the phase waits for the answer, and that
   * wait counts toward no limit. Answer true to stop in the runtime at the phase point
   * (only where `runtimeCanPause`: a debugger is attached to a Node runtime). */
  beforePhase?: (gate: PhaseGate) => boolean | Promise<boolean>;
  /** `share` (default): each environment gets the CPU its memory buys on Lambda (memory /
   * 1,769 MB of a vCPU); `full`: the machine's full speed. */
  cpu?: CpuMode;
  /** `auto` (default): the kernel's sandbox (cgroups) where the machine allows it;
   * `portable`: the portable sandbox everywhere. */
  sandbox?: SandboxMode;
  /** A listener of engine events threw: the engine carries on and tells this (the
   * extension routes it to its log). Default: a line on stderr. */
  onListenerError?: (error: unknown, event: EngineEvent) => void;
}

/** A phase about to start, as `beforePhase` sees it. */
export interface PhaseGate {
  environmentId: string;
  functionName: string;
  phase: Phase;
  /** The invocation about to run (invoke phase only). */
  requestId: string | null;
  cold: boolean;
  /** Invocations the environment has received, this one included. */
  invocationCount: number;
  /** The runtime can stop at its phase point for an attached line debugger; otherwise a
   * stop has to be held by whoever answers. */
  runtimeCanPause: boolean;
  /** Shutdown only: whether Lambda sends the runtime SIGTERM (only with an extension
   * registered) and whether the user's code listens for it; null for other phases and
   * where it is not known (a custom runtime). */
  sigterm: 'notSent' | 'noListener' | 'listener' | null;
}

export type ResolvedEngineOptions = Required<Omit<EngineOptions, 'reservedConcurrency' | 'beforePhase'>> & {
  reservedConcurrency: number | null;
  beforePhase: EngineOptions['beforePhase'] | null;
};

export function resolveOptions(options: EngineOptions): ResolvedEngineOptions {
  return {
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    accountId: options.accountId ?? '123456789012',
    // The engine resolves each function's Node (runtimeNodes.ts); this is what its environments get.
    nodeExecutable: options.nodeExecutable ?? process.execPath,
    idleShutdownMs: options.idleShutdownMs ?? 10 * 60 * 1000,
    initTimeoutMs: options.initTimeoutMs ?? 10_000,
    provisionedConcurrency: options.provisionedConcurrency ?? 0,
    reservedConcurrency: options.reservedConcurrency ?? null,
    inheritVariables: options.inheritVariables ?? [],
    awsVariables: options.awsVariables ?? {},
    inheritCredentials: options.inheritCredentials ?? false,
    credentials: options.credentials ?? { current: () => Promise.resolve({ variables: {}, expiresAt: null }) },
    readOnlyFilesystem: options.readOnlyFilesystem ?? true,
    enforceMemoryLimit: options.enforceMemoryLimit ?? true,
    trackPendingWork: options.trackPendingWork ?? true,
    // A spare process would wait for a debugger nobody attaches yet.
    prestart: options.prestart ?? true,
    tempBaseDir: options.tempBaseDir ?? os.tmpdir(),
    nodeArguments: options.nodeArguments ?? [],
    inspect: options.inspect ?? false,
    captureModuleState: options.captureModuleState ?? false,
    initProfile: options.initProfile ?? false,
    beforePhase: options.beforePhase ?? null,
    onListenerError: options.onListenerError ?? writeListenerError,
    cpu: options.cpu ?? 'share',
    sandbox: options.sandbox ?? 'auto',
  };
}

/** The default for `onListenerError`. */
export function writeListenerError(error: unknown, event: EngineEvent): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`lambda-lifecycle engine: a listener failed on the ${event.type} event: ${text}\n`);
}
