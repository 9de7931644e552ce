// The processes of one execution environment and what connects them: its Runtime API and
// Extensions API server, its runtime process (started ahead when it can be) and its
// external extensions. It starts, thaws, freezes, resets and stops them, and reports what
// they do (output, the runtime done with a phase, exits, the inspector, responses and
// errors). When each of these happens is the lifecycle's decision (environment.ts).

import { cacheDirectory } from '../provision/cache';
import type { InitializationType, LambdaError, ShutdownReason } from '../protocol/engineEvents';
import type { RuntimeModules, RuntimeToEngine, SourceSite, VariableUpdate } from '../protocol/sandbox';
import { isNodeRuntime, versionOf, type FunctionConfig } from '../config/functionConfig';
import type { ResolvedEngineOptions } from './options';
import { RuntimeApiServer, type PendingEvent, type RuntimeOutcome } from './runtimeApiServer';
import type { ProcessExit, RuntimeProcess } from './runtimeProcess';
import { sandboxVariables } from './sandboxVariables';
import { functionArn } from './ids';
import { discoverExtensions, ExternalExtensions } from './externalExtensions';
import { launchRuntime, pausedClockFile } from './runtimeLaunch';
import { stopProcesses } from './shutdownSequence';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { CREDENTIALS_PATH } from '../protocol/runtimeApi';
import type { CurrentCredentials } from '../provision/credentials';
import { EnvironmentSandbox, runsInNamespace } from './sandbox/environmentSandbox';

export type FrozenMessage = Extract<RuntimeToEngine, { t: 'frozen' }>;

/** What the processes report to the environment. */
export interface ProcessesListener {
  output(stream: 'stdout' | 'stderr', text: string, site?: SourceSite): void;
  /** The runtime is done with its phase: our Node runtime froze (and says what it left
   * pending), or a custom runtime asked for its next event (null). */
  runtimeDone(frozen: FrozenMessage | null): void;
  /** An extension registered or became ready. */
  extensionsChanged(): void;
  outcome(outcome: RuntimeOutcome): void;
  /** A piece of a streamed response as it arrives. */
  responseChunk(chunk: Buffer): void;
  initError(error: LambdaError): void;
  extensionError(name: string, kind: 'init' | 'exit', errorType: string): void;
  /** Debugging: the Node inspector listens at `url`, and a debugger attached to it. */
  inspectorOpened(url: string): void;
  debuggerAttached(): void;
  /** A runtime process exited; `current`: it is the environment's runtime now. */
  runtimeExited(exit: ProcessExit, current: boolean): void;
}

export interface ProcessesContext {
  config: FunctionConfig;
  options: ResolvedEngineOptions;
  environmentDir: string;
  tmpDir: string;
  runtimeDir: string;
  logStreamName: string;
  initializationType: InitializationType;
  /** The runtime's copy of the AWS SDK for the function (Node runtimes). */
  runtimeModules: RuntimeModules | null;
}

/** An invocation as the runtime receives it; its ARN is the function's, qualified by the
 * version or alias the caller named (`qualifier`), as Lambda passes the invoked ARN. */
export type InvokeEvent = Omit<PendingEvent, 'invokedFunctionArn'> & { qualifier?: string };

/** The environment's name for its sandbox (its cgroup): unique among the engines of this
 * process, which each number their environments from 1 (a debug session's engine and one
 * started ahead, the fronts' other functions): its engine folder's random part and its id. */
function sandboxName(environmentDir: string): string {
  const engine = path.basename(path.dirname(environmentDir));
  return `${engine.slice(engine.lastIndexOf('-') + 1)}-${path.basename(environmentDir)}`;
}

export class EnvironmentProcesses {
  private readonly server: RuntimeApiServer;
  private readonly extensions = new ExternalExtensions();
  /** The invoked function ARN every event carries. */
  private readonly arn: string;
  private readonly isNode: boolean;
  private runtimeApi = '';
  private process: RuntimeProcess | null = null;
  private prestartedBootMs: number | null = null;
  /** The credentials now, and the variables the runtime process last got. */
  private credentials: CurrentCredentials = { variables: {}, expiresAt: null };
  private credentialsSent: Record<string, string> | null = null;
  /** The runtime process started with the container credentials endpoint (not the variables). */
  private credentialsThroughEndpoint = false;
  /** The kernel side of the sandbox: CPU share, memory limit, freeze (sandbox/). */
  readonly sandbox: EnvironmentSandbox;

  constructor(
    private readonly ctx: ProcessesContext,
    private readonly listener: ProcessesListener,
  ) {
    this.isNode = isNodeRuntime(ctx.config.runtime);
    this.arn = functionArn(ctx.options.region, ctx.options.accountId, ctx.config.name);
    this.sandbox = EnvironmentSandbox.create({
      environmentId: sandboxName(ctx.environmentDir),
      memorySizeMB: ctx.config.memorySizeMB,
      cpu: ctx.options.cpu,
      sandbox: ctx.options.sandbox,
      enforceMemoryLimit: ctx.options.enforceMemoryLimit,
      inspect: ctx.options.inspect,
      namespace: runsInNamespace(ctx.options.sandbox)
        ? {
            codeRoot: ctx.config.root,
            runtimeDir: ctx.runtimeDir,
            environmentDir: ctx.environmentDir,
            layers: ctx.config.layers,
            tmpSizeMB: ctx.config.ephemeralStorageMB,
            readOnly: ctx.options.readOnlyFilesystem,
            nodeExecutable: ctx.options.nodeExecutable,
            cacheDir: cacheDirectory(),
          }
        : null,
    });
    this.server = new RuntimeApiServer(
      {
        // The Node runtime ends a phase on the control channel (with what it left pending);
        // a custom runtime's request for the next event is its phase end.
        runtimeNext: () => {
          if (!this.isNode) listener.runtimeDone(null);
        },
        outcome: (_id, outcome) => listener.outcome(outcome),
        responseChunk: (_id, chunk) => listener.responseChunk(chunk),
        initError: (error) => listener.initError(error),
        extensionsChanged: () => {
          this.extensions.changed();
          listener.extensionsChanged();
        },
        extensionError: (name, kind, errorType) => listener.extensionError(name, kind, errorType),
      },
      { functionName: ctx.config.name, functionVersion: versionOf(ctx.config), handler: ctx.config.handler },
    );
    this.server.credentialsEndpoint = {
      token: randomUUID(),
      current: () => {
        const { variables, expiresAt } = this.credentials;
        if (!this.credentialsThroughEndpoint || expiresAt === null || !variables.AWS_SESSION_TOKEN) return null;
        return {
          accessKeyId: variables.AWS_ACCESS_KEY_ID,
          secretAccessKey: variables.AWS_SECRET_ACCESS_KEY,
          sessionToken: variables.AWS_SESSION_TOKEN,
          expiresAt,
        };
      },
    };
  }

  /** The runtime process now (none before Init, after a reset, or after it ended while idle). */
  get runtime(): RuntimeProcess | null {
    return this.process;
  }

  /** Extensions registered with the Extensions API. */
  get registeredExtensions(): number {
    return this.server.extensions.size;
  }

  /** True when every registered extension waits for its next event. */
  extensionsReady(): boolean {
    return this.server.extensionsReady();
  }

  /** Starts the Runtime API server and, for Node runtimes, the process up to the point
   * where it waits to begin Init. */
  async prepare(): Promise<void> {
    await this.sandbox.prepare();
    this.runtimeApi = await this.server.listen();
    if (this.isNode && this.ctx.options.prestart) {
      this.process = this.spawnRuntime();
      this.prestartedBootMs = await this.process.ready;
    }
  }

  /** Before Init: registrations open, and a runtime process ready to run it. Returns the
   * boot time of a runtime started ahead (it counts toward Init Duration, as on Lambda). */
  beginInit(): { runtime: RuntimeProcess; bootMs: number } {
    this.server.registrationOpen = true;
    let bootMs = 0;
    if (!this.process || this.process.hasExited) this.process = this.spawnRuntime();
    else if (this.prestartedBootMs !== null) bootMs = this.prestartedBootMs;
    this.prestartedBootMs = null;
    this.sandbox.thaw();
    return { runtime: this.process, bootMs };
  }

  /** Starts the layers' external extensions and waits until each has registered or ended,
   * within `limitMs`. Returns how many it started. */
  async startExtensions(limitMs: number): Promise<number> {
    const executables = discoverExtensions(this.ctx.config.layers);
    if (executables.length === 0) return 0;
    // In the environment's namespace and cgroup, where it has them, as on Lambda.
    this.extensions.start(executables, {
      cwd: this.ctx.config.root,
      env: this.variables(),
      onOutput: (stream, text) => this.listener.output(stream, text),
      launch: (file, env) => this.sandbox.extensionLaunch(file, env),
      started: (pid) => this.sandbox.adopt(pid),
    });
    await this.extensions.registered(() => this.server.extensions.size, limitMs);
    return executables.length;
  }

  /** Asks for the credentials before a phase (outside its clock). */
  async refreshCredentials(): Promise<void> {
    this.credentials = await this.ctx.options.credentials.current();
  }

  /** Whether a runtime process started now gets its credentials from Lambda's container
   * credentials endpoint rather than as variables. Our Node runtime's process.env is updated
   * before each phase; a custom runtime's environment is fixed when it starts, so temporary
   * credentials (which expire) reach it as Lambda gives them where it cannot fix them at
   * start (SnapStart): AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN,
   * which every AWS SDK's default chain asks again when its copy nears expiry. */
  credentialsEndpointAhead(): boolean {
    const { variables, expiresAt } = this.credentials;
    return !this.isNode && expiresAt !== null && variables.AWS_SESSION_TOKEN !== undefined;
  }

  /** What the runtime's process.env needs before its next phase: the credentials, if they
   * changed since it last got them (or always at `init`). */
  credentialsUpdate(always = false): VariableUpdate | undefined {
    const sent = this.credentialsSent;
    const now = this.credentials.variables;
    this.credentialsSent = now;
    if (!always && sent === now) return undefined;
    const update: VariableUpdate = { ...now };
    for (const name of Object.keys(sent ?? {})) if (!(name in now)) update[name] = null;
    return update;
  }

  /** Hands an invocation to the runtime and the INVOKE event to the extensions, and thaws
   * them; `pause`: the runtime stops at its invoke phase point for a debugger. */
  deliverInvoke({ qualifier, ...event }: InvokeEvent, pause: boolean): void {
    const invokedFunctionArn = qualifier ? `${this.arn}:${qualifier}` : this.arn;
    this.server.deliver({ ...event, invokedFunctionArn });
    this.extensions.thaw();
    this.server.deliverToExtensions({
      eventType: 'INVOKE',
      deadlineMs: event.deadlineMs,
      requestId: event.requestId,
      invokedFunctionArn,
      tracing: { type: 'X-Amzn-Trace-Id', value: event.traceId },
    });
    this.sandbox.thaw();
    this.process!.send({ t: 'thaw', pause, env: this.credentialsUpdate() });
  }

  /** Nothing of the environment runs until the next thaw. The Node runtime froze itself on
   * the control channel; a custom runtime and external extensions are stopped. */
  freeze(): void {
    this.sandbox.freeze();
    if (!this.isNode) this.process?.send({ t: 'freeze' });
    this.extensions.freeze();
  }

  /** After a timeout or crash: every process ends; the next Init starts new ones. */
  async reset(reason: ShutdownReason): Promise<void> {
    await this.stop(reason);
    this.forget();
  }

  /** The runtime ended on its own while frozen: the next Init starts anew. */
  forget(): void {
    this.server.reset();
    this.process = null;
  }

  /** Lambda's shutdown sequence for every process (shutdownSequence.ts). */
  stop(reason: ShutdownReason, pause = false): Promise<void> {
    this.sandbox.release();
    return stopProcesses(
      { runtime: this.process, extensions: this.extensions.takeAll(), server: this.server },
      reason,
      pause,
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.server.close(), this.sandbox.dispose()]);
  }

  private spawnRuntime(): RuntimeProcess {
    const { options } = this.ctx;
    this.credentialsThroughEndpoint = this.credentialsEndpointAhead();
    const runtime = launchRuntime({
      config: this.ctx.config,
      options,
      environmentDir: this.ctx.environmentDir,
      tmpDir: this.ctx.tmpDir,
      runtimeDir: this.ctx.runtimeDir,
      variables: this.variables(this.credentialsThroughEndpoint),
      pausedClockFile: options.inspect ? pausedClockFile(this.ctx.environmentDir) : null,
      runtimeModules: this.ctx.runtimeModules,
      sandbox: this.sandbox,
    });
    this.sandbox.attach(runtime);
    const listener = this.listener;
    runtime.on('output', (stream, text, site) => listener.output(stream, text, site));
    runtime.on('frozen', (message) => listener.runtimeDone(message));
    runtime.on('inspector', (url) => listener.inspectorOpened(url));
    runtime.on('attached', () => listener.debuggerAttached());
    runtime.on('exit', (exit) => listener.runtimeExited(exit, this.process === runtime));
    return runtime;
  }

  /** The processes' variables; `throughEndpoint`: the credentials endpoint's variables in
   * place of the credentials (as Lambda's, the SDKs' default chains read the credential
   * variables first, so those are left out). */
  private variables(throughEndpoint = false): Record<string, string> {
    const credentials = throughEndpoint
      ? {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://${this.runtimeApi}${CREDENTIALS_PATH}`,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: this.server.credentialsEndpoint!.token,
        }
      : this.credentials.variables;
    return sandboxVariables(
      this.ctx.config,
      {
        logStreamName: this.ctx.logStreamName,
        initializationType: this.ctx.initializationType,
        runtimeApi: this.runtimeApi,
        runtimeDir: this.ctx.runtimeDir,
        runtimeModulesDir: this.ctx.runtimeModules?.dir ?? null,
      },
      this.ctx.options,
      process.env,
      credentials,
    );
  }
}
