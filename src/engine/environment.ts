// One execution environment's lifecycle: Init (10 s limit, retried inside the first
// invocation), Idle (frozen) ⇄ Invoke, Shutdown, with the resets Lambda performs after a
// timeout or a crash; its folder (with its own /tmp). It writes the platform's log lines
// (START, END, REPORT, INIT_REPORT, timeouts) and emits typed engine events for everything
// it does. Its parts: environmentProcesses.ts (the runtime process, external extensions and
// Runtime API server), phaseWatch.ts (a phase's clock, memory and end), phaseGate.ts (a
// debugger's hold), invocationRecord.ts (an invocation's outcome), environmentLog.ts (its
// log), tmpListing.ts (its /tmp for snapshots).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FunctionConfig, isNodeRuntime } from '../config/functionConfig';
import type {
  EngineEvent,
  FetchedWork,
  InitPhases,
  InitProfileEntry,
  InitializationType,
  InvocationTrigger,
  LambdaError,
  Phase,
  ShutdownReason,
} from '../protocol/engineEvents';

type PhaseStatus = Extract<EngineEvent, { type: 'phaseEnded' }>['status'];
/** What an init phase's end says of its parts, own work and profile. */
type InitParts = Pick<
  Extract<EngineEvent, { type: 'phaseEnded' }>,
  'initPhases' | 'ownWork' | 'initProfile' | 'taskRoot'
>;
import type { ModuleState, PendingWork, RuntimeModules } from '../protocol/sandbox';
import type { ResolvedEngineOptions } from './options';
import type { RuntimeOutcome } from './runtimeApiServer';
import { functionArn, newLogStreamName, newTraceId } from './ids';
import { describeExit, endLine, initReportLine, reportLine, runtimeExitLine, startLine } from './logFormat';
import { initStartRecord, platformLineWriter, runtimeDoneRecord, startRecord } from './platformRecords';
import { architectureNote, foreignNativeModuleNote } from './architecture';
import { credentialsEndpointNote } from './credentialsEndpoint';
import { EnvironmentLog, joinLines } from './environmentLog';
import { EnvironmentProcesses, type ProcessesListener } from './environmentProcesses';
import { PhaseWatch } from './phaseWatch';
import { PhaseGate } from './phaseGate';
import { initPhases, withLambdaPaths } from './initPhases';
import type { HostFolders } from './lambdaLayout';
import { listTmp, type TmpListing } from './tmpListing';
import { initTimeoutError, parseJsonOrText, phaseExitDescription, runtimeExitError } from './lambdaErrors';
import { InvocationRecord, type EnvironmentInvocationResult } from './invocationRecord';

export type EnvironmentState = 'created' | 'initializing' | 'idle' | 'invoking' | 'shuttingDown' | 'gone';

export interface EnvironmentContext {
  id: string;
  /** The environment's number in the engine (its id is made from it). */
  number: number;
  config: FunctionConfig;
  options: ResolvedEngineOptions;
  /** The Node.js version the runtime runs on (null for custom runtimes). */
  nodeVersion: string | null;
  /** The runtime's copy of the AWS SDK as prepared for the function (null: none). */
  runtimeModules: RuntimeModules | null;
  /** What this machine fetched before the environment could start (its first Init says it). */
  fetched?: FetchedWork[];
  initializationType: InitializationType;
  /** The engine's temp folder; the environment's folder goes inside it. */
  engineDir: string;
  runtimeDir: string;
  emit(event: EngineEvent): void;
  observed(): boolean;
  /** True the first time the pool's environments ask (the first Init says what is said once). */
  firstInitOfPool?: () => boolean;
}

export interface InvokeRequest {
  requestId: string;
  /** The event, as JSON text. */
  payload: string;
  clientContext?: string;
  cognitoIdentity?: string;
  /** What called the function, passed on in invocationStarted. */
  trigger?: InvocationTrigger;
  /** Receives a streaming function's response bytes as they arrive. */
  onResponseChunk?: (chunk: Buffer) => void;
  /** The version or alias the caller named (the invoked ARN's qualifier). */
  qualifier?: string;
}

type InitOutcome =
  { status: 'success'; durationMs: number } | { status: 'timeout' | 'error'; durationMs: number; error: LambdaError };

export class ExecutionEnvironment {
  state: EnvironmentState = 'created';
  invocationCount = 0;
  readonly logStreamName = newLogStreamName();
  /** Set when a busy environment must not be reused (configuration changed). */
  retired = false;
  lastUsed = 0;

  private readonly dir: string;
  private readonly tmpDir: string;
  /** The runtime process, external extensions, and the Runtime API server. */
  private readonly processes: EnvironmentProcesses;
  private readonly log: EnvironmentLog;
  /** The phase under way: its clock, memory, and end. */
  private readonly phase: PhaseWatch;
  private initialized = false;
  private announced = false;
  /** The runtime's own work during the last Init (TypeScript), kept out of Init Duration. */
  private runtimeOwnWorkMs = 0;
  /** What the runtime reported of the last Init: its module's loading time, its profile. */
  private functionInitMs: number | null = null;
  /** The runtime's own count of the time it was paused during Function init (steps too). */
  private runtimePausedMs = 0;
  private runtimeProfile: InitProfileEntry[] | null = null;
  /** The last successful Init's parts and profile (for the cold invocation that follows). */
  private lastInit: { phases: InitPhases; profile: InitProfileEntry[] | null } | null = null;

  /** The module state the runtime reported at the last phase end. */
  private moduleState: ModuleState | null = null;
  /** The runtime said at its last freeze that the user's code listens for SIGTERM. */
  private sigtermListener = false;
  private outcome: RuntimeOutcome | null = null;
  /** The current invocation's receiver of streamed response bytes. */
  private responseChunkSink: ((chunk: Buffer) => void) | null = null;
  private initError: LambdaError | null = null;
  /** Where a debugger holds the environment, and for how long. */
  private readonly gate: PhaseGate;

  constructor(private readonly ctx: EnvironmentContext) {
    this.dir = path.join(ctx.engineDir, ctx.id);
    this.tmpDir = path.join(this.dir, 'tmp');
    this.log = new EnvironmentLog(ctx.id, ctx.options.inspect, (event) => ctx.emit(event));
    this.log.platformFormat = platformLineWriter(ctx.config.logging);
    this.processes = new EnvironmentProcesses(
      {
        config: ctx.config,
        options: ctx.options,
        environmentDir: this.dir,
        tmpDir: this.tmpDir,
        runtimeDir: ctx.runtimeDir,
        logStreamName: this.logStreamName,
        initializationType: ctx.initializationType,
        runtimeModules: ctx.runtimeModules,
      },
      this.processesListener(),
    );
    this.gate = new PhaseGate({
      environmentId: ctx.id,
      functionName: ctx.config.name,
      options: ctx.options,
      isNode: this.isNode,
      environmentDir: this.dir,
    });
    this.phase = new PhaseWatch({
      runtime: () => this.processes.runtime,
      extensionsReady: () => this.processes.extensionsReady(),
      reportsPeakAtEnd: this.isNode,
      memoryLimitBytes: ctx.config.memorySizeMB * 1024 * 1024,
      enforceMemoryLimit: ctx.options.enforceMemoryLimit,
      kernelMemory: this.processes.sandbox.kernelMemory,
    });
  }

  get id(): string {
    return this.ctx.id;
  }

  get config(): FunctionConfig {
    return this.ctx.config;
  }

  /** The host folder that is this environment's /tmp (in a mount namespace, through /proc). */
  get tmpFolder(): string {
    return this.processes.sandbox.tmpView() ?? this.tmpDir;
  }

  get isNode(): boolean {
    return isNodeRuntime(this.ctx.config.runtime);
  }

  /** Creates the folder and the Runtime API server and, for Node runtimes, starts the
   * process up to the point where it waits to begin Init. */
  async prepare(): Promise<void> {
    fs.mkdirSync(this.tmpDir, { recursive: true });
    await this.processes.prepare();
  }

  /** Makes the environment known to listeners (a pre-started one is unannounced until used). */
  announce(): void {
    if (this.announced) return;
    this.announced = true;
    this.ctx.emit({
      type: 'environmentCreated',
      environmentId: this.id,
      environmentNumber: this.ctx.number,
      functionName: this.ctx.config.name,
      memorySizeMB: this.ctx.config.memorySizeMB,
      timeoutSeconds: this.ctx.config.timeoutSeconds,
      ephemeralStorageMB: this.ctx.config.ephemeralStorageMB,
      initializationType: this.ctx.initializationType,
      logStreamName: this.logStreamName,
      sandbox: this.processes.sandbox.kind,
      cpu: this.processes.sandbox.cpuShare,
    });
  }

  /** A debugger paused (or resumed) this environment's process: the phase's clock stops
   * (or runs on), and getRemainingTimeInMillis() in the function agrees; its CPU quota is
   * lifted meanwhile (the debugger's work, EnvironmentSandbox.debuggerHolds). */
  debuggerPaused(paused: boolean): void {
    this.processes.sandbox.debuggerHolds(paused);
    const clock = this.phase.clock;
    if (!clock) return;
    if (paused) clock.pause();
    else {
      clock.resume();
      this.gate.writePausedClock(clock.pausedMs());
    }
  }

  /** Initialises ahead of invocations (provisioned concurrency): no 10 s limit. */
  async initializeAhead(): Promise<void> {
    this.announce();
    this.state = 'initializing';
    await this.processes.refreshCredentials();
    this.log.collect(null);
    const limit = Math.max(130_000, this.ctx.config.timeoutSeconds * 1000);
    const outcome = await this.runInit(limit, 'init');
    this.log.stopCollecting();
    if (outcome.status !== 'success') {
      this.log.platform(initReportLine(outcome.durationMs, 'init', outcome.status, outcome.error.errorType));
      this.noteForeignNativeModule(outcome.error);
      await this.resetRuntime('failure');
    }
    this.state = 'idle';
  }

  async invoke(request: InvokeRequest): Promise<EnvironmentInvocationResult> {
    if (this.state !== 'idle' && this.state !== 'created') {
      throw new Error(`Environment ${this.id} is ${this.state}; it serves one invocation at a time.`);
    }
    this.announce();
    this.state = 'invoking';
    await this.processes.refreshCredentials();
    this.invocationCount++;
    const { requestId } = request;
    const config = this.ctx.config;
    const cold = !this.initialized;
    let initDurationMs: number | null = null;
    let initLogs: string[] | null = null;
    let pendingInitFailure: InitOutcome | null = null;

    this.lastInit = null;
    if (cold) {
      initLogs = this.log.collect(null);
      const outcome = await this.runInit(this.ctx.options.initTimeoutMs, 'init');
      if (outcome.status === 'success') initDurationMs = outcome.durationMs;
      else {
        this.log.platform(initReportLine(outcome.durationMs, 'init', outcome.status, outcome.error.errorType));
        this.noteForeignNativeModule(outcome.error);
        await this.resetRuntime(outcome.status === 'timeout' ? 'timeout' : 'failure');
        pendingInitFailure = outcome;
      }
    }

    const logs = this.log.collect(requestId);
    this.log.platform(
      startLine(requestId),
      startRecord(requestId, functionArn(this.ctx.options.region, this.ctx.options.accountId, config.name)),
    );
    this.phaseStarted('invoke', requestId, cold);
    this.ctx.emit({
      type: 'invocationStarted',
      environmentId: this.id,
      requestId,
      cold,
      event: parseJsonOrText(request.payload),
      ...(request.trigger ? { trigger: request.trigger } : {}),
    });
    this.gate.pausedInInvocationMs = 0;
    const invocation = new InvocationRecord(
      requestId,
      config.timeoutSeconds,
      () => this.gate.pausedInInvocationMs,
      this.log,
    );

    // Lambda retries a failed or timed-out Init inside the first invocation, within its timeout.
    if (pendingInitFailure) {
      const retry = await this.runInit(invocation.remainingMs(), 'invoke');
      if (retry.status !== 'success') {
        this.log.platform(initReportLine(retry.durationMs, 'invoke', retry.status, retry.error.errorType));
        if (retry.status === 'timeout') invocation.timedOut();
        else invocation.initFailed(retry.error);
      }
    }
    this.responseChunkSink = request.onResponseChunk ?? null;
    try {
      if (!invocation.reset) await this.runInvoke(request, invocation, cold);
    } finally {
      this.responseChunkSink = null;
    }

    const durationMs = invocation.durationMs();
    if (invocation.reset) await this.resetRuntime(invocation.reset);
    const report = invocation.report({
      durationMs,
      memorySizeMB: config.memorySizeMB,
      peakMemoryBytes: this.phase.peakMemoryBytes,
      initDurationMs,
    });
    this.log.platform(
      endLine(requestId),
      runtimeDoneRecord({
        requestId,
        status: report.status,
        errorType: report.errorType,
        durationMs,
        producedBytes: invocation.responseBody?.length ?? 0,
      }),
    );
    this.log.platform(reportLine(report));
    this.log.stopCollecting();

    const result = {
      ...invocation.result(this.id, cold, report, joinLines(logs), initLogs ? joinLines(initLogs) : null),
      nodeVersion: this.ctx.nodeVersion,
      ...this.initOfInvocation(cold),
    };
    this.phaseEnded('invoke', requestId, durationMs, result.status, report.errorType);
    this.ctx.emit({ type: 'invocationEnded', environmentId: this.id, result });
    this.lastUsed = Date.now();
    this.state = 'idle';
    setImmediate(() => this.emitSnapshot(requestId, invocation.pending, invocation.resumed));
    return result;
  }

  /** The Invoke phase itself: the event to the runtime and the extensions, and its end. */
  private async runInvoke(request: InvokeRequest, invocation: InvocationRecord, cold: boolean): Promise<void> {
    const { requestId } = request;
    this.outcome = null;
    const pause = await this.gate.ask('invoke', requestId, cold, this.invocationCount, true);
    this.gate.writePausedClock(0);
    const phaseEnd = this.waitForPhase(invocation.remainingMs());
    this.processes.deliverInvoke(
      {
        requestId,
        payload: request.payload,
        deadlineMs: Date.now() + invocation.remainingMs(),
        traceId: newTraceId(),
        clientContext: request.clientContext,
        cognitoIdentity: request.cognitoIdentity,
        qualifier: request.qualifier,
      },
      pause,
    );
    const end = await phaseEnd;
    invocation.answered(this.outcome);
    switch (end.kind) {
      case 'done':
        invocation.done(end.pending, end.resumed);
        this.processes.freeze();
        break;
      case 'timeout':
        invocation.timedOut();
        break;
      case 'outOfMemory':
      case 'exit':
        invocation.crashed(phaseExitDescription(end));
        break;
    }
  }

  private noteForeignNativeModule(error: LambdaError): void {
    const note = foreignNativeModuleNote(error, this.ctx.config);
    if (note) this.log.platform(note);
  }

  /** Runs the Shutdown phase and removes everything the environment holds. */
  async shutdown(reason: ShutdownReason | 'closed'): Promise<void> {
    if (this.state === 'gone' || this.state === 'shuttingDown') return;
    this.state = 'shuttingDown';
    if (this.announced) {
      this.phaseStarted('shutdown', null, false);
    }
    const runtime = this.processes.runtime;
    // Lambda sends SIGTERM only with an extension registered; the runtime can stop only in a
    // listener the user registered.
    const sigtermSent = !!runtime && !runtime.hasExited && this.processes.registeredExtensions > 0;
    const sigterm = !sigtermSent ? 'notSent' : !this.isNode ? null : this.sigtermListener ? 'listener' : 'noListener';
    const pause = this.announced
      ? await this.gate.ask('shutdown', null, false, this.invocationCount, sigterm === 'listener', sigterm)
      : false;
    const started = performance.now();
    await this.processes.stop(reason === 'closed' ? 'spindown' : reason, pause);
    if (this.announced) this.phaseEnded('shutdown', null, performance.now() - started, 'success', null);
    await this.processes.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.state = 'gone';
    if (this.announced) this.ctx.emit({ type: 'environmentGone', environmentId: this.id, reason });
  }

  /** The /tmp tree as the function sees it. */
  listTmp(limit = 2000): TmpListing {
    return listTmp(this.processes.sandbox.tmpView() ?? this.tmpDir, limit);
  }

  // ----- Init -------------------------------------------------------------------------

  /** What the environment does with what its processes report. */
  private processesListener(): ProcessesListener {
    return {
      output: (stream, text, site) => {
        // A console call's site, as the host sees the file (the kernel's sandbox runs the code
        // from /var/task).
        const mapping = site && this.processes.sandbox.pathMapping;
        const hostSite =
          site && mapping && (site.file === mapping.remoteRoot || site.file.startsWith(mapping.remoteRoot + '/'))
            ? { ...site, file: mapping.localRoot + site.file.slice(mapping.remoteRoot.length) }
            : site;
        this.log.output(stream, text, hostSite);
      },
      runtimeDone: (frozen) => {
        if (!frozen) return this.phase.runtimeDone();
        if (frozen.state) this.moduleState = frozen.state;
        this.sigtermListener = frozen.sigtermListener === true;
        if (frozen.phase === 'init') {
          this.runtimeOwnWorkMs = frozen.ownWorkMs ?? 0;
          this.functionInitMs = frozen.functionInitMs ?? null;
          this.runtimePausedMs = frozen.pausedMs ?? 0;
          this.runtimeProfile = frozen.initProfile ?? null;
        }
        this.phase.runtimeFrozen(frozen.pending, frozen.resumed, frozen.maxRssBytes);
      },
      extensionsChanged: () => this.phase.check(),
      outcome: (outcome) => (this.outcome = outcome),
      responseChunk: (chunk) => this.responseChunkSink?.(chunk),
      initError: (error) => (this.initError = error),
      extensionError: (name, kind, errorType) =>
        this.log.platform(
          `EXTENSION\tName: ${name}\tState: ${kind === 'init' ? 'InitError' : 'ExitError'}\tError Type: ${errorType}`,
        ),
      inspectorOpened: (url) => {
        // Waiting for a debugger is no part of Init's 10 s.
        this.phase.clock?.pause();
        const pathMapping = this.processes.sandbox.pathMapping ?? undefined;
        this.ctx.emit({
          type: 'inspectorOpened',
          environmentId: this.id,
          url,
          pathMapping,
          nodeVersion: this.ctx.nodeVersion,
        });
      },
      debuggerAttached: () => this.phase.clock?.resume(),
      runtimeExited: (exit, current) => {
        if (this.phase.runtimeExited(exit)) return;
        if (current && this.state === 'idle') {
          // Ended while frozen (killed from outside): the next invocation re-initialises.
          this.log.platform(runtimeExitLine(null, describeExit(exit.code, exit.signal)));
          this.initialized = false;
          this.processes.forget();
        }
      },
    };
  }

  private async runInit(limitMs: number, phaseName: 'init' | 'invoke'): Promise<InitOutcome> {
    this.state = this.state === 'invoking' ? 'invoking' : 'initializing';
    this.phaseStarted('init', null, true);
    this.log.platform(
      null,
      initStartRecord(this.ctx.config, this.ctx.initializationType, phaseName, this.logStreamName),
    );
    // Once per function, in the first Init of its pool: it runs on the host's architecture;
    // a custom runtime gets temporary credentials from the container credentials endpoint.
    if (this.ctx.firstInitOfPool?.()) {
      const note = architectureNote(this.ctx.config);
      if (note) this.log.platform(note);
      if (this.processes.credentialsEndpointAhead()) this.log.platform(credentialsEndpointNote(this.ctx.config));
    }
    this.initError = null;
    let started = performance.now();
    const { runtime, bootMs } = this.processes.beginInit();
    let debuggerWaitMs = 0;
    // Debugging: the debugger attaches before Init (and before the phase stop is decided);
    // the wait counts toward no limit.
    if (this.isNode && this.ctx.options.inspect) {
      this.processes.sandbox.debuggerHolds(true);
      runtime.send({ t: 'attach' });
      await runtime.debuggerAttached;
      this.processes.sandbox.debuggerHolds(false);
      debuggerWaitMs = performance.now() - started;
      started = performance.now();
    }
    const asked = performance.now();
    const pause = await this.gate.ask('init', null, true, this.invocationCount, true);
    started += performance.now() - asked;
    const phaseEnd = this.waitForPhase(limitMs);
    const clock = this.phase.clock!;

    this.functionInitMs = null;
    this.runtimeProfile = null;
    const extensionsStarted = performance.now();
    const extensionCount = await this.processes.startExtensions(limitMs);
    const extensionMs = extensionCount > 0 ? performance.now() - extensionsStarted : 0;
    runtime.send({ t: 'init', pause, env: this.processes.credentialsUpdate(true) });
    this.runtimeOwnWorkMs = 0;
    this.runtimePausedMs = 0;
    const end = await phaseEnd;
    // Paused in a debugger: what the debugger reported (its stops), or the runtime's own count
    // when more (a debugger stepping from a stop pauses the thread between steps unreported).
    const pausedMs = Math.max(clock.pausedMs(), this.runtimePausedMs);
    const durationMs = performance.now() - started + bootMs - pausedMs - this.runtimeOwnWorkMs;

    let outcome: InitOutcome;
    let parts: InitParts = {};
    if (end.kind === 'done') {
      this.initialized = true;
      this.processes.freeze();
      outcome = { status: 'success', durationMs };
      const phases = initPhases({
        initDurationMs: durationMs,
        extensionMs,
        functionInitMs: this.isNode ? (this.functionInitMs ?? 0) : null,
        pausedMs,
      });
      const profile = this.runtimeProfile && withLambdaPaths(this.runtimeProfile, this.hostFolders(), pausedMs);
      this.lastInit = { phases, profile };
      parts = {
        initPhases: phases,
        ownWork: {
          typescriptMs: Math.round(this.runtimeOwnWorkMs * 100) / 100,
          debuggerMs: Math.round((debuggerWaitMs + pausedMs) * 100) / 100,
          ...this.takeFetched(),
        },
        ...(profile ? { initProfile: profile, taskRoot: this.hostFolders().root } : {}),
      };
    } else if (end.kind === 'timeout') {
      outcome = { status: 'timeout', durationMs, error: initTimeoutError() };
    } else {
      const description = phaseExitDescription(end);
      const error = this.initError ?? runtimeExitError(null, description);
      // In the JSON log, the initReport record says it (Runtime.ExitError).
      if (!this.initError) this.log.platform(runtimeExitLine(null, description), null);
      outcome = { status: 'error', durationMs, error };
    }
    this.phaseEnded(
      'init',
      null,
      durationMs,
      outcome.status,
      outcome.status === 'success' ? null : outcome.error.errorType,
      parts,
    );
    if (outcome.status === 'success' && phaseName === 'init') {
      setImmediate(() => this.emitSnapshot(null, end.kind === 'done' ? end.pending : [], []));
    }
    return outcome;
  }

  // ----- Phases -----------------------------------------------------------------------

  /** Resolves when the runtime and every extension are done with the phase, the runtime
   * exits, the limit passes, or memory runs out. */
  private waitForPhase(limitMs: number) {
    return this.phase.begin(limitMs, (clock) => {
      this.gate.pausedInInvocationMs += clock.pausedMs();
      this.log.flush();
    });
  }

  // ----- Reset and shutdown -------------------------------------------------------------

  /** After a timeout or crash: the runtime is shut down and the next invocation re-initialises.
   * The environment and its /tmp remain. */
  private async resetRuntime(reason: ShutdownReason): Promise<void> {
    await this.processes.reset(reason);
    this.initialized = false;
    this.ctx.emit({ type: 'environmentReset', environmentId: this.id, reason });
  }

  private phaseStarted(phase: Phase, requestId: string | null, cold: boolean): void {
    this.ctx.emit({ type: 'phaseStarted', environmentId: this.id, phase, requestId, cold });
  }

  private phaseEnded(
    phase: Phase,
    requestId: string | null,
    durationMs: number,
    status: PhaseStatus,
    errorType: string | null,
    initParts: InitParts = {},
  ): void {
    this.ctx.emit({
      type: 'phaseEnded',
      environmentId: this.id,
      phase,
      requestId,
      durationMs,
      status,
      errorType,
      ...initParts,
    });
  }

  /** A cold invocation's Init parts and profile (the Init that ran for it); null when warm. */
  private initOfInvocation(cold: boolean): { initPhases: InitPhases | null; initProfile?: InitProfileEntry[] | null } {
    const init = cold ? this.lastInit : null;
    return {
      initPhases: init?.phases ?? null,
      ...(this.ctx.options.initProfile ? { initProfile: init?.profile ?? null } : {}),
    };
  }

  /** Where the code, the layers and the runtime's SDK are on the host (for Lambda's paths). */
  /** The fetches made before this environment, said once: at its first successful Init. */
  private takeFetched(): { fetched?: FetchedWork[] } {
    const fetched = this.ctx.fetched;
    if (!fetched?.length) return {};
    this.ctx.fetched = undefined;
    return { fetched: fetched.map((f) => ({ ...f, ms: Math.round(f.ms) })) };
  }

  private hostFolders(): HostFolders {
    const real = (dir: string) => {
      try {
        return fs.realpathSync(dir);
      } catch {
        return dir;
      }
    };
    const modules = this.ctx.runtimeModules?.dir;
    return {
      root: real(this.ctx.config.root),
      layers: this.ctx.config.layers.map(real),
      runtimeModulesDir: modules ? real(modules) : null,
    };
  }

  private emitSnapshot(requestId: string | null, pending: PendingWork[], resumed: number[]): void {
    if (this.state === 'gone' || !this.ctx.observed()) return;
    const tmp = this.listTmp();
    this.ctx.emit({
      type: 'stateSnapshot',
      environmentId: this.id,
      requestId,
      pending,
      resumed,
      tmp: tmp.entries,
      tmpUsedBytes: tmp.usedBytes,
      moduleState: this.moduleState,
    });
  }
}
