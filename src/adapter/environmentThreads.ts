// The adapter's view of each execution environment, shown as a thread: what its frames
// (the lifecycle), its scopes (event, context, module state, /tmp, pending work, last
// REPORT) and the snapshot request read. Mirrors the shared model of the engine's events
// (protocol/environmentModel.ts); lambdaDebugSession.ts owns the views and the DAP traffic.

import { Handles, Scope } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { InvocationResult, Phase, TmpEntry } from '../protocol/engineEvents';
import { frameLabel, type EnvironmentModel, type EnvironmentStatus } from '../protocol/environmentModel';
import type { PendingWork, StateNode } from '../protocol/sandbox';
import type { SnapshotResponseBody } from '../protocol/debugProtocol';

/** The Shutdown stop held here when no SIGTERM listener of the user's runs: what Lambda does. */
export const SHUTDOWN_NOTES = {
  notSent:
    'Shutdown: no SIGTERM listener runs (with no extension registered, Lambda sends the runtime no SIGTERM and stops its process)',
  noListener:
    'Shutdown: no SIGTERM listener is registered (Lambda sends SIGTERM, and with no listener Node ends the runtime at once; extensions get SHUTDOWN and whatever still runs at the deadline is killed)',
  listener: null,
} as const;

/** One lifecycle entry of an environment, shown as a frame. */
export interface LifecycleEntry {
  label: string;
  requestId: string | null;
}

/** An environment as its thread shows it (the adapter's own state beside the shared model's). */
export interface EnvironmentView {
  environmentId: string;
  threadId: number;
  invocations: number;
  initialized: boolean;
  state: EnvironmentStatus;
  lifecycle: LifecycleEntry[];
  lastEvent: unknown;
  lastContext: Record<string, unknown> | null;
  lastReport: InvocationResult['report'] | null;
  lastResult: InvocationResult | null;
  tmp: { entries: TmpEntry[]; usedBytes: number };
  pending: PendingWork[];
  moduleState: { module: StateNode[]; globals: StateNode[] } | null;
  /** A phase held by the adapter: resolves when the user continues. */
  held: { phase: Phase; release: () => void; frame?: string } | null;
  attached: boolean;
  /** VS Code shows the environment through its JavaScript debug session (thread named as
   * here, with the lifecycle frames under the user's): no thread of ours then, but while
   * the adapter itself holds a phase. */
  shownByJsDebug: boolean;
  /** Stopped in the JavaScript debugger attached to the environment. */
  pausedInDebugger: boolean;
}

/** A new environment's view, before its first event is folded in. */
export function newEnvironmentView(environmentId: string, threadId: number): EnvironmentView {
  return {
    environmentId,
    threadId,
    invocations: 0,
    initialized: false,
    state: 'initializing',
    lifecycle: [],
    lastEvent: null,
    lastContext: null,
    lastReport: null,
    lastResult: null,
    tmp: { entries: [], usedBytes: 0 },
    pending: [],
    moduleState: null,
    held: null,
    attached: false,
    shownByJsDebug: false,
    pausedInDebugger: false,
  };
}

/** A thread shows its environment as the shared model has it. */
export function mirrorModel(environment: EnvironmentView, model: EnvironmentModel): void {
  environment.invocations = model.invocations;
  environment.initialized = model.initialized;
  environment.state = model.status;
  environment.lifecycle = model.lifecycle.map((entry) => ({ label: frameLabel(entry), requestId: entry.requestId }));
  environment.lastEvent = model.lastEvent;
  environment.lastResult = model.lastResult;
  environment.lastReport = model.lastResult?.report ?? null;
  environment.tmp = { entries: model.carried.tmp, usedBytes: model.carried.tmpUsedBytes };
  environment.pending = model.carried.pending;
  environment.moduleState = model.carried.moduleState;
}

/** The Lambda scopes of an environment's frames. */
export function lifecycleScopes(
  environment: EnvironmentView,
  variableHandles: Handles<unknown>,
): DebugProtocol.Scope[] {
  const scopes: DebugProtocol.Scope[] = [];
  const scope = (name: string, value: unknown, expensive = false) =>
    scopes.push(new Scope(name, variableHandles.create(value ?? {}), expensive));
  scope('Event', environment.lastEvent);
  scope('Context', environment.lastContext);
  if (environment.moduleState) {
    scopes.push(
      new Scope(
        'Module state',
        variableHandles.create({
          stateNodes: [...environment.moduleState.module, ...environment.moduleState.globals],
        }),
        false,
      ),
    );
  }
  scope(
    '/tmp',
    Object.fromEntries(
      environment.tmp.entries.map((e) => [e.path, e.type === 'file' ? `${e.sizeBytes} bytes` : e.type]),
    ),
  );
  scope(
    'Pending work',
    Object.fromEntries(
      environment.pending.map((p) => [
        `#${p.id} ${p.description}`,
        p.site ? `${p.site.file}:${p.site.line}:${p.site.column}` : p.resourceType,
      ]),
    ),
  );
  scope('Last REPORT', environment.lastReport);
  return scopes;
}

/** The snapshot request's answer: the environments and every invocation of the session. */
export function snapshotOf(
  functionName: string,
  environments: EnvironmentView[],
  invocations: InvocationResult[],
): SnapshotResponseBody {
  return {
    functionName,
    environments: environments.map((e) => ({
      environmentId: e.environmentId,
      threadId: e.threadId,
      state: e.state,
      warm: e.initialized,
      invocations: e.invocations,
      maxMemoryUsedMB: e.lastReport?.maxMemoryUsedMB ?? null,
    })),
    invocations: invocations.map((r) => ({
      requestId: r.requestId,
      environmentId: r.environmentId,
      cold: r.cold,
      status: r.status,
      result: r.result,
      error: r.error,
      report: r.report,
      pending: r.pending,
    })),
    tmp: Object.fromEntries(environments.map((e) => [e.environmentId, e.tmp])),
  };
}
