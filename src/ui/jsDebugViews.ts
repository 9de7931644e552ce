// VS Code's Call Stack and Variables views for an environment debugged by VS Code's
// JavaScript debugger (js-debug): its session is named as the panel names the environment
// ("env 1 · warm · 3 invocations"), its stack ends with the environment's lifecycle as
// label frames ("Invoke #3 (warm)", "Init (cold, 162 ms)") and its scopes are followed by
// the Lambda scopes (Event, Context, Module state, /tmp, Pending work, Last REPORT).
//
// How: a debug adapter tracker on js-debug's sessions adds to the responses they send
// (stackTrace, scopes) and answers the requests for what it added (variables of a Lambda
// scope, scopes of a lifecycle frame), in flight: VS Code hands trackers the message
// objects before it delivers them. The ids it hands out are far above js-debug's, which
// counts from 1. The environments come from the lambda session's engine events, folded by
// the shared reducer. The lambda session then lists no thread of its own for them.

import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as vscode from 'vscode';
import { Events, Requests, type JsDebugShowsArguments } from '../protocol/debugProtocol';
import type { PhaseStop } from '../adapter/lambdaDebugSession';
import type { PanelEntry } from '../protocol/webviewProtocol';
import type { EngineEvent } from '../protocol/engineEvents';
import {
  emptySession,
  entryLabel,
  environmentLabel,
  reduce,
  threadFrames,
  type EnvironmentModel,
  type SessionModel,
} from '../protocol/environmentModel';
import { lambdaScopes } from '../protocol/lambdaScopes';
import { toVariables } from '../adapter/variables';
import { Commands } from './contributions';
import { lambdaSessionOf, sessionsBelowLambda } from './lambdaSessions';
import type { Log } from './log';

/** What a child JavaScript debug session carries to find its environment (set by the bridge). */
export const ENVIRONMENT_KEY = '__lambdaEnvironmentId';
const JS_DEBUG_TYPE = 'pwa-node';
/** Our frame ids and variable references start here; js-debug's count from 1. */
const FRAME_BASE = 1_500_000_000;
const VARIABLES_BASE = 1_800_000_000;

type Message = DebugProtocol.ProtocolMessage & Partial<DebugProtocol.Request & DebugProtocol.Response>;

export class JsDebugViews implements vscode.Disposable {
  private readonly models = new Map<string, SessionModel>();
  /** js-debug sessions per environment id. */
  private readonly sessions = new Map<string, Set<vscode.DebugSession>>();
  /** Our lifecycle frames: the environment's lifecycle entry each stands for. */
  private readonly frames = new Handles<PanelEntry>(FRAME_BASE);
  private readonly values = new Handles<unknown>(VARIABLES_BASE);
  /** Per environment: the phase stop the runtime is about to make, until js-debug shows it. */
  private readonly phaseStops = new Map<string, PhaseStop>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    /** Our runtime's folder: its frames are never shown, whatever js-debug decided. */
    private readonly runtimeDir: string,
    private readonly log: Log,
  ) {
    this.disposables = [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => this.onCustomEvent(event)),
      vscode.debug.registerDebugAdapterTrackerFactory(JS_DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => this.tracker(session),
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        this.models.delete(session.id);
        for (const set of this.sessions.values()) set.delete(session);
      }),
      vscode.debug.onDidChangeActiveStackItem((item) => this.onFocus(item)),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** The lambda adapter (inline) says a phase stop is coming: js-debug's stop is named after it. */
  expectPhaseStop(stop: PhaseStop): void {
    this.phaseStops.set(stop.environmentId, stop);
  }

  private onCustomEvent(event: vscode.DebugSessionCustomEvent): void {
    if (event.event !== Events.engine) return;
    const engineEvent = event.body as EngineEvent;
    // A phase that ended without the stop (its code never ran) leaves no name for a later one.
    if (
      engineEvent.type === 'phaseEnded' &&
      this.phaseStops.get(engineEvent.environmentId)?.phase === engineEvent.phase
    )
      this.phaseStops.delete(engineEvent.environmentId);
    this.models.set(event.session.id, reduce(this.models.get(event.session.id) ?? emptySession(), engineEvent));
    if ('environmentId' in engineEvent) this.rename(engineEvent.environmentId, event.session.id);
  }

  private environment(lambdaSessionId: string, environmentId: string): EnvironmentModel | undefined {
    return this.models.get(lambdaSessionId)?.environments[environmentId];
  }

  /** js-debug's sessions of an environment take the environment's name. */
  private rename(environmentId: string, lambdaSessionId: string): void {
    const environment = this.environment(lambdaSessionId, environmentId);
    if (!environment) return;
    const name = environmentLabel(environment);
    for (const session of this.sessions.get(environmentId) ?? []) {
      if (session.name !== name) session.name = name;
    }
  }

  /** A lifecycle frame focused: the state panel shows that entry of the environment. */
  private onFocus(item: vscode.DebugThread | vscode.DebugStackFrame | undefined): void {
    const entry = item && 'frameId' in item && item.frameId >= FRAME_BASE ? this.frames.get(item.frameId) : undefined;
    if (entry) void vscode.commands.executeCommand(Commands.showState, entry);
  }

  private tracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    const lambda = lambdaSessionOf(session);
    const environmentId = sessionsBelowLambda(session)
      .map((s) => s.configuration[ENVIRONMENT_KEY] as string | undefined)
      .find((id) => id !== undefined);
    if (!lambda || !environmentId) return undefined;
    const set = this.sessions.get(environmentId) ?? new Set();
    set.add(session);
    this.sessions.set(environmentId, set);
    this.rename(environmentId, lambda.id);
    void lambda
      .customRequest(Requests.jsDebugShows, { environmentId } satisfies JsDebugShowsArguments)
      .then(undefined, () => undefined);
    /** Requests whose responses get something added, by sequence number. */
    const pending = new Map<number, (response: Message) => void>();
    let topFrameId = 0;
    /** Lifecycle frames inserted in the stack of the current stop (js-debug does not count them). */
    const stack = { inserted: 0, at: 0 };
    const environment = () => this.environment(lambda.id, environmentId);

    return {
      onWillReceiveMessage: (message: Message) => {
        if (message.type !== 'request') return;
        const args = message.arguments as Record<string, number | undefined>;
        if (message.command === 'stackTrace') {
          const start = args.startFrame ?? 0;
          // A listing from the top (a new stop, or the view asking again) inserts ours anew.
          if (start === 0) Object.assign(stack, { inserted: 0, at: 0 });
          // Frames past ours: js-debug counts without them.
          if (stack.inserted && start >= stack.at) args.startFrame = start - stack.inserted;
          pending.set(message.seq, (response) =>
            this.addLifecycleFrames(response, start, args.levels, stack, environmentId, environment()),
          );
        } else if (message.command === 'scopes') {
          const lifecycleFrame = (args.frameId ?? 0) >= FRAME_BASE;
          // js-debug answers for its top frame; a lifecycle frame shows the Lambda scopes only.
          if (lifecycleFrame) args.frameId = topFrameId;
          pending.set(message.seq, (response) => this.addScopes(response, lifecycleFrame, environment()));
        } else if (message.command === 'evaluate' && (args as { context?: string }).context === 'hover') {
          const expression = (args as { expression?: string }).expression ?? '';
          pending.set(message.seq, (response) => this.addPreviousValue(response, expression, environment()));
        } else if (message.command === 'variables' && (args.variablesReference ?? 0) >= VARIABLES_BASE) {
          const value = this.values.get(args.variablesReference!);
          pending.set(message.seq, (response) => {
            response.success = true;
            delete response.message;
            response.body = { variables: toVariables(value, this.values) };
          });
        }
      },
      onDidSendMessage: (message: Message) => {
        if (message.type === 'event') {
          const event = (message as DebugProtocol.Event).event;
          if (event === 'stopped' || event === 'continued') Object.assign(stack, { inserted: 0, at: 0 });
          if (event === 'stopped') {
            this.rename(environmentId, lambda.id);
            this.namePhaseStop(message as DebugProtocol.StoppedEvent, environmentId);
          }
          return;
        }
        if (message.type !== 'response' || message.request_seq === undefined) return;
        const add = pending.get(message.request_seq);
        pending.delete(message.request_seq);
        if (message.command === 'stackTrace' && message.success) {
          const first = (message.body as DebugProtocol.StackTraceResponse['body']).stackFrames[0];
          if (first && first.id < FRAME_BASE && (message.body.startFrame ?? 0) === 0) topFrameId = first.id;
        }
        try {
          add?.(message);
        } catch (error) {
          this.log.error('Lambda views in the JavaScript debugger', error);
        }
      },
      onExit: () => set.delete(session),
    };
  }

  /** js-debug names a phase stop as it sees it (a breakpoint, with no id of the user's): named
   * after the phase instead. A stop on the user's breakpoint or an exception keeps its name. */
  private namePhaseStop(stopped: DebugProtocol.StoppedEvent, environmentId: string): void {
    const label = this.phaseStops.get(environmentId)?.label;
    if (label === undefined) return;
    this.phaseStops.delete(environmentId);
    // (js-debug reports its own entry breakpoint as a breakpoint too, with no id of the user's.)
    const { reason, hitBreakpointIds } = stopped.body;
    if (reason === 'exception' || reason === 'function breakpoint' || hitBreakpointIds?.length) return;
    stopped.body.reason = 'breakpoint';
    stopped.body.description = `Paused on ${label}`;
  }

  /** The lifecycle frames go after the user's frames: before the first frame of a skipped
   * file or async boundary, or at the end of the stack. */
  private addLifecycleFrames(
    response: Message,
    start: number,
    levels: number | undefined,
    stack: { inserted: number; at: number },
    environmentId: string,
    environment: EnvironmentModel | undefined,
  ): void {
    if (!response.success) return;
    const body = response.body as DebugProtocol.StackTraceResponse['body'];
    const frames = body.stackFrames;
    for (const frame of frames) {
      if (frame.source?.path?.startsWith(this.runtimeDir)) {
        frame.source.presentationHint = 'deemphasize';
        frame.presentationHint = 'subtle';
      }
    }
    if (!environment) return;
    if (stack.inserted) {
      if (body.totalFrames !== undefined) body.totalFrames += stack.inserted;
      return;
    }
    let at = frames.findIndex(
      (frame, index) =>
        (index > 0 || start > 0) &&
        (frame.presentationHint === 'label' || frame.source?.presentationHint === 'deemphasize'),
    );
    const complete =
      body.totalFrames !== undefined ? start + frames.length >= body.totalFrames : !(levels && frames.length >= levels);
    if (at < 0 && complete) at = frames.length;
    if (at < 0) return;
    const newest = environment.lifecycle.length - 1;
    const labels = threadFrames(environment).map((name, index) => ({
      id: this.frames.create({ environmentId, entry: newest - index }),
      name,
      line: 0,
      column: 0,
      presentationHint: 'label' as const,
    }));
    frames.splice(at, 0, ...labels);
    Object.assign(stack, { inserted: labels.length, at: start + at });
    body.totalFrames = (body.totalFrames ?? start + frames.length - labels.length) + labels.length;
  }

  /** Hovering over a module-scope variable: its value as the environment carried it at the
   * end of the last phase (the previous invocation, or Init) follows the current one. */
  private addPreviousValue(response: Message, expression: string, environment: EnvironmentModel | undefined): void {
    const state = environment?.carried.moduleState;
    if (!response.success || !state) return;
    const node = state.module.find((n) => n.name === expression);
    const ended = [...environment.lifecycle].reverse().find((entry) => entry.durationMs !== null);
    if (!node || !ended) return;
    const body = response.body as DebugProtocol.EvaluateResponse['body'];
    body.result = `${body.result}   (after ${entryLabel(ended)}: ${node.preview})`;
  }

  /** The Lambda scopes go after js-debug's (instead of them for a lifecycle frame). */
  private addScopes(response: Message, lifecycleFrame: boolean, environment: EnvironmentModel | undefined): void {
    if (!environment) return;
    const scopes: DebugProtocol.Scope[] = lambdaScopes(environment).map(({ name, value }) => ({
      name: `Lambda: ${name}`,
      variablesReference: this.values.create(value),
      expensive: false,
    }));
    const body = (response.body ?? { scopes: [] }) as DebugProtocol.ScopesResponse['body'];
    body.scopes = lifecycleFrame || !response.success ? scopes : [...body.scopes, ...scopes];
    response.body = body;
    response.success = true;
    delete response.message;
  }
}
