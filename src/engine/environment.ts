// One execution environment: its folder (with its own /tmp), its Runtime API server, its
// runtime process and external extensions, and its lifecycle — Init (10 s limit, retried
// inside the first invocation), Idle (frozen) ⇄ Invoke, Shutdown — with the resets Lambda
// performs after a timeout or a crash. It writes the platform's log lines (START, END,
// REPORT, INIT_REPORT, timeouts) and emits typed engine events for everything it does.
// The parts it is made of: environmentLog.ts (its log), externalExtensions.ts, phaseWatch.ts
// (a phase's clock, memory and end), runtimeLaunch.ts, shutdownSequence.ts, tmpListing.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FunctionConfig, isNodeRuntime } from '../config/functionConfig';
import type {
  EngineEvent,
  InitializationType,
  InvocationResult,
  InvocationStatus,
  LambdaError,
  Phase,
  ShutdownReason,
} from '../protocol/engineEvents';
import type { ModuleState, PendingWork } from '../protocol/sandbox';
import type { ResolvedEngineOptions } from './options';
import { RuntimeApiServer, type RuntimeOutcome } from './runtimeApiServer';
import type { RuntimeProcess } from './runtimeProcess';
import { sandboxVariables } from './sandboxVariables';
import { functionArn, newLogStreamName, newTraceId } from './ids';
import {
  billedDuration,
  bytesToMB,
  describeExit,
  endLine,
  initReportLine,
  reportLine,
  runtimeExitLine,
  startLine,
  timeoutLine,
} from './logFormat';
import { EnvironmentLog, joinLines } from './environmentLog';
import { discoverExtensions, ExternalExtensions } from './externalExtensions';
import { PhaseWatch } from './phaseWatch';
import { launchRuntime, pausedClockFile } from './runtimeLaunch';
import { stopProcesses } from './shutdownSequence';
import { listTmp, type TmpListing } from './tmpListing';
import {
  initTimeoutError,
  invocationTimeoutError,
  parseJsonOrText,
  phaseExitDescription,
  runtimeExitError,
} from './lambdaErrors';

export type EnvironmentState = 'created' | 'initializing' | 'idle' | 'invoking' | 'shuttingDown' | 'gone';

export interface EnvironmentContext {
  id: string;
  config: FunctionConfig;
  options: ResolvedEngineOptions;
  initializationType: InitializationType;
  /** The engine's temp folder; the environment's folder goes inside it. */
  engineDir: string;
  runtimeDir: string;
  emit(event: EngineEvent): void;
  observed(): boolean;
}

export interface InvokeRequest {
  requestId: string;
  /** The event, as JSON text. */
  payload: string;
  clientContext?: string;
  cognitoIdentity?: string;
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
  /** The invoked function ARN every event carries. */
  private readonly arn: string;
  private readonly server: RuntimeApiServer;
  private readonly log: EnvironmentLog;
  private readonly extensions = new ExternalExtensions();
  /** The phase under way: its clock, memory, and end. */
  private readonly phase: PhaseWatch;
  private runtimeApi = '';
  private process: RuntimeProcess | null = null;
  private initialized = false;
  private announced = false;
  private prestartedBootMs: number | null = null;

  /** The module state the runtime reported at the last phase end. */
  private moduleState: ModuleState | null = null;
  private outcome: RuntimeOutcome | null = null;
  private initError: LambdaError | null = null;
  /** Time the current invocation spent held at a phase stop or paused in a debugger. */
  private pausedInInvocationMs = 0;

  constructor(private readonly ctx: EnvironmentContext) {
    this.dir = path.join(ctx.engineDir, ctx.id);
    this.tmpDir = path.join(this.dir, 'tmp');
    this.arn = functionArn(ctx.options.region, ctx.options.accountId, ctx.config.name);
    this.log = new EnvironmentLog(ctx.id, ctx.options.inspect, (event) => ctx.emit(event));
    this.server = new RuntimeApiServer(
      {
        // The Node runtime ends a phase on the control channel (with what it left pending);
        // a custom runtime's request for the next event is its phase end.
        runtimeNext: () => {
          if (!this.isNode) this.phase.runtimeDone();
        },
        outcome: (_id, outcome) => (this.outcome = outcome),
        initError: (error) => (this.initError = error),
        extensionsChanged: () => {
          this.extensions.changed();
          this.phase.check();
        },
        extensionError: (name, kind, errorType) =>
          this.log.platform(
            `EXTENSION\tName: ${name}\tState: ${kind === 'init' ? 'InitError' : 'ExitError'}\tError Type: ${errorType}`,
          ),
      },
      { functionName: ctx.config.name, handler: ctx.config.handler },
    );
    this.phase = new PhaseWatch({
      runtime: () => this.process,
      extensionsReady: () => this.server.extensionsReady(),
      reportsPeakAtEnd: this.isNode,
      memoryLimitBytes: ctx.config.memorySizeMB * 1024 * 1024,
      enforceMemoryLimit: ctx.options.enforceMemoryLimit,
    });
  }

  get id(): string {
    return this.ctx.id;
  }

  get config(): FunctionConfig {
    return this.ctx.config;
  }

  /** The host folder that is this environment's /tmp. */
  get tmpFolder(): string {
    return this.tmpDir;
  }

  get isNode(): boolean {
    return isNodeRuntime(this.ctx.config.runtime);
  }

  /** Creates the folder and the Runtime API server and, for Node runtimes, starts the
   * process up to the point where it waits to begin Init. */
  async prepare(): Promise<void> {
    fs.mkdirSync(this.tmpDir, { recursive: true });
    this.runtimeApi = await this.server.listen();
    if (this.isNode && this.ctx.options.prestart) {
      this.process = this.spawnRuntime();
      this.prestartedBootMs = await this.process.ready;
    }
  }

  /** Makes the environment known to listeners (a pre-started one is unannounced until used). */
  announce(): void {
    if (this.announced) return;
    this.announced = true;
    this.ctx.emit({
      type: 'environmentCreated',
      environmentId: this.id,
      functionName: this.ctx.config.name,
      initializationType: this.ctx.initializationType,
      logStreamName: this.logStreamName,
    });
  }

  /** A debugger paused (or resumed) this environment's process: the phase's clock stops
   * (or runs on), and getRemainingTimeInMillis() in the function agrees. */
  debuggerPaused(paused: boolean): void {
    const clock = this.phase.clock;
    if (!clock) return;
    if (paused) clock.pause();
    else {
      clock.resume();
      this.writePausedClock(clock.pausedMs());
    }
  }

  private writePausedClock(ms: number): void {
    if (!this.ctx.options.inspect) return;
    try {
      fs.writeFileSync(pausedClockFile(this.dir), String(Math.round(ms)));
    } catch {
      // The environment is going away.
    }
  }

  /** Asks the engine's owner (a debugger) whether to stop at the start of a phase. The
   * time it takes to answer (a stop held by the debugger) counts toward no limit. */
  private async gate(
    phase: Phase,
    requestId: string | null,
    cold: boolean,
    runtimeCanPause: boolean,
  ): Promise<boolean> {
    const beforePhase = this.ctx.options.beforePhase;
    if (!beforePhase) return false;
    const asked = performance.now();
    let pause = false;
    try {
      pause = await beforePhase({
        environmentId: this.id,
        functionName: this.ctx.config.name,
        phase,
        requestId,
        cold,
        invocationCount: this.invocationCount,
        runtimeCanPause: runtimeCanPause && this.isNode && this.ctx.options.inspect,
      });
    } catch {
      pause = false;
    }
    this.pausedInInvocationMs += performance.now() - asked;
    return pause && runtimeCanPause && this.isNode && this.ctx.options.inspect;
  }

  /** Initialises ahead of invocations (provisioned concurrency): no 10 s limit. */
  async initializeAhead(): Promise<void> {
    this.announce();
    this.state = 'initializing';
    this.log.collect(null);
    const limit = Math.max(130_000, this.ctx.config.timeoutSeconds * 1000);
    const outcome = await this.runInit(limit, 'init');
    this.log.stopCollecting();
    if (outcome.status !== 'success') {
      this.log.platform(initReportLine(outcome.durationMs, 'init', outcome.status, outcome.error.errorType));
      await this.resetRuntime('failure');
    }
    this.state = 'idle';
  }

  async invoke(request: InvokeRequest): Promise<InvocationResult & { initLogs: string | null }> {
    if (this.state !== 'idle' && this.state !== 'created') {
      throw new Error(`Environment ${this.id} is ${this.state}; it serves one invocation at a time.`);
    }
    this.announce();
    this.state = 'invoking';
    this.invocationCount++;
    const { requestId } = request;
    const config = this.ctx.config;
    const cold = !this.initialized;
    let initDurationMs: number | null = null;
    let initLogs: string[] | null = null;
    let pendingInitFailure: InitOutcome | null = null;

    if (cold) {
      initLogs = this.log.collect(null);
      const outcome = await this.runInit(this.ctx.options.initTimeoutMs, 'init');
      if (outcome.status === 'success') initDurationMs = outcome.durationMs;
      else {
        this.log.platform(initReportLine(outcome.durationMs, 'init', outcome.status, outcome.error.errorType));
        await this.resetRuntime(outcome.status === 'timeout' ? 'timeout' : 'failure');
        pendingInitFailure = outcome;
      }
    }

    const logs = this.log.collect(requestId);
    this.log.platform(startLine(requestId));
    this.ctx.emit({ type: 'phaseStarted', environmentId: this.id, phase: 'invoke', requestId, cold });
    this.ctx.emit({
      type: 'invocationStarted',
      environmentId: this.id,
      requestId,
      cold,
      event: parseJsonOrText(request.payload),
    });
    const started = performance.now();
    this.pausedInInvocationMs = 0;
    const timeoutMs = config.timeoutSeconds * 1000;
    const remaining = () => Math.max(0, timeoutMs - (performance.now() - started - this.pausedInInvocationMs));

    let status: InvocationStatus = 'success';
    let error: LambdaError | null = null;
    let responseBody: Buffer | null = null;
    let pending: PendingWork[] = [];
    let resumed: number[] = [];
    let reset: ShutdownReason | null = null;
    const timedOut = () => {
      this.log.platform(timeoutLine(requestId, config.timeoutSeconds));
      return {
        status: 'timeout' as const,
        error: invocationTimeoutError(requestId, config.timeoutSeconds),
        reset: 'timeout' as const,
      };
    };

    // Lambda retries a failed or timed-out Init inside the first invocation, within its timeout.
    if (pendingInitFailure) {
      const retry = await this.runInit(remaining(), 'invoke');
      if (retry.status !== 'success') {
        this.log.platform(initReportLine(retry.durationMs, 'invoke', retry.status, retry.error.errorType));
        if (retry.status === 'timeout') ({ status, error, reset } = timedOut());
        else {
          status = 'error';
          error = retry.error;
          reset = 'failure';
        }
      }
    }

    if (!reset) {
      this.outcome = null;
      const traceId = newTraceId();
      const pause = await this.gate('invoke', requestId, cold, true);
      this.writePausedClock(0);
      const phaseEnd = this.waitForPhase(remaining());
      const deadlineMs = Date.now() + remaining();
      this.server.deliver({
        requestId,
        payload: request.payload,
        deadlineMs,
        invokedFunctionArn: this.arn,
        traceId,
        clientContext: request.clientContext,
        cognitoIdentity: request.cognitoIdentity,
      });
      this.extensions.thaw();
      this.server.deliverToExtensions({
        eventType: 'INVOKE',
        deadlineMs,
        requestId,
        invokedFunctionArn: this.arn,
        tracing: { type: 'X-Amzn-Trace-Id', value: traceId },
      });
      this.process!.send({ t: 'thaw', pause });
      const end = await phaseEnd;
      const outcome = this.outcome as RuntimeOutcome | null;
      if (outcome?.kind === 'response') responseBody = outcome.body;
      if (outcome?.kind === 'error') error = outcome.error;
      switch (end.kind) {
        case 'done':
          status = outcome?.kind === 'error' ? 'error' : 'success';
          pending = end.pending;
          resumed = end.resumed;
          this.freeze();
          break;
        case 'timeout':
          ({ status, error, reset } = timedOut());
          break;
        case 'outOfMemory':
        case 'exit': {
          const description = phaseExitDescription(end);
          this.log.platform(runtimeExitLine(requestId, description));
          status = 'crash';
          error ??= runtimeExitError(requestId, description);
          reset = 'failure';
          break;
        }
      }
    }

    const durationMs = performance.now() - started - this.pausedInInvocationMs;
    if (reset) await this.resetRuntime(reset);
    const report = {
      requestId,
      durationMs,
      billedDurationMs: billedDuration(durationMs),
      memorySizeMB: config.memorySizeMB,
      maxMemoryUsedMB: Math.min(
        bytesToMB(this.phase.peakMemoryBytes),
        status === 'crash' && reset ? config.memorySizeMB : Infinity,
      ),
      initDurationMs,
      status,
      errorType: status === 'success' ? null : (error?.errorType ?? null),
    };
    this.log.platform(endLine(requestId));
    this.log.platform(reportLine(report));
    this.log.stopCollecting();

    const result: InvocationResult & { initLogs: string | null } = {
      requestId,
      environmentId: this.id,
      cold,
      status,
      result: status === 'success' && responseBody ? parseJsonOrText(responseBody.toString('utf8')) : null,
      responseBody,
      error,
      report,
      logs: joinLines(logs),
      initLogs: initLogs ? joinLines(initLogs) : null,
      pending,
    };
    this.ctx.emit({
      type: 'phaseEnded',
      environmentId: this.id,
      phase: 'invoke',
      requestId,
      durationMs,
      status,
      errorType: report.errorType,
    });
    this.ctx.emit({ type: 'invocationEnded', environmentId: this.id, result });
    this.lastUsed = Date.now();
    this.state = 'idle';
    setImmediate(() => this.emitSnapshot(requestId, pending, resumed));
    return result;
  }

  /** Runs the Shutdown phase and removes everything the environment holds. */
  async shutdown(reason: ShutdownReason | 'closed'): Promise<void> {
    if (this.state === 'gone' || this.state === 'shuttingDown') return;
    this.state = 'shuttingDown';
    if (this.announced) {
      this.ctx.emit({ type: 'phaseStarted', environmentId: this.id, phase: 'shutdown', requestId: null, cold: false });
    }
    const runtimeRuns = !!this.process && !this.process.hasExited && this.server.extensions.size > 0;
    const pause = this.announced ? await this.gate('shutdown', null, false, runtimeRuns) : false;
    const started = performance.now();
    await this.stopProcesses(reason === 'closed' ? 'spindown' : reason, pause);
    if (this.announced) {
      this.ctx.emit({
        type: 'phaseEnded',
        environmentId: this.id,
        phase: 'shutdown',
        requestId: null,
        durationMs: performance.now() - started,
        status: 'success',
        errorType: null,
      });
    }
    await this.server.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.state = 'gone';
    if (this.announced) this.ctx.emit({ type: 'environmentGone', environmentId: this.id, reason });
  }

  /** The /tmp tree as the function sees it. */
  listTmp(limit = 2000): TmpListing {
    return listTmp(this.tmpDir, limit);
  }

  // ----- Init -------------------------------------------------------------------------

  private spawnRuntime(): RuntimeProcess {
    const runtime = launchRuntime({
      config: this.ctx.config,
      options: this.ctx.options,
      environmentDir: this.dir,
      tmpDir: this.tmpDir,
      runtimeDir: this.ctx.runtimeDir,
      variables: this.variables(),
      pausedClockFile: this.ctx.options.inspect ? pausedClockFile(this.dir) : null,
    });
    runtime.on('output', (stream, text) => this.log.output(stream, text));
    runtime.on('frozen', (message) => {
      if (message.state) this.moduleState = message.state;
      this.phase.runtimeFrozen(message.pending, message.resumed, message.maxRssBytes);
    });
    runtime.on('inspector', (url) => {
      // Waiting for a debugger is no part of Init's 10 s.
      this.phase.clock?.pause();
      this.ctx.emit({ type: 'inspectorOpened', environmentId: this.id, url });
    });
    runtime.on('attached', () => this.phase.clock?.resume());
    runtime.on('exit', (exit) => {
      if (this.phase.runtimeExited(exit)) return;
      if (this.process === runtime && this.state === 'idle') {
        // Ended while frozen (killed from outside): the next invocation re-initialises.
        this.log.platform(runtimeExitLine(null, describeExit(exit.code, exit.signal)));
        this.initialized = false;
        this.process = null;
        this.server.reset();
      }
    });
    return runtime;
  }

  private variables(): Record<string, string> {
    return sandboxVariables(
      this.ctx.config,
      {
        logStreamName: this.logStreamName,
        initializationType: this.ctx.initializationType,
        runtimeApi: this.runtimeApi,
        runtimeDir: this.ctx.runtimeDir,
      },
      this.ctx.options,
    );
  }

  private async runInit(limitMs: number, phaseName: 'init' | 'invoke'): Promise<InitOutcome> {
    this.state = this.state === 'invoking' ? 'invoking' : 'initializing';
    this.ctx.emit({ type: 'phaseStarted', environmentId: this.id, phase: 'init', requestId: null, cold: true });
    this.initError = null;
    this.server.registrationOpen = true;
    let bootMs = 0;
    let started = performance.now();
    if (!this.process || this.process.hasExited) {
      this.process = this.spawnRuntime();
    } else if (this.prestartedBootMs !== null) {
      // Started ahead: its own boot time counts toward Init Duration, as it would on Lambda.
      bootMs = this.prestartedBootMs;
    }
    // Debugging: the debugger attaches before Init (and before the phase stop is decided);
    // the wait counts toward no limit.
    if (this.isNode && this.ctx.options.inspect) {
      await this.process.debuggerAttached;
      started = performance.now();
    }
    const asked = performance.now();
    const pause = await this.gate('init', null, true, true);
    started += performance.now() - asked;
    this.prestartedBootMs = null;
    const phaseEnd = this.waitForPhase(limitMs);
    const clock = this.phase.clock!;

    const executables = discoverExtensions(this.ctx.config.layers);
    if (executables.length > 0) {
      this.extensions.start(executables, {
        cwd: this.ctx.config.root,
        env: this.variables(),
        onOutput: (stream, text) => this.log.output(stream, text),
      });
      await this.extensions.registered(() => this.server.extensions.size, limitMs);
    }
    this.process.send({ t: 'init', pause });
    const end = await phaseEnd;
    const durationMs = performance.now() - started + bootMs - clock.pausedMs();

    let outcome: InitOutcome;
    if (end.kind === 'done') {
      this.initialized = true;
      this.freeze();
      outcome = { status: 'success', durationMs };
    } else if (end.kind === 'timeout') {
      outcome = { status: 'timeout', durationMs, error: initTimeoutError() };
    } else {
      const description = phaseExitDescription(end);
      const error = this.initError ?? runtimeExitError(null, description);
      if (!this.initError) this.log.platform(runtimeExitLine(null, description));
      outcome = { status: 'error', durationMs, error };
    }
    this.ctx.emit({
      type: 'phaseEnded',
      environmentId: this.id,
      phase: 'init',
      requestId: null,
      durationMs,
      status: outcome.status === 'success' ? 'success' : outcome.status === 'timeout' ? 'timeout' : 'error',
      errorType: outcome.status === 'success' ? null : outcome.error.errorType,
    });
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
      this.pausedInInvocationMs += clock.pausedMs();
      this.log.flush();
    });
  }

  /** Nothing of the environment runs until the next thaw. The Node runtime froze itself on
   * the control channel; a custom runtime and external extensions are stopped. */
  private freeze(): void {
    if (!this.isNode) this.process?.send({ t: 'freeze' });
    this.extensions.freeze();
  }

  // ----- Reset and shutdown -------------------------------------------------------------

  /** After a timeout or crash: the runtime is shut down and the next invocation re-initialises.
   * The environment and its /tmp remain. */
  private async resetRuntime(reason: ShutdownReason): Promise<void> {
    await this.stopProcesses(reason);
    this.server.reset();
    this.initialized = false;
    this.process = null;
    this.ctx.emit({ type: 'environmentReset', environmentId: this.id, reason });
  }

  private stopProcesses(reason: ShutdownReason, pause = false): Promise<void> {
    return stopProcesses(
      { runtime: this.process, extensions: this.extensions.takeAll(), server: this.server },
      reason,
      pause,
    );
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
