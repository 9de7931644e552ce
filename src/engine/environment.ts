// One execution environment: its folder (with its own /tmp), its Runtime API server, its
// runtime process and external extensions, and its lifecycle — Init (10 s limit, retried
// inside the first invocation), Idle (frozen) ⇄ Invoke, Shutdown — with the resets Lambda
// performs after a timeout or a crash. It writes the platform's log lines (START, END,
// REPORT, INIT_REPORT, timeouts) and emits typed engine events for everything it does.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { PhaseClock } from './phaseClock';
import { FunctionConfig, isNodeRuntime, supportsCallbackHandlers } from '../config/functionConfig';
import type {
  EngineEvent,
  InitializationType,
  InvocationResult,
  InvocationStatus,
  LambdaError,
  Phase,
  ShutdownReason,
  TmpEntry,
} from '../protocol/engineEvents';
import { SANDBOX_SETTINGS_VARIABLE, type PendingWork, type SandboxSettings, type StateNode } from '../protocol/sandbox';

type ModuleState = { module: StateNode[]; globals: StateNode[] };
import type { ResolvedEngineOptions } from './options';
import { RuntimeApiServer, type RuntimeOutcome } from './runtimeApiServer';
import { RuntimeProcess, type ProcessExit } from './runtimeProcess';
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

export type EnvironmentState = 'created' | 'initializing' | 'idle' | 'invoking' | 'shuttingDown' | 'gone';

export interface EnvironmentContext {
  id: string;
  /** The environment's number in the engine (its id is made from it). */
  number: number;
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

/** How a phase ended, as the environment observed it. */
type PhaseEnd =
  | { kind: 'done'; pending: PendingWork[]; resumed: number[] }
  | { kind: 'exit'; exit: ProcessExit }
  | { kind: 'timeout' }
  | { kind: 'outOfMemory' };

type InitOutcome =
  { status: 'success'; durationMs: number } | { status: 'timeout' | 'error'; durationMs: number; error: LambdaError };

const MEMORY_SAMPLE_MS = 20;
/** What Node prints about its inspector (debugging only). */
const INSPECTOR_NOTICE =
  /^(Debugger listening on ws:\/\/|For help, see: https:\/\/nodejs\.org\/en\/docs\/inspector|Debugger attached\.|Waiting for the debugger to disconnect\.\.\.)/;

/** In the environment's folder when debugging: the ms the invocation spent paused. */
const PAUSED_CLOCK_FILE = 'paused-ms';

export class ExecutionEnvironment {
  state: EnvironmentState = 'created';
  invocationCount = 0;
  readonly logStreamName = newLogStreamName();
  /** Set when a busy environment must not be reused (configuration changed). */
  retired = false;
  lastUsed = 0;

  private readonly dir: string;
  private readonly tmpDir: string;
  private readonly server: RuntimeApiServer;
  private runtimeApi = '';
  private process: RuntimeProcess | null = null;
  private extensionProcesses: ChildProcess[] = [];
  private initialized = false;
  private announced = false;
  private prestartedBootMs: number | null = null;

  // The phase under way.
  private phase: {
    resolve(end: PhaseEnd): void;
    runtimeDone: boolean;
    frozen: PendingWork[];
    resumed: number[];
  } | null = null;
  /** The module state the runtime reported at the last phase end. */
  private moduleState: ModuleState | null = null;
  private outcome: RuntimeOutcome | null = null;
  private initError: LambdaError | null = null;
  private peakMemoryBytes = 0;
  /** The clock of the phase under way (its limit pauses while a debugger holds the process). */
  private clock: PhaseClock | null = null;
  /** Time the current invocation spent held at a phase stop or paused in a debugger. */
  private pausedInInvocationMs = 0;
  private logSink: string[] | null = null;
  private logRequestId: string | null = null;
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(private readonly ctx: EnvironmentContext) {
    this.dir = path.join(ctx.engineDir, ctx.id);
    this.tmpDir = path.join(this.dir, 'tmp');
    this.server = new RuntimeApiServer(
      {
        // The Node runtime ends a phase on the control channel (with what it left pending);
        // a custom runtime's request for the next event is its phase end.
        runtimeNext: () => {
          if (!this.isNode) this.markRuntimeDone();
        },
        outcome: (_id, outcome) => (this.outcome = outcome),
        initError: (error) => (this.initError = error),
        extensionsChanged: () => this.checkPhase(),
        extensionError: (name, kind, errorType) =>
          this.platformLog(
            `EXTENSION\tName: ${name}\tState: ${kind === 'init' ? 'InitError' : 'ExitError'}\tError Type: ${errorType}`,
          ),
      },
      { functionName: ctx.config.name, handler: ctx.config.handler },
    );
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
      environmentNumber: this.ctx.number,
      functionName: this.ctx.config.name,
      memorySizeMB: this.ctx.config.memorySizeMB,
      timeoutSeconds: this.ctx.config.timeoutSeconds,
      ephemeralStorageMB: this.ctx.config.ephemeralStorageMB,
      initializationType: this.ctx.initializationType,
      logStreamName: this.logStreamName,
    });
  }

  /** A debugger paused (or resumed) this environment's process: the phase's clock stops
   * (or runs on), and getRemainingTimeInMillis() in the function agrees. */
  debuggerPaused(paused: boolean): void {
    const clock = this.clock;
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
      fs.writeFileSync(path.join(this.dir, PAUSED_CLOCK_FILE), String(Math.round(ms)));
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
    this.logSink = [];
    this.logRequestId = null;
    const limit = Math.max(130_000, this.ctx.config.timeoutSeconds * 1000);
    const outcome = await this.runInit(limit, 'init');
    this.logSink = null;
    if (outcome.status !== 'success') {
      this.platformLog(initReportLine(outcome.durationMs, 'init', outcome.status, outcome.error.errorType));
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
      initLogs = this.logSink = [];
      this.logRequestId = null;
      const outcome = await this.runInit(this.ctx.options.initTimeoutMs, 'init');
      if (outcome.status === 'success') initDurationMs = outcome.durationMs;
      else {
        this.platformLog(initReportLine(outcome.durationMs, 'init', outcome.status, outcome.error.errorType));
        await this.resetRuntime(outcome.status === 'timeout' ? 'timeout' : 'failure');
        pendingInitFailure = outcome;
      }
    }

    const logs: string[] = (this.logSink = []);
    this.logRequestId = requestId;
    this.platformLog(startLine(requestId));
    this.ctx.emit({ type: 'phaseStarted', environmentId: this.id, phase: 'invoke', requestId, cold });
    this.ctx.emit({
      type: 'invocationStarted',
      environmentId: this.id,
      requestId,
      cold,
      event: safeParse(request.payload),
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

    // Lambda retries a failed or timed-out Init inside the first invocation, within its timeout.
    if (pendingInitFailure) {
      const retry = await this.runInit(remaining(), 'invoke');
      if (retry.status !== 'success') {
        this.platformLog(initReportLine(retry.durationMs, 'invoke', retry.status, retry.error.errorType));
        status = retry.status === 'timeout' ? 'timeout' : 'error';
        error = retry.status === 'timeout' ? this.timeoutError(requestId) : retry.error;
        if (retry.status === 'timeout') this.platformLog(timeoutLine(requestId, config.timeoutSeconds));
        reset = retry.status === 'timeout' ? 'timeout' : 'failure';
      }
    }

    if (!reset) {
      this.outcome = null;
      const traceId = newTraceId();
      const pause = await this.gate('invoke', requestId, cold, true);
      this.writePausedClock(0);
      const phaseEnd = this.waitForPhase(remaining());
      this.server.deliver({
        requestId,
        payload: request.payload,
        deadlineMs: Date.now() + remaining(),
        invokedFunctionArn: functionArn(this.ctx.options.region, this.ctx.options.accountId, config.name),
        traceId,
        clientContext: request.clientContext,
        cognitoIdentity: request.cognitoIdentity,
      });
      this.thawExtensions();
      this.server.deliverToExtensions({
        eventType: 'INVOKE',
        deadlineMs: Date.now() + remaining(),
        requestId,
        invokedFunctionArn: functionArn(this.ctx.options.region, this.ctx.options.accountId, config.name),
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
          this.platformLog(timeoutLine(requestId, config.timeoutSeconds));
          status = 'timeout';
          error = this.timeoutError(requestId);
          reset = 'timeout';
          break;
        case 'outOfMemory':
        case 'exit': {
          const description = end.kind === 'exit' ? describeExit(end.exit.code, end.exit.signal) : 'signal: killed';
          this.platformLog(runtimeExitLine(requestId, description));
          status = 'crash';
          error ??= {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${description}`,
            trace: [],
          };
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
        bytesToMB(this.peakMemoryBytes),
        status === 'crash' && reset ? config.memorySizeMB : Infinity,
      ),
      initDurationMs,
      status,
      errorType: status === 'success' ? null : (error?.errorType ?? null),
    };
    this.platformLog(endLine(requestId));
    this.platformLog(reportLine(report));
    this.logSink = null;

    const result: InvocationResult & { initLogs: string | null } = {
      requestId,
      environmentId: this.id,
      cold,
      status,
      result: status === 'success' && responseBody ? parseResponse(responseBody) : null,
      responseBody,
      error,
      report,
      logs: logs.join('\n') + '\n',
      initLogs: initLogs ? initLogs.join('\n') + (initLogs.length ? '\n' : '') : null,
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
  listTmp(limit = 2000): { entries: TmpEntry[]; usedBytes: number } {
    const entries: TmpEntry[] = [];
    let usedBytes = 0;
    const walk = (dir: string) => {
      let names: fs.Dirent[];
      try {
        names = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const dirent of names) {
        const real = path.join(dir, dirent.name);
        let stat: fs.Stats;
        try {
          stat = fs.lstatSync(real);
        } catch {
          continue;
        }
        const type = stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : 'file';
        if (type === 'file') usedBytes += stat.size;
        if (entries.length < limit) {
          entries.push({
            path: '/tmp' + real.slice(this.tmpDir.length).split(path.sep).join('/'),
            type,
            sizeBytes: type === 'file' ? stat.size : 0,
            modifiedMs: stat.mtimeMs,
          });
        }
        if (type === 'directory') walk(real);
      }
    };
    walk(this.tmpDir);
    return { entries, usedBytes };
  }

  // ----- Init -------------------------------------------------------------------------

  private spawnRuntime(): RuntimeProcess {
    const { config, options } = this.ctx;
    const settings: SandboxSettings = {
      tmpDir: this.tmpDir,
      environmentDir: this.dir,
      tmpCapBytes: config.ephemeralStorageMB * 1024 * 1024,
      readOnly: options.readOnlyFilesystem,
      layers: config.layers,
      callbackHandlers: isNodeRuntime(config.runtime) ? supportsCallbackHandlers(config.runtime) : true,
      trackPendingWork: options.trackPendingWork,
      inspect: options.inspect,
      captureModuleState: options.captureModuleState,
      pausedClockFile: options.inspect ? path.join(this.dir, PAUSED_CLOCK_FILE) : null,
    };
    const env = {
      ...this.variables(),
      [SANDBOX_SETTINGS_VARIABLE]: JSON.stringify(settings),
    };
    const runtime = new RuntimeProcess({
      kind: this.isNode ? 'node' : 'custom',
      nodeExecutable: options.nodeExecutable,
      nodeArguments: options.nodeArguments,
      runtimeDir: this.ctx.runtimeDir,
      cwd: config.root,
      env,
      maxOldSpaceMB: options.enforceMemoryLimit ? config.memorySizeMB : null,
    });
    runtime.on('output', (stream, text) => this.onOutput(stream, text));
    runtime.on('frozen', (message) => {
      if (this.phase) {
        this.phase.frozen = message.pending;
        this.phase.resumed = message.resumed;
      }
      if (message.state) this.moduleState = message.state;
      this.peakMemoryBytes = Math.max(this.peakMemoryBytes, message.maxRssBytes);
      this.markRuntimeDone();
    });
    runtime.on('inspector', (url) => {
      // Waiting for a debugger is no part of Init's 10 s.
      this.clock?.pause();
      this.ctx.emit({ type: 'inspectorOpened', environmentId: this.id, url });
    });
    runtime.on('attached', () => this.clock?.resume());
    runtime.on('exit', (exit) => {
      if (this.phase) this.phase.resolve({ kind: 'exit', exit });
      else if (this.process === runtime && this.state === 'idle') {
        // Ended while frozen (killed from outside): the next invocation re-initialises.
        this.platformLog(runtimeExitLine(null, describeExit(exit.code, exit.signal)));
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

  /** External extensions: executables in the layers' extensions/ folders. */
  private extensionExecutables(): string[] {
    const found = new Map<string, string>();
    for (const layer of this.ctx.config.layers) {
      const dir = path.join(layer, 'extensions');
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) found.set(name, path.join(dir, name));
    }
    return [...found.values()].filter((file) => {
      try {
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    });
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
    const clock = this.clock!;

    const executables = this.extensionExecutables();
    if (executables.length > 0) {
      const env = this.variables();
      this.extensionProcesses = executables.map((file) =>
        spawn(file, [], {
          cwd: this.ctx.config.root,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: process.platform !== 'win32',
        }),
      );
      for (const child of this.extensionProcesses) {
        child.stdout?.setEncoding('utf8').on('data', (t: string) => this.onOutput('stdout', t));
        child.stderr?.setEncoding('utf8').on('data', (t: string) => this.onOutput('stderr', t));
        child.on('error', () => undefined);
      }
      await this.extensionsRegistered(executables.length, limitMs);
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
      outcome = {
        status: 'timeout',
        durationMs,
        error: { errorType: 'Sandbox.Timedout', errorMessage: 'Init phase timed out', trace: [] },
      };
    } else {
      const description = end.kind === 'exit' ? describeExit(end.exit.code, end.exit.signal) : 'signal: killed';
      const error = this.initError ?? {
        errorType: 'Runtime.ExitError',
        errorMessage: `Error: Runtime exited with error: ${description}`,
        trace: [],
      };
      if (!this.initError) this.platformLog(runtimeExitLine(null, description));
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

  private extensionsRegistered(count: number, limitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const deadline = setTimeout(finish, limitMs);
      const poll = () => {
        const exited = this.extensionProcesses.filter((c) => c.exitCode !== null || c.signalCode !== null).length;
        if (this.server.extensions.size + exited >= count) finish();
      };
      const listeners = this.extensionProcesses.map((c) => {
        c.on('exit', poll);
        return c;
      });
      const interval = setInterval(poll, 5);
      function finish() {
        clearTimeout(deadline);
        clearInterval(interval);
        for (const c of listeners) c.off('exit', poll);
        resolve();
      }
      poll();
    });
  }

  // ----- Phases -----------------------------------------------------------------------

  /** Resolves when the runtime and every extension are done with the phase, the runtime
   * exits, the limit passes, or memory runs out. */
  private waitForPhase(limitMs: number): Promise<PhaseEnd> {
    return new Promise<PhaseEnd>((resolve) => {
      let settled = false;
      const clock = (this.clock = new PhaseClock(limitMs, () => finish({ kind: 'timeout' })));
      const limitBytes = this.ctx.config.memorySizeMB * 1024 * 1024;
      const sampler = setInterval(() => {
        const memory = this.process?.memory();
        if (!memory) return;
        this.peakMemoryBytes = Math.max(this.peakMemoryBytes, memory.peak, memory.rss);
        if (this.ctx.options.enforceMemoryLimit && memory.rss > limitBytes) {
          this.process?.signal('SIGKILL');
          finish({ kind: 'outOfMemory' });
        }
      }, MEMORY_SAMPLE_MS);
      const finish = (end: PhaseEnd) => {
        if (settled) return;
        settled = true;
        clock.stop();
        if (this.clock === clock) this.clock = null;
        this.pausedInInvocationMs += clock.pausedMs();
        clearInterval(sampler);
        // The Node runtime reported its peak with the phase end; otherwise read it now.
        const memory = this.isNode && end.kind === 'done' ? null : this.process?.memory();
        if (memory) this.peakMemoryBytes = Math.max(this.peakMemoryBytes, memory.peak);
        this.phase = null;
        this.flushPartialOutput();
        resolve(end);
      };
      this.phase = {
        resolve: finish,
        runtimeDone: false,
        frozen: [],
        resumed: [],
      };
    });
  }

  private markRuntimeDone(): void {
    if (!this.phase) return;
    this.phase.runtimeDone = true;
    this.checkPhase();
  }

  private checkPhase(): void {
    const phase = this.phase;
    if (phase?.runtimeDone && this.server.extensionsReady()) {
      phase.resolve({ kind: 'done', pending: phase.frozen, resumed: phase.resumed });
    }
  }

  /** Nothing of the environment runs until the next thaw. The Node runtime froze itself on
   * the control channel; a custom runtime and external extensions are stopped. */
  private freeze(): void {
    if (!this.isNode) this.process?.send({ t: 'freeze' });
    this.signalExtensions('SIGSTOP');
  }

  private thawExtensions(): void {
    this.signalExtensions('SIGCONT');
  }

  private signalExtensions(signal: NodeJS.Signals): void {
    if (process.platform === 'win32') return;
    for (const child of this.extensionProcesses) {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // Gone.
      }
    }
  }

  private timeoutError(requestId: string): LambdaError {
    return {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.ctx.config.timeoutSeconds.toFixed(2)} seconds`,
      trace: [],
    };
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

  /** Lambda's shutdown: SIGTERM to the runtime only when an extension is registered, then
   * the budget (500 ms internal, 2,000 ms external extensions), then SIGKILL for the rest. */
  private async stopProcesses(reason: ShutdownReason, pause = false): Promise<void> {
    const runtime = this.process;
    const extensions = this.extensionProcesses;
    this.extensionProcesses = [];
    const registered = this.server.extensions.size;
    if (runtime && !runtime.hasExited && registered > 0) {
      const budgetMs = extensions.length > 0 ? 2000 : 500;
      const deadlineMs = Date.now() + budgetMs;
      for (const child of extensions) if (child.pid) signalGroup(child.pid, 'SIGCONT');
      runtime.send(runtime.spec.kind === 'node' ? { t: 'shutdown', pause } : { t: 'thaw' });
      this.server.deliverToExtensions({
        eventType: 'SHUTDOWN',
        shutdownReason: reason === 'spindown' ? 'SPINDOWN' : reason === 'timeout' ? 'TIMEOUT' : 'FAILURE',
        deadlineMs,
      });
      runtime.signal('SIGTERM');
      const allExited = Promise.all([runtime.exited, ...extensions.map((c) => exitOf(c))]);
      await Promise.race([allExited, new Promise((r) => setTimeout(r, budgetMs))]);
    }
    for (const child of extensions) if (child.pid) signalGroup(child.pid, 'SIGKILL');
    if (runtime) await runtime.kill();
    await Promise.all(extensions.map((c) => exitOf(c)));
  }

  // ----- Logs ---------------------------------------------------------------------------

  private onOutput(stream: 'stdout' | 'stderr', text: string): void {
    const buffered = this.partial[stream] + text;
    const lines = buffered.split('\n');
    this.partial[stream] = lines.pop()!;
    for (const line of lines) this.log(stream, line);
  }

  private flushPartialOutput(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) {
        this.log(stream, this.partial[stream]);
        this.partial[stream] = '';
      }
    }
  }

  private platformLog(line: string): void {
    this.log('platform', line);
  }

  private log(stream: 'stdout' | 'stderr' | 'platform', rawLine: string): void {
    // Node's own inspector notices are no output of the function.
    if (stream === 'stderr' && this.ctx.options.inspect && INSPECTOR_NOTICE.test(rawLine)) return;
    // The runtime folds a message's newlines into \r so it stays one record; unfold to show it.
    const line = rawLine.replace(/\r/g, '\n');
    this.logSink?.push(line);
    this.ctx.emit({ type: 'log', environmentId: this.id, requestId: this.logRequestId, stream, line });
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

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') process.kill(pid, signal);
    else process.kill(-pid, signal);
  } catch {
    // Gone.
  }
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function safeParse(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

function parseResponse(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
