// The engine of a debug session, and the same engine started ahead. When VS Code has
// resolved a `lambda` launch (F5, the function picked) it still takes a while before it
// creates the adapter and the adapter is configured; a session's engine made then, with a
// spare environment's Node process booting, has that process ready when the first
// invocation comes. The launch carries the id of what was started for it (`prepared`); the
// session takes it, or, if none is found (the launch changed, it failed, it expired), does
// the same itself. Whatever no session takes within a while is closed with its processes.

import type { PhaseGate } from '../engine/options';
import { Engine } from '../engine/engine';
import type { FunctionPool } from '../engine/pool';
import { isNodeRuntime, type FunctionConfig } from '../config/functionConfig';
import type { EngineEvent } from '../protocol/engineEvents';
import type { LambdaLaunchArguments } from '../protocol/debugProtocol';
import { resolveAwsAccess, type AwsAccess } from '../provision/awsAccess';
import { resolveLaunch, type NodeProbe, type ResolvedLaunch } from './launchResolution';

/** What the session answers the engine: whether to stop before a phase, and listener failures. */
export interface SessionHooks {
  beforePhase(gate: PhaseGate): Promise<boolean>;
  listenerError(error: unknown, event: EngineEvent): void;
}

/** The engine of a debug session: its options as the launch sets them. */
export function sessionEngine(
  launch: LambdaLaunchArguments,
  config: FunctionConfig,
  nodeExecutable: string | undefined,
  aws: AwsAccess,
  hooks: SessionHooks,
): Engine {
  const debugging = !launch.noDebug;
  return new Engine({
    region: aws.region ?? 'us-east-1',
    credentials: aws.credentials,
    awsVariables: aws.endpointVariables,
    nodeExecutable,
    idleShutdownMs: (launch.idleShutdownSeconds ?? 600) * 1000,
    provisionedConcurrency: launch.provisionedConcurrency,
    reservedConcurrency: launch.reservedConcurrency,
    inspect: debugging && launch.lineDebugging === true && isNodeRuntime(config.runtime),
    // The Module state scope and the state panel show what the module keeps.
    captureModuleState: isNodeRuntime(config.runtime),
    initProfile: isNodeRuntime(config.runtime) && (launch.initProfile ?? debugging),
    cpu: launch.cpu,
    sandbox: launch.sandbox,
    beforePhase: debugging ? (gate) => hooks.beforePhase(gate) : undefined,
    onListenerError: (error, event) => hooks.listenerError(error, event),
  });
}

/** A session's engine started ahead of it, for the session to take. */
export interface PreparedLaunch {
  resolved: ResolvedLaunch;
  aws: AwsAccess;
  engine: Engine;
  pool: FunctionPool;
  /** Binds the session: its hooks, and its listener, which first gets the engine's events
   * and the messages (AWS access) that came before. */
  bind(hooks: SessionHooks, listener: (event: EngineEvent) => void, message: (text: string) => void): void;
}

/** Whether a launch can be started ahead: a debug session of one function with VS Code's
 * JavaScript debugger, no provisioned environments (their Init would run before the session
 * can stop in it) and no HTTP fronts. */
export function startsAhead(launch: LambdaLaunchArguments): boolean {
  return (
    !launch.noDebug && launch.lineDebugging === true && !launch.serve && (launch.provisionedConcurrency ?? 0) === 0
  );
}

/** The engines started ahead of their sessions, by id. */
export class LaunchesAhead {
  private readonly prepared = new Map<string, { launch: Promise<PreparedLaunch | null>; expiry: NodeJS.Timeout }>();
  private count = 0;

  constructor(
    private readonly probe: NodeProbe,
    /** How long a prepared launch waits for its session. */
    private readonly waitMs = 60_000,
  ) {}

  /** Starts the launch's engine and a spare environment; returns the id the launch then
   * carries (`prepared`), or undefined when it is not started ahead. */
  prepare(launch: LambdaLaunchArguments): string | undefined {
    if (!startsAhead(launch)) return undefined;
    const id = `${process.pid}-${++this.count}`;
    const started = prepareLaunch(launch, this.probe);
    const expiry = setTimeout(() => this.discard(id), this.waitMs);
    expiry.unref();
    this.prepared.set(id, { launch: started, expiry });
    return id;
  }

  /** The prepared launch of that id (once), or null. */
  take(id: string | undefined): Promise<PreparedLaunch | null> {
    const entry = id === undefined ? undefined : this.prepared.get(id);
    if (!entry) return Promise.resolve(null);
    this.prepared.delete(id!);
    clearTimeout(entry.expiry);
    return entry.launch;
  }

  /** Closes the engine of that id, if no session took it. */
  discard(id: string): void {
    void this.take(id).then((p) => p?.engine.close().catch(() => undefined));
  }

  /** Closes every engine not taken. */
  async dispose(): Promise<void> {
    const ids = [...this.prepared.keys()];
    await Promise.all(ids.map((id) => this.take(id).then((p) => p?.engine.close().catch(() => undefined))));
  }
}

/** Resolves the launch and starts its engine with a spare environment; null when anything
 * fails (the session then does it all again and reports the failure as usual). */
async function prepareLaunch(launch: LambdaLaunchArguments, probe: NodeProbe): Promise<PreparedLaunch | null> {
  const messages: string[] = [];
  const events: EngineEvent[] = [];
  let hooks: SessionHooks | null = null;
  let listener: ((event: EngineEvent) => void) | null = null;
  let say: ((text: string) => void) | null = null;
  let engine: Engine | null = null;
  try {
    const resolved = await resolveLaunch(launch, probe);
    if (!isNodeRuntime(resolved.config.runtime)) return null;
    const aws = await resolveAwsAccess(
      launch.credentials === 'none' ? { kind: 'none' } : { kind: 'aws', profile: launch.profile },
      { region: launch.region, onMessage: (text) => (say ? say(text) : messages.push(text)) },
    );
    // The first Init asks for them.
    void aws.credentials.variables().catch(() => undefined);
    engine = sessionEngine(launch, resolved.config, resolved.nodeExecutable, aws, {
      // No phase runs before the session is bound: the spare waits for an invocation.
      beforePhase: (gate) => (hooks ? hooks.beforePhase(gate) : Promise.resolve(false)),
      listenerError: (error, event) => hooks?.listenerError(error, event),
    });
    engine.on((event) => (listener ? listener(event) : events.push(event)));
    const pool = engine.pool(resolved.config);
    pool.startSpare();
    return {
      resolved,
      aws,
      engine,
      pool,
      bind: (sessionHooks, sessionListener, sessionMessage) => {
        hooks = sessionHooks;
        for (const text of messages.splice(0)) sessionMessage(text);
        say = sessionMessage;
        for (const event of events.splice(0)) sessionListener(event);
        listener = sessionListener;
      },
    };
  } catch {
    await engine?.close().catch(() => undefined);
    return null;
  }
}
