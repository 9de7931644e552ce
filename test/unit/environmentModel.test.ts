// Unit tests of the one model of environments (src/protocol/environmentModel.ts): an event
// stream shaped as the engine emits it (a timeout, a crash, the resets they cause, a
// configuration change retiring the environments, a shutdown) folded by the shared reducer,
// and what the adapter (threads, frames), the Functions view (items) and the state panel
// (headings, timeline, invocation details) derive from it at each step.

import { strict as assert } from 'node:assert';
import type { EngineEvent, InvocationStatus, ShutdownReason } from '../../src/protocol/engineEvents';
import {
  emptySession,
  environmentLabel,
  environmentsOf,
  environmentTreeItem,
  invocationTitle,
  reduce,
  reduceAll,
  snapshotBefore,
  threadFrames,
  timelineText,
  trimHistory,
  type SessionModel,
} from '../../src/protocol/environmentModel';

/** What each view shows of the session, derived as each view derives it. */
function views(state: SessionModel) {
  return {
    // The adapter: a thread per live environment, named, with its lifecycle as frames.
    threads: environmentsOf(state, { alive: true }).map((e) => ({
      name: environmentLabel(e),
      frames: threadFrames(e),
    })),
    // The Functions view: the live environments under their function.
    tree: environmentsOf(state, { alive: true }).map((e) => ({ fn: e.functionName, ...environmentTreeItem(e) })),
    // The state panel: every environment (gone ones greyed), its heading and timeline.
    panel: environmentsOf(state).map((e) => ({
      heading: environmentLabel(e),
      timeline: e.lifecycle.map(timelineText),
    })),
  };
}

/** Builds an event stream in the order the engine emits it (see src/engine/environment.ts). */
class Recording {
  readonly events: EngineEvent[] = [];
  private requests = 0;

  created(number: number, settings = { memorySizeMB: 128, timeoutSeconds: 3, ephemeralStorageMB: 512 }): string {
    const environmentId = `env-${number}`;
    this.events.push({
      type: 'environmentCreated',
      environmentId,
      environmentNumber: number,
      functionName: 'OrdersFunction',
      initializationType: 'on-demand',
      logStreamName: `2026/11/25/[$LATEST]${number}`,
      ...settings,
    });
    return environmentId;
  }

  init(environmentId: string, status: 'success' | 'error' = 'success'): void {
    this.events.push(
      { type: 'phaseStarted', environmentId, phase: 'init', requestId: null, cold: true },
      {
        type: 'phaseEnded',
        environmentId,
        phase: 'init',
        requestId: null,
        durationMs: 142.4,
        status,
        errorType: status === 'success' ? null : 'Runtime.ImportModuleError',
      },
    );
    if (status === 'success') this.snapshot(environmentId, null, { tmp: 0, count: 0 });
  }

  /** An invocation; a timeout or crash resets the runtime before the invocation's end is reported. */
  invoke(
    environmentId: string,
    cold: boolean,
    status: InvocationStatus = 'success',
    options: { pending?: number[]; resumed?: number[]; count?: number } = {},
  ): string {
    const requestId = `request-${++this.requests}`;
    const durationMs = status === 'timeout' ? 3000 : 12.6;
    this.events.push(
      { type: 'log', environmentId, requestId, stream: 'platform', line: `START RequestId: ${requestId}` },
      { type: 'phaseStarted', environmentId, phase: 'invoke', requestId, cold },
      { type: 'invocationStarted', environmentId, requestId, cold, event: { orderId: requestId } },
    );
    if (status === 'timeout' || status === 'crash')
      this.events.push({
        type: 'environmentReset',
        environmentId,
        reason: status === 'timeout' ? 'timeout' : 'failure',
      });
    const pending = (options.pending ?? []).map((id) => ({
      id,
      resourceType: 'Timeout',
      description: 'setTimeout 100 ms',
      site: { file: '/var/task/app.js', line: 10, column: 3 },
      createdInRequestId: requestId,
    }));
    this.events.push(
      {
        type: 'phaseEnded',
        environmentId,
        phase: 'invoke',
        requestId,
        durationMs,
        status,
        errorType: status === 'success' ? null : 'Sandbox.Timedout',
      },
      {
        type: 'invocationEnded',
        environmentId,
        result: {
          requestId,
          environmentId,
          cold,
          status,
          result: status === 'success' ? { ok: true } : null,
          responseBody: null,
          error: status === 'success' ? null : { errorType: 'Sandbox.Timedout', errorMessage: 'timed out', trace: [] },
          report: {
            requestId,
            durationMs,
            billedDurationMs: Math.ceil(durationMs),
            memorySizeMB: 128,
            maxMemoryUsedMB: 64,
            initDurationMs: cold ? 142.4 : null,
            status,
            errorType: status === 'success' ? null : 'Sandbox.Timedout',
          },
          logs: '',
          pending: pending as never,
          nodeVersion: 'v22.0.0',
        },
      },
    );
    this.snapshot(environmentId, requestId, { tmp: 11, count: options.count ?? 1 }, pending, options.resumed);
    return requestId;
  }

  snapshot(
    environmentId: string,
    requestId: string | null,
    carried: { tmp: number; count: number },
    pending: unknown[] = [],
    resumed: number[] = [],
  ): void {
    this.events.push({
      type: 'stateSnapshot',
      environmentId,
      requestId,
      pending: pending as never,
      resumed,
      tmp: carried.tmp ? [{ path: '/tmp/cache.json', type: 'file', sizeBytes: carried.tmp, modifiedMs: 1 }] : [],
      tmpUsedBytes: carried.tmp,
      moduleState: { module: [{ name: 'count', type: 'number', preview: String(carried.count) }], globals: [] },
    });
  }

  gone(environmentId: string, reason: ShutdownReason | 'closed'): void {
    this.events.push(
      { type: 'phaseStarted', environmentId, phase: 'shutdown', requestId: null, cold: false },
      {
        type: 'phaseEnded',
        environmentId,
        phase: 'shutdown',
        requestId: null,
        durationMs: 4,
        status: 'success',
        errorType: null,
      },
      { type: 'environmentGone', environmentId, reason },
    );
  }

  /** Folds everything recorded so far, checking that no state is changed in place. */
  fold(): SessionModel {
    let state = deepFreeze(emptySession());
    for (const event of this.events) state = deepFreeze(reduce(state, deepFreeze(event)));
    return state;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('the environment model (one fold of engine events for every view)', () => {
  it('agrees across views through a timeout, a crash, their resets, a configuration change and a shutdown', () => {
    const r = new Recording();
    const env1 = r.created(1);
    r.init(env1);
    const first = r.invoke(env1, true, 'success', { pending: [1] });
    let v = views(r.fold());
    assert.deepEqual(v.threads, [
      { name: 'env 1 · warm · 1 invocation', frames: ['Invoke #1 (cold)', 'Init (cold, 142 ms)'] },
    ]);
    assert.deepEqual(v.tree, [
      { fn: 'OrdersFunction', label: 'env 1', description: 'warm · 1 invocation · 64 of 128 MB' },
    ]);
    assert.deepEqual(v.panel, [
      { heading: 'env 1 · warm · 1 invocation', timeline: ['Init (cold) · 142 ms', 'Invoke #1 (cold) · 13 ms'] },
    ]);

    // A timeout: the runtime is reset, so the environment is cold (the Functions view used to say warm).
    const timedOut = r.invoke(env1, false, 'timeout', { resumed: [1] });
    v = views(r.fold());
    assert.equal(v.threads[0].name, 'env 1 · cold · 2 invocations');
    assert.equal(v.tree[0].description, 'cold · 2 invocations · 64 of 128 MB');
    assert.equal(v.panel[0].heading, 'env 1 · cold · 2 invocations');
    assert.deepEqual(v.threads[0].frames.slice(0, 2), ['Reset (timeout)', 'Invoke #2 (warm)']);
    assert.deepEqual(v.panel[0].timeline.slice(2), ['Invoke #2 (warm) · 3000 ms · timeout', 'Reset (timeout)']);

    // The next invocation re-initialises; it crashes, and the runtime is reset again.
    r.init(env1);
    r.invoke(env1, true, 'crash');
    v = views(r.fold());
    assert.equal(v.threads[0].name, 'env 1 · cold · 3 invocations');
    assert.equal(v.tree[0].description, 'cold · 3 invocations · 64 of 128 MB');
    assert.deepEqual(v.panel[0].timeline.slice(4), [
      'Init (cold) · 142 ms',
      'Invoke #3 (cold) · 13 ms · crash',
      'Reset (failure)',
    ]);

    // A failed Init resets too, and is retried inside the invocation that follows.
    r.init(env1, 'error');
    r.events.push({ type: 'environmentReset', environmentId: env1, reason: 'failure' });
    r.init(env1);
    r.invoke(env1, true, 'success', { count: 1 });
    // A second environment for a concurrent invocation.
    const env2 = r.created(2);
    r.init(env2);
    r.invoke(env2, true);
    v = views(r.fold());
    assert.deepEqual(
      v.threads.map((t) => t.name),
      ['env 1 · warm · 4 invocations', 'env 2 · warm · 1 invocation'],
    );
    assert.deepEqual(
      v.tree.map((t) => `${t.label} ${t.description}`),
      ['env 1 warm · 4 invocations · 64 of 128 MB', 'env 2 warm · 1 invocation · 64 of 128 MB'],
    );
    assert.deepEqual(
      v.panel.map((p) => p.heading),
      v.threads.map((t) => t.name),
    );

    // A configuration change retires both; the next invocation is cold in a new environment with the new settings.
    r.gone(env1, 'spindown');
    r.gone(env2, 'spindown');
    const env3 = r.created(3, { memorySizeMB: 512, timeoutSeconds: 10, ephemeralStorageMB: 1024 });
    r.init(env3);
    r.invoke(env3, true);
    let state = r.fold();
    v = views(state);
    assert.deepEqual(
      v.threads.map((t) => t.name),
      ['env 3 · warm · 1 invocation'],
    );
    assert.deepEqual(
      v.tree.map((t) => t.label),
      ['env 3'],
    );
    assert.deepEqual(
      v.panel.map((p) => p.heading),
      ['env 1 · gone · 4 invocations', 'env 2 · gone · 1 invocation', 'env 3 · warm · 1 invocation'],
    );
    assert.equal(v.panel[0].timeline.at(-1), 'Shutdown · 4.00 ms');
    assert.deepEqual(state.environments[env3].settings, {
      memorySizeMB: 512,
      timeoutSeconds: 10,
      ephemeralStorageMB: 1024,
    });

    // The session shuts down: nothing is left running; the panel keeps the story.
    r.gone(env3, 'closed');
    state = r.fold();
    v = views(state);
    assert.deepEqual(v.threads, []);
    assert.deepEqual(v.tree, []);
    assert.deepEqual(
      v.panel.map((p) => p.heading),
      ['env 1 · gone · 4 invocations', 'env 2 · gone · 1 invocation', 'env 3 · gone · 1 invocation'],
    );
    assert.equal(state.environments[env3].goneReason, 'closed');

    // Invocation details the panel shows: titles, what changed since before, pending work that ran later.
    assert.equal(invocationTitle(state, state.invocations[timedOut]), 'Invoke #2 (warm) in env 1 · timeout');
    assert.deepEqual(state.invocations[first].ranIn, { 1: timedOut });
    assert.equal(snapshotBefore(state, state.invocations[first]), state.environments[env1].initSnapshot);
    assert.equal(snapshotBefore(state, state.invocations[timedOut]), state.invocations[first].snapshot);

    // The panel refolds the events it kept (after a reload, from JSON): the same model.
    assert.deepEqual(
      reduceAll(JSON.parse(JSON.stringify(r.events)) as EngineEvent[]),
      JSON.parse(JSON.stringify(state)),
    );
  });

  it('numbers environments as the engine does, and shows an environment whose creation it did not see', () => {
    const r = new Recording();
    // Environments 1 and 2 were made ahead and discarded: the first one announced is env 3.
    const env3 = r.created(3);
    r.init(env3);
    r.invoke(env3, true);
    // A history trimmed of env-4's creation still shows it, numbered after the others.
    r.invoke('env-4', true);
    const state = r.fold();
    assert.deepEqual(environmentsOf(state).map(environmentLabel), [
      'env 3 · warm · 1 invocation',
      'env 4 · cold · 1 invocation',
    ]);
    assert.equal(state.environments['env-4'].settings, null);
  });

  it('leaves the state it is given unchanged and shares what an event does not touch', () => {
    const r = new Recording();
    const env1 = r.created(1);
    r.init(env1);
    const before = r.fold();
    const after = reduce(before, { type: 'log', environmentId: env1, requestId: null, stream: 'stdout', line: 'x' });
    assert.equal(after, before);
    const env2 = r.created(2);
    const next = reduce(before, r.events.at(-1)!);
    assert.equal(next.environments[env1], before.environments[env1]);
    assert.equal(next.environments[env2].number, 2);
    assert.equal(before.environments[env2], undefined);
  });

  it('keeps a bounded history that still numbers every environment when folded again', () => {
    const r = new Recording();
    const env1 = r.created(1);
    r.init(env1);
    for (let i = 0; i < 5; i++) r.invoke(env1, i === 0);
    const env2 = r.created(2);
    r.init(env2);
    r.invoke(env2, true);
    const kept = trimHistory(r.events, 20);
    assert.equal(kept.length, 20);
    assert.deepEqual(
      kept.filter((e) => e.type === 'environmentCreated').map((e) => e.environmentId),
      [env1, env2],
    );
    assert.deepEqual(kept.slice(-10), r.events.slice(-10));
    assert.deepEqual(
      environmentsOf(reduceAll(kept)).map((e) => e.number),
      [1, 2],
    );
    assert.equal(trimHistory(r.events, 1000), r.events);
  });
});
