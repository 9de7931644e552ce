// The environments of one function, scheduled as Lambda schedules them: an invocation
// reuses an idle warm environment (the most recently used), else a new one starts cold;
// one environment serves one invocation at a time, so concurrent invocations scale out;
// provisioned concurrency initialises environments ahead; reserved concurrency caps the
// count and throttles past it; idle environments shut down after a while; a configuration
// change retires every environment. A spare Node process is kept started ahead so that a
// cold start does not wait for Node to boot.

import { runsInNamespace } from './sandbox/environmentSandbox';
import { FunctionConfig, LIMITS, isNodeRuntime, validateFunctionConfig } from '../config/functionConfig';
import type { EngineEvent, FetchedWork, InvocationResult, InvocationTrigger } from '../protocol/engineEvents';
import type { ResolvedEngineOptions } from './options';
import { ExecutionEnvironment } from './environment';
import { environmentIdOf, newRequestId } from './ids';
import type { RuntimeNodes } from './runtimeNodes';
import { CodeAhead } from './codeAhead';

export interface InvokeOptions {
  /** Always start a new environment (Lambda never guarantees warm reuse). */
  cold?: boolean;
  clientContext?: string;
  cognitoIdentity?: string;
  /** What called the function (the state panel shows it). */
  trigger?: InvocationTrigger;
  /** Receives a streaming function's response bytes as they arrive (response streaming fronts). */
  onResponseChunk?: (chunk: Buffer) => void;
  /** The version or alias the caller named: the invoked ARN's qualifier (none: unqualified). */
  qualifier?: string;
}

export type PoolInvocationResult = InvocationResult & { initLogs: string | null };

/** An invocation refused before it reached an environment, as Lambda refuses it. */
export class InvokeRejectedError extends Error {
  constructor(
    readonly errorType:
      'TooManyRequestsException' | 'RequestEntityTooLargeException' | 'InvalidRequestContentException',
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
    this.name = errorType;
  }
}

export interface PoolContext {
  options: ResolvedEngineOptions;
  engineDir: string;
  runtimeDir: string;
  emit(event: EngineEvent): void;
  /** True when someone listens to engine events (snapshots are skipped otherwise). */
  observed(): boolean;
  /** Environments are numbered 1, 2, … across the engine; the id is made from the number. */
  nextEnvironmentNumber(): number;
  /** The Node each runtime runs on (resolved, and fetched if need be, once per engine). */
  nodes: RuntimeNodes;
  /** Environments alive or starting for the function, every version's pool together (reserved
   * concurrency is the function's). */
  functionConcurrency(): number;
}

export class FunctionPool {
  private readonly environments = new Set<ExecutionEnvironment>();
  private spare: Promise<ExecutionEnvironment> | null = null;
  /** Whether an environment of this pool has begun its Init (what is said once is said then). */
  private initialised = false;
  private closed = false;
  private idleTimers = new Map<ExecutionEnvironment, NodeJS.Timeout>();
  private provisioning: Promise<void> = Promise.resolve();
  /** Environments being started for an invocation, not yet in `environments`. */
  private starting = 0;
  /** The function's code read (and its TypeScript transpiled) before environments start. */
  private readonly code = new CodeAhead();

  constructor(
    private config: FunctionConfig,
    private readonly ctx: PoolContext,
  ) {
    validateFunctionConfig(config);
    this.provisioning = this.provision();
    // Whoever awaits whenProvisioned() sees a failure (e.g. no Node to be had); nobody else must crash on it.
    this.provisioning.catch(() => undefined);
  }

  get functionConfig(): FunctionConfig {
    return this.config;
  }

  /** Environments alive now (busy or idle). */
  list(): ExecutionEnvironment[] {
    return [...this.environments];
  }

  environmentById(environmentId: string): ExecutionEnvironment | undefined {
    return [...this.environments].find((e) => e.id === environmentId);
  }

  /** A debugger paused or resumed one of this pool's environments; a pause is a moment to
   * start the spare held back while the debugger attached (see startEnvironment). */
  debuggerPaused(environmentId: string, paused: boolean): void {
    const environment = this.environmentById(environmentId);
    if (!environment) return;
    environment.debuggerPaused(paused);
    if (paused) this.startSpare();
  }

  /** Resolves once provisioned environments are initialised. */
  whenProvisioned(): Promise<void> {
    return this.provisioning;
  }

  async invoke(payload: string, options: InvokeOptions = {}): Promise<PoolInvocationResult> {
    if (this.closed) throw new Error('The engine is closed.');
    if (Buffer.byteLength(payload) > LIMITS.syncPayloadBytes) {
      throw new InvokeRejectedError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${LIMITS.syncPayloadBytes} bytes for the InvokeFunction operation`,
        413,
      );
    }
    try {
      JSON.parse(payload);
    } catch (error) {
      throw new InvokeRejectedError(
        'InvalidRequestContentException',
        `Could not parse request body into json: ${(error as Error).message}`,
        400,
      );
    }
    const environment = options.cold ? null : this.takeIdle();
    const chosen = environment ?? (await this.startEnvironment());
    this.clearIdleTimer(chosen);
    try {
      return await chosen.invoke({
        requestId: newRequestId(),
        payload,
        clientContext: options.clientContext,
        cognitoIdentity: options.cognitoIdentity,
        trigger: options.trigger,
        onResponseChunk: options.onResponseChunk,
        qualifier: options.qualifier,
      });
    } finally {
      if (chosen.retired || this.closed) await this.retire(chosen, 'spindown');
      else this.armIdleTimer(chosen);
      if (this.ctx.options.inspect) this.startSpare();
    }
  }

  /** A configuration change: as on Lambda, the next invocations run in new environments. */
  async reconfigure(config: FunctionConfig): Promise<void> {
    validateFunctionConfig(config);
    this.config = config;
    const spare = this.spare;
    this.spare = null;
    const retiring: Promise<void>[] = [];
    if (spare)
      retiring.push(
        spare.then(
          (e) => e.shutdown('closed'),
          () => undefined,
        ),
      );
    for (const environment of this.environments) {
      if (environment.state === 'invoking') environment.retired = true;
      else retiring.push(this.retire(environment, 'spindown'));
    }
    await Promise.all(retiring);
    this.provisioning = this.provision();
    // Whoever awaits whenProvisioned() sees a failure (e.g. no Node to be had); nobody else must crash on it.
    this.provisioning.catch(() => undefined);
  }

  /** Shuts one environment down (the Shutdown phase runs). */
  async shutdownEnvironment(environmentId: string): Promise<boolean> {
    const environment = this.environmentById(environmentId);
    if (!environment) return false;
    if (environment.state === 'invoking') environment.retired = true;
    else await this.retire(environment, 'spindown');
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const spare = this.spare;
    this.spare = null;
    await Promise.all([
      ...[...this.environments].map((e) => this.retire(e, 'closed')),
      spare?.then(
        (e) => e.shutdown('closed'),
        () => undefined,
      ),
    ]);
  }

  private takeIdle(): ExecutionEnvironment | null {
    let best: ExecutionEnvironment | null = null;
    for (const environment of this.environments) {
      if (environment.state !== 'idle' || environment.retired) continue;
      if (!best || environment.lastUsed > best.lastUsed) best = environment;
    }
    // invoke() marks it busy synchronously, before anything else can take it.
    return best;
  }

  /** Environments alive or being started for an invocation. */
  get concurrency(): number {
    return this.environments.size + this.starting;
  }

  private async startEnvironment(): Promise<ExecutionEnvironment> {
    const cap = this.config.reservedConcurrency ?? this.ctx.options.reservedConcurrency;
    if (cap !== null && this.ctx.functionConcurrency() >= cap) {
      // An idle environment gives way to the new one; when all are busy, throttle.
      const idle = [...this.environments].find((e) => e.state === 'idle');
      if (idle) await this.retire(idle, 'spindown');
      else throw new InvokeRejectedError('TooManyRequestsException', 'Rate Exceeded.', 429);
    }
    const spare = this.spare;
    this.spare = null;
    this.starting++;
    let environment: ExecutionEnvironment;
    try {
      environment = spare
        ? await spare.catch(() => this.newEnvironment('on-demand'))
        : await this.newEnvironment('on-demand');
    } finally {
      this.starting--;
    }
    this.environments.add(environment);
    if (this.closed) {
      await this.retire(environment, 'closed');
      throw new Error('The engine is closed.');
    }
    // The next spare now, or, while debugging, once the debugger has attached and paused
    // (or the invocation has ended): booting it would otherwise take the CPU from the
    // JavaScript debugger's attach, the way from F5 to the first stop.
    if (!this.ctx.options.inspect) this.startSpare();
    return environment;
  }

  private async newEnvironment(
    initializationType: 'on-demand' | 'provisioned-concurrency',
  ): Promise<ExecutionEnvironment> {
    const config = this.config;
    // Before the environment exists: fetching a Node and transpiling are no part of its Init.
    // (The two at once: neither needs the other.) What was fetched meanwhile (a Node binary,
    // the runtime's SDK) its first Init says apart.
    const fetched: FetchedWork[] = [];
    const lambdaPaths = runsInNamespace(this.ctx.options.sandbox);
    const [found, prepared] = await Promise.allSettled([
      this.ctx.nodes.forFunction(config, fetched),
      this.code.prepare(config, this.ctx.emit, lambdaPaths, fetched),
    ]);
    if (found.status === 'rejected') throw found.reason;
    if (prepared.status === 'rejected') throw prepared.reason;
    const node = found.value;
    const runtimeModules = prepared.value;
    const number = this.ctx.nextEnvironmentNumber();
    const environment = new ExecutionEnvironment({
      id: environmentIdOf(number),
      number,
      config,
      options: { ...this.ctx.options, nodeExecutable: node.path },
      nodeVersion: isNodeRuntime(config.runtime) ? node.version : null,
      runtimeModules,
      fetched,
      initializationType,
      engineDir: this.ctx.engineDir,
      runtimeDir: this.ctx.runtimeDir,
      emit: this.ctx.emit,
      observed: this.ctx.observed,
      firstInitOfPool: () => !this.initialised && (this.initialised = true),
    });
    await environment.prepare();
    return environment;
  }

  /** Starts a spare environment's process now (if none is), so that the next cold start
   * does not wait for Node to boot. */
  startSpare(): void {
    if (!this.ctx.options.prestart || this.closed || this.spare) return;
    const config = this.config;
    const spare = this.newEnvironment('on-demand');
    spare.catch(() => undefined);
    this.spare = spare;
    // A spare made for an old configuration is discarded by reconfigure().
    void spare.then(
      (e) => {
        if (this.config !== config && this.spare !== spare) void e.shutdown('closed');
      },
      () => undefined,
    );
  }

  private async provision(): Promise<void> {
    const count = this.ctx.options.provisionedConcurrency;
    const started = await Promise.all(
      Array.from({ length: count }, async () => {
        const environment = await this.newEnvironment('provisioned-concurrency');
        this.environments.add(environment);
        await environment.initializeAhead();
        return environment;
      }),
    );
    for (const environment of started) environment.lastUsed = Date.now();
    this.startSpare();
  }

  private armIdleTimer(environment: ExecutionEnvironment): void {
    this.clearIdleTimer(environment);
    const timer = setTimeout(() => void this.retire(environment, 'spindown'), this.ctx.options.idleShutdownMs);
    timer.unref();
    this.idleTimers.set(environment, timer);
  }

  private clearIdleTimer(environment: ExecutionEnvironment): void {
    const timer = this.idleTimers.get(environment);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(environment);
  }

  private async retire(environment: ExecutionEnvironment, reason: 'spindown' | 'closed'): Promise<void> {
    this.clearIdleTimer(environment);
    this.environments.delete(environment);
    await environment.shutdown(reason);
  }
}
