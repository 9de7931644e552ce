// The `lambda` debug adapter: one DAP session runs one function in the engine. Threads
// are execution environments; their frames are the environment's lifecycle (the phase
// under way, then the earlier ones); scopes show the event, the context, /tmp, pending
// work and the last REPORT. Phase breakpoints are exception breakpoint filters (`init`,
// `invoke`, `shutdown`, with a `cold`/`warm` condition). With VS Code's JavaScript
// debugger attached (lineDebugging) the runtime stops at its phase points and line
// breakpoints are that debugger's; otherwise the adapter holds the phase and reports the
// stop itself. Knows DAP and the engine, nothing of the vscode API: its host passes in
// a logger (the extension's output channel) and how to probe Node.

import * as path from 'node:path';
import {
  DebugSession,
  Handles,
  InitializedEvent,
  OutputEvent,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
  ThreadEvent,
  ContinuedEvent,
  Event,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Engine } from '../engine/engine';
import type { FunctionPool } from '../engine/pool';
import type { RunningFronts } from '../fronts/fronts';
import { startSessionFronts } from './sessionFronts';
import type { PhaseGate } from '../engine/options';
import { type FunctionConfig, isNodeRuntime, parseLoggingConfig } from '../config/functionConfig';
import type { EngineEvent, InvocationResult, Phase } from '../protocol/engineEvents';
import { emptySession, environmentLabel, reduce } from '../protocol/environmentModel';
import { initPhasesLine } from '../protocol/initPhasesText';
import type { SourceSite } from '../protocol/sandbox';
import {
  Events,
  Requests,
  type AttachEventBody,
  type DebuggerPausedArguments,
  type JsDebugShowsArguments,
  type InvokeArguments,
  type LambdaLaunchArguments,
  type PhaseFilter,
  type ReconfigureArguments,
  type ServingEventBody,
  type ShutdownArguments,
  type ShutdownResponseBody,
  type TmpFolderArguments,
  type TmpFolderResponseBody,
} from '../protocol/debugProtocol';
import { AdapterError, ErrorCodes, errorCodeOf } from './errors';
import {
  SHUTDOWN_NOTES,
  lifecycleScopes,
  mirrorModel,
  newEnvironmentView,
  snapshotOf,
  type EnvironmentView,
} from './environmentThreads';
import { FrameHandles } from './frameHandles';
import { eventPayload, resolveLaunch, type NodeProbe } from './launchResolution';
import { sessionEngine, type LaunchesAhead, type PreparedLaunch, type SessionHooks } from './sessionEngine';
import { describeDapMessage, silentLogger, type AdapterLogger } from './logger';
import { probeNodeVersion } from './nodeProbe';
import { PHASE_BREAKPOINT_FILTERS, phaseBreakpoints, type PhaseBreakpoint } from './phaseBreakpoints';
import { toVariables } from './variables';
import type { CredentialsResolver } from '../provision/credentials';
import { resolveAwsAccess, type AwsAccess } from '../provision/awsAccess';
import { readableJsonLog } from '../protocol/logRecords';

/** What the host gives the adapter (all optional: the standalone adapter uses the defaults). */
export interface AdapterHost {
  logger?: AdapterLogger;
  /** How to ask a Node executable its version. Default: run it, asynchronously. */
  probeNode?: NodeProbe;
  /** Told, before the runtime stops at a phase point for the JavaScript debugger, which
   * stop it is (the extension names js-debug's stop after it). Synchronous, in the
   * adapter's process: a DAP event could arrive after js-debug's stop. */
  onPhaseStop?: (stop: PhaseStop) => void;
  /** Told, in the adapter's process, as soon as an environment's inspector opened (the
   * `attach` event's body, which follows): the host attaches without the event's round trip
   * through the workbench. */
  onAttach?: (body: AttachEventBody) => void;
  /** Engines started ahead of their sessions (sessionEngine.ts): the launch's, if any, is taken. */
  launchesAhead?: Pick<LaunchesAhead, 'take'>;
}

/** A phase stop the runtime is about to make for the JavaScript debugger. */
export interface PhaseStop {
  environmentId: string;
  phase: Phase;
  /** e.g. "Init (cold)", "Invoke #3 (warm)", "Shutdown" */
  label: string;
}

export class LambdaDebugSession extends DebugSession {
  private readonly logger: AdapterLogger;
  private readonly probeNode: NodeProbe;
  private readonly onPhaseStop: AdapterHost['onPhaseStop'];
  private readonly launchesAhead: AdapterHost['launchesAhead'];
  private readonly onAttach: AdapterHost['onAttach'];
  private engine: Engine | null = null;
  /** Where the function's AWS credentials come from, and its AWS_REGION (the banner says). */
  private credentials: CredentialsResolver | null = null;
  private region = 'us-east-1';
  private pool: FunctionPool | null = null;
  /** The HTTP fronts when the launch asks to serve. */
  private fronts: RunningFronts | null = null;
  /** The engine of the template's other functions that the fronts serve (not debugged). */
  private othersEngine: Engine | null = null;
  private config: FunctionConfig | null = null;
  private cwd = process.cwd();
  private defaultPayload = '{}';
  private readonly environments = new Map<string, EnvironmentView>();
  /** The environments as the shared reducer folds the engine's events (the views mirror it). */
  private model = emptySession();
  private readonly invocations: InvocationResult[] = [];
  private breakpoints = new Map<PhaseFilter, PhaseBreakpoint>();
  private readonly variableHandles = new Handles<unknown>();
  private readonly frameHandles = new FrameHandles();
  private configurationDone!: () => void;
  private readonly configured = new Promise<void>((resolve) => (this.configurationDone = resolve));
  private ending = false;
  /** Requests answered so far (by seq), so a late failure is not answered twice. */
  private readonly answered = new Set<number>();

  constructor(host: AdapterHost = {}) {
    super();
    // Lines and columns from the engine (console call sites) count from 1.
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.logger = host.logger ?? silentLogger;
    this.probeNode = host.probeNode ?? probeNodeVersion;
    this.onPhaseStop = host.onPhaseStop;
    this.launchesAhead = host.launchesAhead;
    this.onAttach = host.onAttach;
  }

  // ----- DAP traffic, logged at the host's trace level ---------------------------------

  override handleMessage(message: DebugProtocol.ProtocolMessage): void {
    this.traceMessage('→', message);
    super.handleMessage(message);
  }

  override sendResponse(response: DebugProtocol.Response): void {
    this.answered.add(response.request_seq);
    this.traceMessage('←', response);
    if (!response.success) this.logger.info(`${response.command} refused: ${response.message ?? ''}`);
    super.sendResponse(response);
  }

  override sendEvent(event: DebugProtocol.Event): void {
    // Output is the Debug Console's already; logging it again would double every line.
    if (event.event !== 'output') this.traceMessage('←', event);
    super.sendEvent(event);
  }

  private traceMessage(direction: '→' | '←', message: DebugProtocol.ProtocolMessage): void {
    const line = describeDapMessage(direction, message, this.logger.dapTrace);
    if (line) this.logger.dap(line);
  }

  /** Runs an async request handler: the base class does not await handlers, so a rejection
   * becomes the request's error response here (or a log line, if it was answered already). */
  private guard(response: DebugProtocol.Response, fallback: ErrorCodes, handler: () => Promise<void>): void {
    handler().catch((error: unknown) => {
      if (this.answered.has(response.request_seq)) this.logger.error(`After answering ${response.command}`, error);
      else this.fail(response, error, fallback);
    });
  }

  /** Answers a request with an error carrying a stable id (see errors.ts). */
  private fail(response: DebugProtocol.Response, error: unknown, fallback: ErrorCodes): void {
    const code = errorCodeOf(error, fallback);
    if (code === ErrorCodes.InternalError) this.logger.error(`${response.command}: unexpected error`, error);
    this.sendErrorResponse(response, {
      id: code,
      format: error instanceof Error ? error.message : String(error),
      showUser: true,
    });
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportsExceptionFilterOptions: true,
      exceptionBreakpointFilters: PHASE_BREAKPOINT_FILTERS,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    const { breakpoints, results } = phaseBreakpoints(args);
    this.breakpoints = breakpoints;
    response.body = { breakpoints: results };
    this.sendResponse(response);
  }

  /** Line breakpoints belong to the JavaScript debugger attached to each environment. */
  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    response.body = {
      breakpoints: (args.breakpoints ?? []).map((b) => ({ verified: false, line: b.line })),
    };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configurationDone();
  }

  protected override launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: DebugProtocol.LaunchRequestArguments,
  ): void {
    this.guard(response, ErrorCodes.InvalidLaunch, () => this.launch(response, args as LambdaLaunchArguments));
  }

  private async launch(response: DebugProtocol.LaunchResponse, launch: LambdaLaunchArguments): Promise<void> {
    let config: FunctionConfig;
    let resolved: Awaited<ReturnType<typeof resolveLaunch>>;
    try {
      // The engine the extension started when VS Code resolved the launch, if any.
      const prepared = (await this.launchesAhead?.take(launch.prepared)) ?? null;
      resolved = prepared?.resolved ?? (await resolveLaunch(launch, this.probeNode));
      this.cwd = resolved.cwd;
      this.defaultPayload = resolved.payload;
      config = this.config = resolved.config;
      this.logger.info(
        `Launch: ${config.name} (${config.runtime}) from ${config.root}${prepared ? ' (started ahead)' : ''}`,
      );
      // AWS_REGION (the launch's, the host's, the profile's, else us-east-1), credentials, endpoints.
      const aws =
        prepared?.aws ??
        (await resolveAwsAccess(
          launch.credentials === 'none' ? { kind: 'none' } : { kind: 'aws', profile: launch.profile },
          { region: launch.region, onMessage: (text) => this.output('stderr', `${text}\n`) },
        ));
      this.region = aws.region ?? 'us-east-1';
      if (prepared) this.takeEngine(prepared);
      else this.startEngine(launch, config, resolved.nodeExecutable, aws);
      if (launch.serve) {
        const served = await startSessionFronts(
          this.engine!,
          config,
          launch.serve,
          (line) => this.output('stderr', line + '\n'),
          {
            parameterOverrides: launch.parameterOverrides,
            envFile: launch.envFile === undefined ? undefined : path.resolve(this.cwd, launch.envFile),
            createEngine: () => this.otherFunctionsEngine(launch, resolved.nodeExecutable, aws),
          },
        );
        this.fronts = served.fronts;
        this.othersEngine = served.others;
      }
    } catch (error) {
      this.fail(response, error, ErrorCodes.InvalidLaunch);
      return;
    }
    this.sendResponse(response);
    // The first invocation starts now, not once VS Code has configured the session: its
    // environment's process starts (or is there, started ahead) and the JavaScript debugger
    // attaches meanwhile; its phases wait for the configuration (the phase breakpoints, onPhase).
    // The runtime's Node (fetched now on first use); a failure is told by the invocation too.
    const node = isNodeRuntime(config.runtime) ? await this.engine?.runtimeNode(config).catch(() => null) : null;
    this.output(
      'console',
      `Lambda Lifecycle Debugger: ${config.name} (${config.runtime}${node ? ` on Node.js ${node.version}` : ''}, ${config.memorySizeMB} MB, timeout ${config.timeoutSeconds} s)\n`,
    );
    if (this.credentials) this.output('console', `${this.credentials.describe(this.region)}\n`);
    if (this.fronts) {
      await this.configured;
      const body: ServingEventBody = {
        invokeApiUrl: this.fronts.invokeApiUrl,
        httpUrl: this.fronts.httpUrl,
        lines: this.fronts.describe(),
      };
      this.output('console', `Serving:\n${body.lines.join('\n')}\n`);
      this.sendEvent(new Event(Events.serving, body));
    } else void this.invoke({});
  }

  /** An engine like the session's for the template's other functions: no debugger, no phase
   * stops, the launch's reserved and provisioned concurrency left to the debugged function. */
  private otherFunctionsEngine(
    launch: LambdaLaunchArguments,
    nodeExecutable: string | undefined,
    aws: AwsAccess,
  ): Engine {
    return new Engine({
      region: this.region,
      credentials: aws.credentials,
      awsVariables: aws.endpointVariables,
      nodeExecutable,
      idleShutdownMs: (launch.idleShutdownSeconds ?? 600) * 1000,
      cpu: launch.cpu,
      sandbox: launch.sandbox,
      prestart: true,
      onListenerError: (error, event) =>
        this.logger.error(`A listener of the engine's ${event.type} event threw`, error),
    });
  }

  /** The session's side of the engine: its phase stops and its listeners. */
  private engineHooks(): SessionHooks {
    return {
      beforePhase: (gate) => this.onPhase(gate),
      listenerError: (error, event) => this.logger.error(`A listener of the engine's ${event.type} event threw`, error),
    };
  }

  private engineListener(event: EngineEvent): void {
    this.onEngineEvent(event);
    if (event.type !== 'log' && this.logger.debugEnabled()) this.logger.debug(`engine: ${JSON.stringify(event)}`);
  }

  /** The engine started ahead for this launch, with its spare environment. */
  private takeEngine(prepared: PreparedLaunch): void {
    this.credentials = prepared.aws.credentials;
    this.engine = prepared.engine;
    this.pool = prepared.pool;
    prepared.bind(
      this.engineHooks(),
      (event) => this.engineListener(event),
      (text) => this.output('stderr', `${text}\n`),
    );
  }

  /** The engine and the function's pool; a failure is an EngineStartFailed error. */
  private startEngine(
    launch: LambdaLaunchArguments,
    config: FunctionConfig,
    nodeExecutable: string | undefined,
    aws: AwsAccess,
  ): void {
    this.credentials = aws.credentials;
    // Fetched now, while VS Code still configures the session: the first Init asks for them.
    void this.credentials.variables().catch(() => undefined);
    try {
      this.engine = sessionEngine(launch, config, nodeExecutable, aws, this.engineHooks());
      this.engine.on((event) => this.engineListener(event));
      this.pool = this.engine.pool(config);
      // Debugging: the first environment's process boots while VS Code configures the session.
      if (this.engine.options.inspect) this.pool.startSpare();
    } catch (error) {
      const engine = this.engine;
      this.engine = this.pool = null;
      void engine?.close().catch(() => undefined);
      throw new AdapterError(
        ErrorCodes.EngineStartFailed,
        `The Lambda engine could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = {
      threads: [...this.environments.values()]
        .filter((e) => e.state !== 'gone' && (!e.shownByJsDebug || e.held))
        .map((e) => new Thread(e.threadId, this.threadName(e))),
    };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): void {
    const environment = this.byThread(args.threadId);
    const frames = environment
      ? [...environment.lifecycle].reverse().map((entry, index) => {
          const frameId = this.frameHandles.create({ environmentId: environment.environmentId, index });
          const held = index === 0 ? environment.held?.frame : undefined;
          const frame = new StackFrame(frameId, held ?? entry.label);
          // Labels, not code: no "Unknown Source" beside them.
          (frame as DebugProtocol.StackFrame).presentationHint = 'label';
          return frame;
        })
      : [];
    response.body = { stackFrames: frames, totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const frameRef = this.frameHandles.get(args.frameId);
    const environment = frameRef && this.environments.get(frameRef.environmentId);
    const scopes = environment ? lifecycleScopes(environment, this.variableHandles) : [];
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    const value = this.variableHandles.get(args.variablesReference);
    response.body = { variables: toVariables(value, this.variableHandles) };
    this.sendResponse(response);
  }

  protected override continueRequest(
    response: DebugProtocol.ContinueResponse,
    args: DebugProtocol.ContinueArguments,
  ): void {
    this.release(args.threadId);
    response.body = { allThreadsContinued: false };
    this.sendResponse(response);
  }

  // With no line debugger, stepping from a held phase runs the phase.
  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.release(args.threadId);
    this.sendResponse(response);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.release(args.threadId);
    this.sendResponse(response);
  }

  protected override stepOutRequest(
    response: DebugProtocol.StepOutResponse,
    args: DebugProtocol.StepOutArguments,
  ): void {
    this.release(args.threadId);
    this.sendResponse(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendErrorResponse(response, {
      id: ErrorCodes.PauseNotSupported,
      format: 'Pausing is done by the JavaScript debugger attached to the environment.',
    });
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    this.guard(response, ErrorCodes.InvalidRequest, () => this.lambdaRequest(command, response, args));
  }

  private async lambdaRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    try {
      switch (command) {
        case Requests.invoke: {
          const invokeArgs = (args ?? {}) as InvokeArguments;
          const payload =
            invokeArgs.event === undefined ? this.defaultPayload : eventPayload(invokeArgs.event, this.cwd);
          void this.invoke({ cold: invokeArgs.cold === true, payload });
          response.body = {};
          break;
        }
        case Requests.shutdown: {
          const id =
            (args as ShutdownArguments | undefined)?.environmentId ?? this.mostRecentEnvironment()?.environmentId;
          if (!id || !this.pool)
            throw new AdapterError(ErrorCodes.NoEnvironment, 'There is no environment to shut down.');
          void this.pool.shutdownEnvironment(id);
          response.body = { environmentId: id } satisfies ShutdownResponseBody;
          break;
        }
        case Requests.snapshot:
          response.body = snapshotOf(this.config?.name ?? '', [...this.environments.values()], this.invocations);
          break;
        case Requests.reconfigure: {
          const change = (args ?? {}) as ReconfigureArguments;
          if (!this.pool || !this.config)
            throw new AdapterError(ErrorCodes.NotLaunched, 'The session has no function yet.');
          const next: FunctionConfig = {
            ...this.config,
            memorySizeMB: change.memorySize ?? this.config.memorySizeMB,
            timeoutSeconds: change.timeout ?? this.config.timeoutSeconds,
            ephemeralStorageMB: change.ephemeralStorage ?? this.config.ephemeralStorageMB,
            environment: change.environment ?? this.config.environment,
            ...(change.logFormat
              ? {
                  logging: parseLoggingConfig({
                    format: change.logFormat,
                    applicationLogLevel: change.logFormat === 'JSON' ? change.applicationLogLevel : undefined,
                    systemLogLevel: change.logFormat === 'JSON' ? change.systemLogLevel : undefined,
                  }),
                }
              : {}),
          };
          await this.pool.reconfigure(next);
          this.config = next;
          this.output(
            'console',
            `Configuration changed (${next.memorySizeMB} MB, timeout ${next.timeoutSeconds} s): as on Lambda, warm environments retire and the next invocation is cold.\n`,
          );
          break;
        }
        case Requests.tmpFolder: {
          const folder = this.engine?.tmpFolder((args as TmpFolderArguments).environmentId);
          if (!folder)
            throw new AdapterError(ErrorCodes.NoEnvironment, 'That environment is gone; its /tmp went with it.');
          response.body = { path: folder } satisfies TmpFolderResponseBody;
          break;
        }
        case Requests.jsDebugShows: {
          const environment = this.environments.get((args as JsDebugShowsArguments).environmentId);
          if (environment && !environment.shownByJsDebug) {
            environment.shownByJsDebug = true;
            if (!environment.held) this.sendEvent(new ThreadEvent('exited', environment.threadId));
          }
          break;
        }
        case Requests.debuggerPaused: {
          const { environmentId, paused } = args as DebuggerPausedArguments;
          this.engine?.debuggerPaused(environmentId, paused);
          this.mirrorPause(environmentId, paused);
          break;
        }
        default:
          super.customRequest(command, response, args);
          return;
      }
      this.sendResponse(response);
    } catch (error) {
      this.fail(response, error, ErrorCodes.InvalidRequest);
    }
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.guard(response, ErrorCodes.InternalError, () => this.endThenAnswer(response));
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.guard(response, ErrorCodes.InternalError, () => this.endThenAnswer(response));
  }

  /** Disconnect and terminate are always answered, also when ending fails. */
  private async endThenAnswer(response: DebugProtocol.Response): Promise<void> {
    try {
      await this.end();
    } catch (error) {
      this.logger.error('Ending the session failed', error);
    }
    this.sendResponse(response);
  }

  /** Ends every environment (no phase stops while ending) and the session. */
  async end(): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    for (const environment of this.environments.values()) environment.held?.release();
    try {
      await this.fronts?.close();
      await Promise.all([this.engine?.close(), this.othersEngine?.close()]);
    } finally {
      this.sendEvent(new TerminatedEvent());
    }
  }

  // ----- Invocations and phases -------------------------------------------------------

  private async invoke(options: { cold?: boolean; payload?: string }): Promise<void> {
    if (!this.pool || this.ending) return;
    const payload = options.payload ?? this.defaultPayload;
    try {
      const result = await this.pool.invoke(payload, { cold: options.cold === true, trigger: { kind: 'toolbar' } });
      this.invocations.push(result);
      this.showResult(result);
      this.sendEvent(
        new Event(Events.invocationEnded, {
          requestId: result.requestId,
          environmentId: result.environmentId,
          status: result.status,
        }),
      );
    } catch (error) {
      if (!this.ending) this.output('stderr', `Invoke failed: ${(error as Error).message}\n`);
    }
  }

  private showResult(result: InvocationResult): void {
    if (result.status === 'success') {
      this.output('console', `Result: ${JSON.stringify(result.result, null, 2)}\n`);
    } else if (result.error) {
      this.output('stderr', `${result.error.errorType}: ${result.error.errorMessage}\n`);
    }
  }

  /** The engine asks before each phase: stop or not, and how. */
  private async onPhase(gate: PhaseGate): Promise<boolean> {
    // The phase breakpoints are known once VS Code has configured the session.
    await this.configured;
    const environment = this.view(gate.environmentId);
    const breakpoint = this.breakpoints.get(gate.phase);
    if (this.ending || !breakpoint) return false;
    const warm = gate.phase === 'invoke' ? !gate.cold : environment.initialized;
    if (breakpoint.condition === 'cold' && warm) return false;
    if (breakpoint.condition === 'warm' && !warm) return false;
    if (gate.runtimeCanPause && environment.attached) {
      // The JavaScript debugger shows the stop; the extension names it after the phase.
      const label =
        gate.phase === 'init'
          ? `Init (${warm ? 'warm' : 'cold'})`
          : gate.phase === 'invoke'
            ? `Invoke #${gate.invocationCount} (${warm ? 'warm' : 'cold'})`
            : 'Shutdown';
      this.onPhaseStop?.({ environmentId: gate.environmentId, phase: gate.phase, label });
      return true;
    }
    await new Promise<void>((resolve) => {
      const label = { init: 'Init', invoke: 'Invoke', shutdown: 'Shutdown' }[gate.phase];
      const note = gate.phase === 'shutdown' ? SHUTDOWN_NOTES[gate.sigterm ?? 'notSent'] : null;
      // The top frame says what Shutdown does when no listener of the user's runs.
      environment.held = { phase: gate.phase, release: resolve, ...(note ? { frame: note } : {}) };
      const stopped = new StoppedEvent('breakpoint', environment.threadId) as DebugProtocol.StoppedEvent;
      stopped.body.description = `Paused on the ${label} phase`;
      stopped.body.text = note ?? `${label} phase (${warm ? 'warm' : 'cold'})`;
      this.sendEvent(stopped);
    });
    environment.held = null;
    this.sendEvent(new ContinuedEvent(environment.threadId, false));
    return false;
  }

  /** Continue, Step…: a held phase runs; an environment paused in the JavaScript debugger
   * is resumed there (the UI does it on the `continue` event). */
  private release(threadId: number): void {
    const environment = this.byThread(threadId);
    if (environment?.held) environment.held.release();
    else if (environment?.pausedInDebugger)
      this.sendEvent(new Event(Events.continue, { environmentId: environment.environmentId }));
  }

  /** While the JavaScript debugger holds an environment, its thread here shows stopped too,
   * with the lifecycle as frames and the event, context, /tmp and REPORT as scopes. */
  private mirrorPause(environmentId: string, paused: boolean): void {
    const environment = this.environments.get(environmentId);
    if (!environment || environment.pausedInDebugger === paused) return;
    environment.pausedInDebugger = paused;
    // VS Code shows the stop in the JavaScript debugger's own thread for the environment.
    if (environment.shownByJsDebug) return;
    if (paused) {
      const stopped = new StoppedEvent('pause', environment.threadId) as DebugProtocol.StoppedEvent;
      stopped.body.description = 'Paused in the JavaScript debugger';
      stopped.body.preserveFocusHint = true;
      this.sendEvent(stopped);
    } else {
      this.sendEvent(new ContinuedEvent(environment.threadId, false));
    }
  }

  private onEngineEvent(event: EngineEvent): void {
    // Log lines go to the Debug Console; the state panel follows the session through the rest.
    if (event.type === 'log') {
      this.logLine(event.stream, event.line, event.site);
      return;
    }
    if (event.type === 'provisioning') {
      this.sendEvent(new Event(Events.provisioning, event));
      const line =
        event.stage === 'warning' ||
        (event.stage === 'progress' && event.fraction !== null && event.fraction % 1 === 0);
      if (line) this.output('console', `${event.message}\n`);
      return;
    }
    this.sendEvent(new Event(Events.engine, event));
    // One fold of the events, shared with the Functions view and the state panel.
    this.model = reduce(this.model, event);
    const model = this.model.environments[event.environmentId];
    if (!model) return;
    const environment = this.view(event.environmentId);
    mirrorModel(environment, model);
    switch (event.type) {
      case 'environmentCreated':
        // Which sandbox runs it, and the CPU its memory buys (sandbox/environmentSandbox.ts).
        if (event.sandbox && event.cpu) {
          const held = { cgroup: 'a cgroup quota', dutyCycle: 'duty-cycling', none: 'not limited' }[
            event.cpu.enforcedBy
          ];
          this.output(
            'console',
            `env ${environment.threadId}: sandbox ${event.sandbox}, ${event.cpu.vcpus.toFixed(2)} vCPU (${held})\n`,
          );
        }
        break;
      case 'inspectorOpened': {
        environment.attached = true;
        const body: AttachEventBody = {
          environmentId: event.environmentId,
          name: `env ${environment.threadId} · ${this.config?.name ?? ''}`,
          websocketAddress: event.url,
          remoteRoot: event.pathMapping?.remoteRoot,
          localRoot: event.pathMapping?.localRoot,
          nodeMajor: event.nodeVersion ? Number(/^v(\d+)\./.exec(event.nodeVersion)?.[1]) || undefined : undefined,
        };
        this.onAttach?.(body);
        this.sendEvent(new Event(Events.attach, body));
        break;
      }
      case 'phaseEnded':
        this.sendEvent(new ThreadEvent('started', environment.threadId)); // refreshes the thread's name
        if (event.initPhases) this.output('console', `env ${environment.threadId}: ${initPhasesLine(event)}\n`);
        break;
      case 'invocationStarted':
        environment.lastContext = {
          awsRequestId: event.requestId,
          functionName: this.config?.name,
          memoryLimitInMB: String(this.config?.memorySizeMB),
          timeoutSeconds: this.config?.timeoutSeconds,
          cold: event.cold,
        };
        break;
      case 'environmentGone':
        environment.held?.release();
        this.sendEvent(new ThreadEvent('exited', environment.threadId));
        break;
    }
  }

  // ----- Views ------------------------------------------------------------------------

  private view(environmentId: string): EnvironmentView {
    let environment = this.environments.get(environmentId);
    if (!environment) {
      environment = newEnvironmentView(
        environmentId,
        this.model.environments[environmentId]?.number ?? this.environments.size + 1,
      );
      this.environments.set(environmentId, environment);
      this.sendEvent(new ThreadEvent('started', environment.threadId));
    }
    return environment;
  }

  private byThread(threadId: number): EnvironmentView | undefined {
    return [...this.environments.values()].find((e) => e.threadId === threadId);
  }

  private mostRecentEnvironment(): EnvironmentView | undefined {
    const alive = [...this.environments.values()].filter((e) => e.state !== 'gone');
    const last = this.invocations
      .slice()
      .reverse()
      .find((r) => alive.some((e) => e.environmentId === r.environmentId));
    return last ? this.environments.get(last.environmentId) : alive[alive.length - 1];
  }

  private threadName(environment: EnvironmentView): string {
    const model = this.model.environments[environment.environmentId];
    return model ? environmentLabel(model) : `env ${environment.threadId}`;
  }

  /** One log line in the Debug Console: ERROR and FATAL as errors; a JSON record (LogFormat
   * JSON) as its level and message with the whole record folded beneath; a console call's
   * site as the line's clickable location. */
  private logLine(stream: string, line: string, site?: SourceSite): void {
    const json = readableJsonLog(line);
    const level = json ? String(json.record.level ?? '') : (line.split('\t')[2] ?? '');
    const category =
      stream === 'stderr' || level === 'ERROR' || level === 'FATAL'
        ? 'stderr'
        : stream === 'stdout'
          ? 'stdout'
          : 'console';
    const event = new OutputEvent((json ? json.text : line) + '\n', category) as DebugProtocol.OutputEvent;
    if (json) event.body.variablesReference = this.variableHandles.create(json.record);
    if (site) {
      event.body.source = new Source(path.basename(site.file), this.convertDebuggerPathToClient(site.file));
      event.body.line = this.convertDebuggerLineToClient(site.line);
      event.body.column = this.convertDebuggerColumnToClient(site.column);
    }
    this.sendEvent(event);
  }

  private output(category: 'console' | 'stdout' | 'stderr', text: string): void {
    this.sendEvent(new OutputEvent(text, category));
  }
}
