// One model of a session's execution environments, folded from engine events by one pure
// reducer. The debug adapter (threads and their frames), the Functions view (environments
// under a function) and the state panel (timeline and invocation details) all read it and
// derive their labels with the helpers below, so they agree on what an environment is: its
// number, warm or cold, its invocations, its lifecycle and what it carries (/tmp, module
// state, pending work). Plain data only: no vscode, DAP or DOM, and it survives JSON.

import type {
  EngineEvent,
  InitPhases,
  InitProfileEntry,
  InitializationType,
  OwnWork,
  InvocationResult,
  InvocationTrigger,
  Phase,
  TmpEntry,
} from './engineEvents';
import type { PendingWork, StateNode } from './sandbox';

/** What an environment is doing. */
export type EnvironmentStatus = 'initializing' | 'idle' | 'invoking' | 'shuttingDown' | 'gone';
/** What the next invocation meets: an initialised runtime (warm), or one to initialise (cold). */
export type Warmth = 'warm' | 'cold' | 'gone';
export type EntryStatus = 'success' | 'error' | 'timeout' | 'crash';

/** One entry of an environment's lifecycle: a phase, an invocation, or a reset. */
export interface LifecycleEntry {
  kind: Phase | 'reset';
  /** The invocation's request id (invoke entries). */
  requestId: string | null;
  /** The invocation's number in its environment (invoke entries). */
  invocation: number | null;
  cold: boolean;
  durationMs: number | null;
  status: EntryStatus | null;
  /** Why the runtime was reset (reset entries). */
  reason: string | null;
}

export interface ModuleState {
  module: StateNode[];
  globals: StateNode[];
}

/** What an environment carried at the end of a phase. */
export interface Snapshot {
  tmp: TmpEntry[];
  tmpUsedBytes: number;
  moduleState: ModuleState | null;
  pending: PendingWork[];
}

/** The settings an environment runs with (a configuration change makes new environments). */
export interface EnvironmentSettings {
  memorySizeMB: number;
  timeoutSeconds: number;
  ephemeralStorageMB: number;
}

export interface EnvironmentModel {
  environmentId: string;
  /** "env 1": the engine's number for it, the adapter's thread id. */
  number: number;
  functionName: string;
  initializationType: InitializationType;
  /** Null only when its environmentCreated event was not seen. */
  settings: EnvironmentSettings | null;
  status: EnvironmentStatus;
  /** Its runtime is initialised: the next invocation is warm. */
  initialized: boolean;
  /** Invocations started in it. */
  invocations: number;
  lifecycle: LifecycleEntry[];
  /** The last invocation's event, result (with its REPORT) and request id. */
  lastEvent: unknown;
  lastRequestId: string | null;
  lastResult: InvocationResult | null;
  /** What it carries now (the last snapshot; pending work as the last invocation left it). */
  carried: Snapshot;
  /** What it carried after Init, before its first invocation. */
  initSnapshot: Snapshot | null;
  /** Its last successful Init: the Init Duration in its three parts, our own work apart, and
   * the profile of what Function init loaded (when recorded). */
  init: InitModel | null;
  goneReason: string | null;
}

export interface InitModel {
  durationMs: number;
  phases: InitPhases;
  ownWork: OwnWork | null;
  profile: InitProfileEntry[] | null;
}

export interface InvocationModel {
  requestId: string;
  environmentId: string;
  /** Its number in its environment (Invoke #n). */
  number: number;
  cold: boolean;
  event: unknown;
  /** What called the function (HTTP route, Invoke API, toolbar); null when not said. */
  trigger: InvocationTrigger | null;
  result: InvocationResult | null;
  /** What the environment carried when it ended. */
  snapshot: Snapshot | null;
  /** The previous invocation in the same environment. */
  previous: string | null;
  /** Work it left pending that ran later: pending work id → the request id it ran in. */
  ranIn: Record<number, string>;
}

export interface SessionModel {
  environments: Record<string, EnvironmentModel>;
  /** Environment ids, in the order they appeared. */
  environmentOrder: string[];
  invocations: Record<string, InvocationModel>;
  /** Request ids, in the order they started. */
  invocationOrder: string[];
}

export const emptySession = (): SessionModel => ({
  environments: {},
  environmentOrder: [],
  invocations: {},
  invocationOrder: [],
});

const emptySnapshot = (): Snapshot => ({ tmp: [], tmpUsedBytes: 0, moduleState: null, pending: [] });

// ----- The reducer ------------------------------------------------------------------------

/** The session after `event`. Pure: `state` is not changed; unchanged parts are shared. */
export function reduce(state: SessionModel, event: EngineEvent): SessionModel {
  switch (event.type) {
    case 'provisioning':
      // About the machine, not an environment.
      return state;
    case 'environmentCreated': {
      const known = state.environments[event.environmentId];
      const created: EnvironmentModel = {
        ...(known ?? newEnvironment(state, event.environmentId)),
        number: event.environmentNumber,
        functionName: event.functionName,
        initializationType: event.initializationType,
        settings: {
          memorySizeMB: event.memorySizeMB,
          timeoutSeconds: event.timeoutSeconds,
          ephemeralStorageMB: event.ephemeralStorageMB,
        },
      };
      return putEnvironment(state, created);
    }
    case 'phaseStarted':
      return updateEnvironment(state, event.environmentId, (e) => {
        if (event.phase === 'invoke') return { ...e, status: 'invoking' };
        if (event.phase === 'init') {
          // Init retried inside an invocation (after a failed Init) is part of that invocation.
          return {
            ...e,
            status: e.status === 'invoking' ? 'invoking' : 'initializing',
            lifecycle: [...e.lifecycle, entry('init', { cold: true })],
          };
        }
        return { ...e, status: 'shuttingDown', lifecycle: [...e.lifecycle, entry('shutdown')] };
      });
    case 'phaseEnded':
      return updateEnvironment(state, event.environmentId, (e) => {
        const index = lastIndex(
          e.lifecycle,
          (l) =>
            l.kind === event.phase &&
            l.durationMs === null &&
            (event.phase !== 'invoke' || l.requestId === event.requestId),
        );
        const lifecycle =
          index < 0
            ? e.lifecycle
            : replaceAt(e.lifecycle, index, {
                ...e.lifecycle[index],
                durationMs: event.durationMs,
                status: event.status,
              });
        if (event.phase === 'init') {
          const initialized = event.status === 'success';
          const init: InitModel | null = event.initPhases
            ? {
                durationMs: event.durationMs,
                phases: event.initPhases,
                ownWork: event.ownWork ?? null,
                profile: event.initProfile ?? null,
              }
            : e.init;
          return { ...e, lifecycle, initialized, init, status: e.status === 'initializing' ? 'idle' : e.status };
        }
        if (event.phase === 'invoke') return { ...e, lifecycle, status: e.status === 'gone' ? 'gone' : 'idle' };
        return { ...e, lifecycle };
      });
    case 'invocationStarted': {
      const environment = state.environments[event.environmentId] ?? newEnvironment(state, event.environmentId);
      const number = environment.invocations + 1;
      const invocation: InvocationModel = {
        requestId: event.requestId,
        environmentId: event.environmentId,
        number,
        cold: event.cold,
        event: event.event,
        trigger: event.trigger ?? null,
        result: null,
        snapshot: null,
        previous: environment.lastRequestId,
        ranIn: {},
      };
      const next = putEnvironment(state, {
        ...environment,
        status: 'invoking',
        invocations: number,
        lastEvent: event.event,
        lastRequestId: event.requestId,
        lifecycle: [
          ...environment.lifecycle,
          entry('invoke', { requestId: event.requestId, invocation: number, cold: event.cold }),
        ],
      });
      return {
        ...next,
        invocations: { ...next.invocations, [event.requestId]: invocation },
        invocationOrder: [...next.invocationOrder, event.requestId],
      };
    }
    case 'invocationEnded': {
      const { result } = event;
      const next = updateEnvironment(state, event.environmentId, (e) => {
        const index = lastIndex(e.lifecycle, (l) => l.kind === 'invoke' && l.requestId === result.requestId);
        return {
          ...e,
          lastResult: result,
          carried: { ...e.carried, pending: result.pending },
          lifecycle:
            index < 0
              ? e.lifecycle
              : replaceAt(e.lifecycle, index, {
                  ...e.lifecycle[index],
                  durationMs: result.report.durationMs,
                  status: result.status,
                }),
        };
      });
      const invocation = next.invocations[result.requestId];
      return invocation ? putInvocation(next, { ...invocation, result }) : next;
    }
    case 'stateSnapshot': {
      const snapshot: Snapshot = {
        tmp: event.tmp,
        tmpUsedBytes: event.tmpUsedBytes,
        moduleState: event.moduleState,
        pending: event.pending,
      };
      let next = updateEnvironment(state, event.environmentId, (e) => ({
        ...e,
        carried: snapshot,
        initSnapshot: event.requestId === null ? snapshot : e.initSnapshot,
      }));
      const invocation = event.requestId === null ? undefined : next.invocations[event.requestId];
      if (invocation) next = putInvocation(next, { ...invocation, snapshot });
      // Work left pending by earlier invocations that ran during this one.
      for (const workId of event.resumed ?? []) {
        const left = next.invocationOrder
          .map((id) => next.invocations[id])
          .find(
            (i) =>
              i.environmentId === event.environmentId &&
              i.ranIn[workId] === undefined &&
              (i.result?.pending ?? []).some((w) => w.id === workId),
          );
        if (left && event.requestId !== null)
          next = putInvocation(next, { ...left, ranIn: { ...left.ranIn, [workId]: event.requestId } });
      }
      return next;
    }
    case 'environmentReset':
      return updateEnvironment(state, event.environmentId, (e) => ({
        ...e,
        initialized: false,
        lifecycle: [...e.lifecycle, entry('reset', { reason: event.reason })],
      }));
    case 'environmentGone':
      return updateEnvironment(state, event.environmentId, (e) => ({
        ...e,
        status: 'gone',
        initialized: false,
        goneReason: event.reason,
      }));
    case 'log':
    case 'inspectorOpened':
      return state;
  }
}

/** Folds a whole event stream. */
export function reduceAll(events: Iterable<EngineEvent>, state: SessionModel = emptySession()): SessionModel {
  for (const event of events) state = reduce(state, event);
  return state;
}

/** A history kept to fold again later (the panel's webview state), at most `max` events: the
 * oldest go first, but every environmentCreated stays (the numbers and settings of environments). */
export function trimHistory(events: EngineEvent[], max: number): EngineEvent[] {
  let excess = events.length - max;
  if (excess <= 0) return events;
  return events.filter((event) => event.type === 'environmentCreated' || excess-- <= 0);
}

function newEnvironment(state: SessionModel, environmentId: string): EnvironmentModel {
  // Only when its environmentCreated was not seen (e.g. dropped from a long history).
  const numbers = Object.values(state.environments).map((e) => e.number);
  return {
    environmentId,
    number: Math.max(0, ...numbers) + 1,
    functionName: '',
    initializationType: 'on-demand',
    settings: null,
    status: 'initializing',
    initialized: false,
    invocations: 0,
    lifecycle: [],
    lastEvent: null,
    lastRequestId: null,
    lastResult: null,
    carried: emptySnapshot(),
    initSnapshot: null,
    init: null,
    goneReason: null,
  };
}

function entry(kind: LifecycleEntry['kind'], fields: Partial<LifecycleEntry> = {}): LifecycleEntry {
  return {
    kind,
    requestId: null,
    invocation: null,
    cold: false,
    durationMs: null,
    status: null,
    reason: null,
    ...fields,
  };
}

function putEnvironment(state: SessionModel, environment: EnvironmentModel): SessionModel {
  const known = environment.environmentId in state.environments;
  return {
    ...state,
    environments: { ...state.environments, [environment.environmentId]: environment },
    environmentOrder: known ? state.environmentOrder : [...state.environmentOrder, environment.environmentId],
  };
}

function updateEnvironment(
  state: SessionModel,
  environmentId: string,
  update: (environment: EnvironmentModel) => EnvironmentModel,
): SessionModel {
  return putEnvironment(state, update(state.environments[environmentId] ?? newEnvironment(state, environmentId)));
}

function putInvocation(state: SessionModel, invocation: InvocationModel): SessionModel {
  return { ...state, invocations: { ...state.invocations, [invocation.requestId]: invocation } };
}

function lastIndex<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}

function replaceAt<T>(items: T[], index: number, item: T): T[] {
  const copy = items.slice();
  copy[index] = item;
  return copy;
}

// ----- What the views derive ----------------------------------------------------------------

/** The environments in the order they appeared; `alive` leaves out the gone ones. */
export function environmentsOf(state: SessionModel, options: { alive?: boolean } = {}): EnvironmentModel[] {
  const all = state.environmentOrder.map((id) => state.environments[id]);
  return options.alive ? all.filter((e) => e.status !== 'gone') : all;
}

export function warmth(environment: EnvironmentModel): Warmth {
  return environment.status === 'gone' ? 'gone' : environment.initialized ? 'warm' : 'cold';
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "warm · 3 invocations" */
export function environmentSummary(environment: EnvironmentModel): string {
  return `${warmth(environment)} · ${plural(environment.invocations, 'invocation')}`;
}

/** "env 1 · warm · 3 invocations": the adapter's thread name, the panel's environment heading. */
export function environmentLabel(environment: EnvironmentModel): string {
  return `env ${environment.number} · ${environmentSummary(environment)}`;
}

/** The Functions view's item for an environment: "env 1", "warm · 3 invocations · 45 of 128 MB". */
export function environmentTreeItem(environment: EnvironmentModel): { label: string; description: string } {
  const report = environment.lastResult?.report;
  const memory = report ? ` · ${report.maxMemoryUsedMB} of ${report.memorySizeMB} MB` : '';
  return { label: `env ${environment.number}`, description: `${environmentSummary(environment)}${memory}` };
}

/** "Init (cold)", "Invoke #2 (warm)", "Shutdown", "Reset (timeout)" */
export function entryLabel(entry: LifecycleEntry): string {
  switch (entry.kind) {
    case 'init':
      return 'Init (cold)';
    case 'invoke':
      return `Invoke #${entry.invocation} (${entry.cold ? 'cold' : 'warm'})`;
    case 'shutdown':
      return 'Shutdown';
    case 'reset':
      return `Reset (${entry.reason})`;
  }
}

/** An entry as the adapter's frame names it: Init with its duration once known. */
export function frameLabel(entry: LifecycleEntry): string {
  return entry.kind === 'init' && entry.durationMs !== null
    ? `Init (cold, ${Math.round(entry.durationMs)} ms)`
    : entryLabel(entry);
}

/** The frames of an environment's thread, the latest first. */
export function threadFrames(environment: EnvironmentModel): string[] {
  return environment.lifecycle.map(frameLabel).reverse();
}

/** "12 ms", "3.25 ms" (empty while unknown). */
export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : `${ms < 10 ? ms.toFixed(2) : Math.round(ms)} ms`;
}

/** The panel's timeline line: "Init (cold) · 142 ms", "Invoke #3 (warm) · 2.10 ms · timeout". */
export function timelineText(entry: LifecycleEntry): string {
  return [entryLabel(entry), formatMs(entry.durationMs), entry.status && entry.status !== 'success' ? entry.status : '']
    .filter(Boolean)
    .join(' · ');
}

/** The panel's invocation heading: "Invoke #1 (cold) in env 1 · success". */
export function invocationTitle(state: SessionModel, invocation: InvocationModel): string {
  const environment = state.environments[invocation.environmentId];
  return `Invoke #${invocation.number} (${invocation.cold ? 'cold' : 'warm'}) in env ${environment?.number ?? '?'} · ${invocation.result ? invocation.result.status : 'running'}`;
}

/** What called an invocation, as the panel says it: "GET /users/7 (HTTP API GET /users/{id})",
 * "Invoke API (Event, try 2)", "Toolbar". */
export function triggerLabel(trigger: InvocationTrigger | null): string {
  if (!trigger) return 'Toolbar';
  switch (trigger.kind) {
    case 'http': {
      const front = { rest: 'REST API', http: 'HTTP API', url: 'function URL' }[trigger.front];
      const authorizer = trigger.authorizer ? `, authorizer ${trigger.authorizer}` : '';
      return `${trigger.method} ${trigger.path} (${front} ${trigger.routeKey}${authorizer})`;
    }
    case 'invokeApi':
      return trigger.invocationType === 'Event'
        ? `Invoke API (Event, try ${trigger.attempt})`
        : `Invoke API (${trigger.invocationType === 'Stream' ? 'InvokeWithResponseStream' : 'RequestResponse'})`;
    case 'toolbar':
      return 'Toolbar';
    case 'cli':
      return 'CLI';
  }
}

/** What the environment carried before `invocation`: the previous invocation's, else Init's. */
export function snapshotBefore(state: SessionModel, invocation: InvocationModel): Snapshot | null {
  const before = invocation.previous ? state.invocations[invocation.previous] : undefined;
  if (before?.snapshot) return before.snapshot;
  return state.environments[invocation.environmentId]?.initSnapshot ?? null;
}
