// Records the work user code leaves pending when a phase ends — timers, intervals,
// immediates, sockets, servers, file system and DNS requests, child processes — with
// where it was created, using async_hooks. On Lambda that work is frozen and resumes in
// a later invocation; the engine reports it at the end of each invocation and notes
// when it runs again. Work our own runtime creates is left out.

import { createHook } from 'node:async_hooks';
import { withRealPaths } from './lambdaPaths';
import type { CreationSite, PendingWork, PendingWorkKind } from '../../protocol/sandbox';

const KINDS: Record<string, PendingWorkKind> = {
  Timeout: 'timer',
  Immediate: 'immediate',
  TCPWRAP: 'socket',
  TLSWRAP: 'socket',
  PIPEWRAP: 'socket',
  UDPWRAP: 'socket',
  HTTPCLIENTREQUEST: 'socket',
  TCPCONNECTWRAP: 'socket',
  TCPSERVERWRAP: 'server',
  PIPESERVERWRAP: 'server',
  FSREQCALLBACK: 'fs',
  FSREQPROMISE: 'fs',
  FSEVENTWRAP: 'fs',
  STATWATCHER: 'fs',
  GETADDRINFOREQWRAP: 'dns',
  GETNAMEINFOREQWRAP: 'dns',
  QUERYWRAP: 'dns',
  PROCESSWRAP: 'child-process',
  WORKER: 'other',
  ZLIB: 'other',
};

interface Tracked {
  id: number;
  type: string;
  resource: unknown;
  requestId: string | null;
  /** Holds the creation stack; formatted only if the work is still pending at a phase end. */
  holder: { stack?: string };
  site?: CreationSite | null;
  stack?: string[];
}

/** Above zero while our runtime itself creates work (its Runtime API requests). */
let runtimeWorkDepth = 0;

/** Runs `create` without recording what it starts: it is the runtime's, not the user's.
 * Saves capturing a stack trace for each Runtime API request. */
export function asRuntimeWork<T>(create: () => T): T {
  runtimeWorkDepth++;
  try {
    return create();
  } finally {
    runtimeWorkDepth--;
  }
}

/** The runtime's own Runtime API requests: Node starts their HTTP parsers later, outside
 * `asRuntimeWork`, and those are no more the user's work than the requests are. */
const runtimeRequests = new WeakSet<object>();

/** Like `asRuntimeWork`, for an HTTP request the runtime makes (see `runtimeRequests`). */
export function asRuntimeRequest<T extends object>(create: () => T): T {
  const request = asRuntimeWork(create);
  runtimeRequests.add(request);
  return request;
}

const FRAME = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

export class PendingWorkTracker {
  private readonly live = new Map<number, Tracked>();
  /** Work reported pending at the last phase end and not run since, by async id. */
  private readonly reported = new Set<number>();
  private resumedNow = new Set<number>();
  private requestId: string | null = null;
  private nextId = 1;

  constructor(private readonly runtimeFile: string) {
    const init = (asyncId: number, type: string, _triggerAsyncId: number, resource: object) => {
      if (runtimeWorkDepth > 0 || !(type in KINDS)) return;
      // The parser of a Runtime API request: not recorded, so no stack is captured for it
      // on every invocation.
      if (type === 'HTTPCLIENTREQUEST' && runtimeRequests.has((resource as { req?: object }).req ?? resource)) return;
      const holder: { stack?: string } = withRealPaths({});
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      Error.captureStackTrace(holder, init);
      Error.stackTraceLimit = limit;
      this.live.set(asyncId, {
        id: this.nextId++,
        type,
        resource,
        requestId: this.requestId,
        holder,
        site: undefined,
      });
    };
    const hook = createHook({
      init,
      before: (asyncId) => {
        // Reported pending at a phase end and running now: it was frozen and resumed.
        if (this.reported.delete(asyncId)) {
          const tracked = this.live.get(asyncId);
          if (tracked) this.resumedNow.add(tracked.id);
        }
      },
      destroy: (asyncId) => {
        this.live.delete(asyncId);
        this.reported.delete(asyncId);
      },
    });
    hook.enable();
  }

  /** The invocation now running (null during init); work created from now on belongs to it. */
  setRequestId(requestId: string | null): void {
    this.requestId = requestId;
  }

  /** Called at a phase end: what is still pending, and which earlier work ran in this phase. */
  takeSnapshot(): { pending: PendingWork[]; resumed: number[] } {
    const pending: PendingWork[] = [];
    for (const [asyncId, tracked] of this.live) {
      if (!this.stillPending(tracked)) continue;
      if (tracked.site === undefined) this.locate(tracked);
      if (tracked.site === null) continue; // created by Node or by our runtime, not by user code
      this.reported.add(asyncId);
      pending.push({
        id: tracked.id,
        kind: this.kindOf(tracked),
        resourceType: tracked.type,
        description: this.describe(tracked),
        createdInRequestId: tracked.requestId,
        site: tracked.site ?? null,
        stack: tracked.stack ?? [],
      });
    }
    const resumed = [...this.resumedNow];
    this.resumedNow = new Set();
    return { pending, resumed };
  }

  private stillPending(tracked: Tracked): boolean {
    const resource = tracked.resource as Record<string, unknown> & { hasRef?: () => boolean };
    if (tracked.type === 'Timeout') {
      // A fired one-shot timer is destroyed shortly after; _destroyed is set at once.
      return !resource._destroyed;
    }
    if (tracked.type === 'Immediate') return !resource._destroyed && resource._onImmediate !== null;
    if (tracked.type === 'HTTPCLIENTREQUEST' || tracked.type === 'TCPCONNECTWRAP') return true;
    return true;
  }

  private kindOf(tracked: Tracked): PendingWorkKind {
    if (tracked.type === 'Timeout' && (tracked.resource as { _repeat?: unknown })._repeat) return 'interval';
    return KINDS[tracked.type] ?? 'other';
  }

  private describe(tracked: Tracked): string {
    const resource = tracked.resource as Record<string, unknown>;
    switch (tracked.type) {
      case 'Timeout': {
        const ms = resource._idleTimeout as number;
        return resource._repeat ? `setInterval ${ms} ms` : `setTimeout ${ms} ms`;
      }
      case 'Immediate':
        return 'setImmediate';
      case 'TCPWRAP':
      case 'TLSWRAP':
        return 'socket';
      case 'HTTPCLIENTREQUEST':
        return 'HTTP request';
      case 'TCPSERVERWRAP':
      case 'PIPESERVERWRAP':
        return 'server listening';
      case 'PROCESSWRAP':
        return 'child process';
      case 'GETADDRINFOREQWRAP':
        return 'DNS lookup';
      default:
        return tracked.type;
    }
  }

  /** Finds the first frame in user code; null when there is none (Node's or our own work). */
  private locate(tracked: Tracked): void {
    const lines = (tracked.holder.stack ?? '').split('\n').slice(1);
    const userFrames: string[] = [];
    let site: CreationSite | null = null;
    for (const line of lines) {
      const match = FRAME.exec(line);
      if (!match) continue;
      const file = match[2];
      if (file === this.runtimeFile) {
        // Our runtime started it (its HTTP client, its timers): not the user's.
        if (!site) {
          tracked.site = null;
          return;
        }
        break;
      }
      if (file.startsWith('node:') || file.includes('/node_modules/esbuild/')) continue;
      userFrames.push(line.trim());
      if (!site) {
        site = {
          file: file.startsWith('file://') ? new URL(file).pathname : file,
          line: Number(match[3]),
          column: Number(match[4]),
          functionName: match[1] || undefined,
        };
      }
    }
    tracked.site = site;
    tracked.stack = userFrames;
  }
}
