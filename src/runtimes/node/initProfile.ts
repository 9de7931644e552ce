// The Init profile: every module the handler's module graph loads during Function init,
// with its own time and its time including what it loaded, and top-level awaits as their own
// entries. CommonJS is timed around Module.prototype.load (called once per module actually
// loaded; the request comes from Module._load around it); ES modules by the marks the module
// hooks put in their source (profileHooks.ts): an ES module's dependencies run before its
// own top level, so its own time is enter → exit and what it loaded is added to it. A module
// whose top level yields (a microtask queued at enter runs before its exit) has a top-level
// await: the time from its first yield to its end, less the modules that ran meanwhile, is
// an entry of its own. Our own work (TypeScript, esbuild) is left out.

import * as inspector from 'node:inspector';
import Module from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { InitProfileEntry } from '../../protocol/engineEvents';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import {
  importers,
  markSource,
  PROFILE_GLOBAL,
  syncHooks,
  urlPath,
  type ImportedBy,
  type ImporterNote,
} from './profileHooks';
import { inOwnWork, ownWorkAsync, peekOwnWorkMs } from './typescript';

interface Record {
  seq: number;
  /** Its module's URL; a CommonJS record's is made from `file` only when looked up (not while
   * Function init is timed). */
  key: string | null;
  file: string | null;
  /** As imported or required; shown relative to the task root once the profile is taken. */
  specifier: string;
  resolved: string | null;
  kind: InitProfileEntry['kind'];
  /** The importer's key, when known from the module hooks. */
  parentKey: string | null;
  parent: Record | null;
  children: Record[];
  selfMs: number;
  totalMs: number;
}

type ModuleInternals = typeof Module & {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
  prototype: { load(this: { filename: string }, filename: string): void };
  registerHooks?: (hooks: object) => unknown;
  register?: (specifier: string, options: object) => void;
};

export class InitProfiler {
  /** The profiler recording now (the handler loader tells it before ES module imports). */
  static current: InitProfiler | null = null;

  private readonly records: Record[] = [];
  private readonly byKey = new Map<string, Record>();
  /** CommonJS records not yet in `byKey` (their URLs made when first needed). */
  private readonly unkeyed: Record[] = [];
  /** Records whose top-level code runs now (innermost last). */
  private readonly open: Record[] = [];
  /** Requests of Module._load calls under way (innermost last). */
  private readonly requests: string[] = [];
  /** Own time of every closed record so far (to leave out of a top-level await). */
  private accountedMs = 0;
  private active = false;
  private restore: (() => void) | null = null;
  private esmHooks: 'none' | 'sync' | 'thread' = 'none';
  /** Node 20: the loader thread's notes of who imported each CommonJS module. */
  private importerPort: MessagePort | null = null;
  private readonly taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();

  /** Starts recording (before the handler's module loads). */
  start(): void {
    this.active = true;
    InitProfiler.current = this;
    this.installCommonJs();
    this.installGlobal();
    // Compiles and warms the recording path before the clock starts (V8 compiles a function
    // on its first call): a builtin through Module._load, and a timed load of nothing (its
    // record dropped). The ES module marks are warmed only before an ES module import: a
    // CommonJS graph never calls them, and warming them here cost it ~0.2 ms (measured).
    (Module as ModuleInternals)._load('path', null, false);
    this.loadCommonJs({ filename: __filename }, __filename, () => undefined);
    this.keyCommonJs();
    this.records.length = 0;
    this.byKey.clear();
    this.accountedMs = 0;
  }

  /** Runs the ES module marks once (before the first ES module import, as our own work),
   * keeping what was recorded so far; their microtask runs before this resolves. */
  private async warmMarks(): Promise<void> {
    const records = this.records.splice(0);
    const open = this.open.splice(0);
    const unkeyed = this.unkeyed.splice(0);
    const byKey = new Map(this.byKey);
    const accountedMs = this.accountedMs;
    const marks = (
      globalThis as unknown as { [key: symbol]: { enter(u: string): void; exit(u: string, b: null): void } }
    )[Symbol.for(PROFILE_GLOBAL)];
    marks.enter(WARM_UP_FILE);
    marks.exit(WARM_UP_FILE, null);
    await Promise.resolve();
    this.records.splice(0, this.records.length, ...records);
    this.open.splice(0, this.open.length, ...open);
    this.unkeyed.splice(0, this.unkeyed.length, ...unkeyed);
    this.byKey.clear();
    for (const [key, record] of byKey) this.byKey.set(key, record);
    this.accountedMs = accountedMs;
  }

  /** Before the handler loader imports an ES module: the module hooks, registered only then
   * (a CommonJS graph needs none, and hooks make every require a little slower). In the
   * runtime's own thread where Node can (22.15+, 24), else in Node's loader thread (20). */
  async beforeImport(): Promise<void> {
    if (!this.active || this.esmHooks !== 'none') return;
    const M = Module as ModuleInternals;
    this.esmHooks = M.registerHooks ? 'sync' : 'thread';
    // Registering is ours, left out of Function init, and so is warming the marks (V8
    // compiles a function on its first call, and a first microtask is slow). On Node 20 the hooks run in Node's loader
    // thread, which starts at the next import: one import of nothing waits for it here (it
    // also warms the loader's path, some tenths of a millisecond Lambda would spend).
    await ownWorkAsync(async () => {
      await this.warmMarks();
      if (M.registerHooks) {
        M.registerHooks(syncHooks(runtimeUrlPrefix(), sourceMapsRead()));
        markSource('file:///warm-up.mjs', { format: 'module', source: 'export {};\n' });
        // Node's hook machinery, run once through a resolve and a load of a file of ours
        // (CommonJS: the ES module loader, whose first use Lambda pays too, stays cold).
        Module.createRequire(__filename)(path.join(__dirname, 'profileHooks.js'));
        return;
      }
      const { port1, port2 } = new MessageChannel();
      port1.unref();
      this.importerPort = port1;
      M.register?.(pathToFileURL(path.join(__dirname, 'profileHooks.js')).href, {
        parentURL: pathToFileURL(__filename).href,
        data: { skipPrefix: runtimeUrlPrefix(), sourceMaps: sourceMapsRead(), port: port2 },
        transferList: [port2],
      });
      await import(WARM_UP);
    });
  }

  /** Stops recording (Function init is over); the marks left in ES modules do nothing after.
   * Call it once Function init's clock has stopped: putting Node's loader back as it was
   * costs some tenths of a millisecond (V8 re-learns Module.prototype, measured). */
  stop(): void {
    this.active = false;
    InitProfiler.current = null;
    this.restore?.();
    this.restore = null;
  }

  /** The profile in load order: each module before what it loaded. */
  entries(): InitProfileEntry[] {
    this.drainImporters();
    for (const record of this.records) {
      if (record.parent || !record.parentKey) continue;
      const parent = this.recordOf(record.parentKey);
      if (parent && parent !== record) {
        record.parent = parent;
        parent.children.push(record);
      }
    }
    const out: InitProfileEntry[] = [];
    const visit = (record: Record, depth: number) => {
      out.push({
        specifier: this.shownSpecifier(record.specifier),
        resolved: record.resolved,
        selfMs: round(record.selfMs),
        totalMs: round(record.totalMs),
        depth,
        kind: record.kind,
      });
      for (const child of [...record.children].sort((a, b) => a.seq - b.seq)) visit(child, depth + 1);
    };
    for (const root of this.records.filter((record) => !record.parent)) visit(root, 0);
    return out;
  }

  // ----- CommonJS ------------------------------------------------------------------------

  private installCommonJs(): void {
    const M = Module as ModuleInternals;
    const originalLoad = M._load;
    const originalModuleLoad = M.prototype.load;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const profiler = this;
    M._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
      profiler.requests.push(request);
      try {
        return originalLoad.call(this, request, parent, isMain);
      } finally {
        profiler.requests.pop();
      }
    } as ModuleInternals['_load'];
    M.prototype.load = function (this: { filename: string }, filename: string) {
      return profiler.loadCommonJs(this, filename, originalModuleLoad);
    };
    this.restore = () => {
      M._load = originalLoad;
      M.prototype.load = originalModuleLoad;
    };
  }

  /** Module.prototype.load, timed while recording (and not for our own work). */
  private loadCommonJs(
    module: { filename: string },
    filename: string,
    load: (this: { filename: string }, filename: string) => void,
  ): void {
    if (!this.active || inOwnWork()) return load.call(module, filename);
    const request = this.requests[this.requests.length - 1] ?? filename;
    return this.timeCommonJs(filename, request, () => load.call(module, filename));
  }

  /** One CommonJS module's loading, timed (our own work inside it left out). */
  timeCommonJs<T>(filename: string, request: string, load: () => T): T {
    const record = this.openCommonJs(filename, request);
    const ownBefore = peekOwnWorkMs();
    const started = performance.now();
    try {
      return load();
    } finally {
      this.closeRecord(record, performance.now() - started - (peekOwnWorkMs() - ownBefore));
    }
  }

  // ----- ES modules (the marks in their source) ------------------------------------------

  private installGlobal(): void {
    const marks = new Map<
      string,
      { started: number; accounted: number; yielded: { at: number; accounted: number } | null }
    >();
    const enter = (url: string) => {
      if (!this.active || this.recordOf(url)) return;
      const record = this.openRecord(url, url, urlPath(url), 'module');
      const mark = {
        started: performance.now(),
        accounted: this.accountedMs,
        yielded: null as null | { at: number; accounted: number },
      };
      marks.set(url, mark);
      // Runs only once this top level has yielded (an await) or ended.
      void Promise.resolve().then(() => {
        if (!marks.has(url)) return;
        mark.yielded = { at: performance.now(), accounted: this.accountedMs };
        this.leave(record);
      });
    };
    const exit = (url: string, by: ImportedBy | null) => {
      const mark = marks.get(url);
      const record = this.recordOf(url);
      marks.delete(url);
      if (!mark || !record) return;
      // The CommonJS modules it imported, known on Node 20 only in the loader thread.
      this.drainImporters();
      // Who imported it (the module hooks know; on Node 20 in their own thread).
      if (by && !record.parentKey) {
        record.parentKey = by.parentUrl;
        record.specifier = by.specifier;
      }
      const now = performance.now();
      if (!mark.yielded) {
        record.selfMs = Math.max(0, now - mark.started - (this.accountedMs - mark.accounted));
        this.leave(record);
        this.finish(record);
        return;
      }
      // A top-level await: before the first yield is the module's own; the rest is the await's.
      record.selfMs = Math.max(0, mark.yielded.at - mark.started - (mark.yielded.accounted - mark.accounted));
      const awaited = Math.max(0, now - mark.yielded.at - (this.accountedMs - mark.yielded.accounted));
      const wait = this.openRecord(`${url}#await`, 'await (top level)', null, 'await', url);
      this.leave(wait);
      wait.selfMs = awaited;
      wait.totalMs = awaited;
      this.accountedMs += awaited;
      this.finish(record);
    };
    Object.defineProperty(globalThis, Symbol.for(PROFILE_GLOBAL), {
      value: { enter, exit },
      enumerable: false,
      configurable: true,
    });
  }

  /** An ES module's record done: its total is its own time plus its children's. */
  private finish(record: Record): void {
    const children = this.childrenOf(record);
    record.totalMs = record.selfMs + children.reduce((sum, child) => sum + child.totalMs, 0);
    this.accountedMs += record.selfMs;
  }

  /** Children known by the hooks or by nesting, whichever found them. */
  private childrenOf(record: Record): Record[] {
    const found = new Set(record.children);
    for (const other of this.records) {
      if (other !== record && !other.parent && other.parentKey === record.key) {
        other.parent = record;
        record.children.push(other);
        found.add(other);
      }
    }
    return [...found];
  }

  // ----- Records -------------------------------------------------------------------------

  /** Node 20: takes the loader thread's notes (synchronously) and gives the CommonJS records
   * they name their importer, before that importer's own record is done. */
  private drainImporters(): void {
    if (!this.importerPort) return;
    for (let received = receiveMessageOnPort(this.importerPort); received;) {
      const { url, parentUrl, specifier } = received.message as ImporterNote;
      if (!importers.has(url)) importers.set(url, { parentUrl, specifier });
      const record = this.recordOf(url);
      if (record && !record.parent && !record.parentKey) {
        record.parentKey = parentUrl;
        record.specifier = specifier;
      }
      received = receiveMessageOnPort(this.importerPort);
    }
  }

  /** A CommonJS module's record: keyed by its URL now only if the module hooks may have seen
   * it (an ES module imported it); else the URL is made when first looked up. */
  private openCommonJs(filename: string, request: string): Record {
    if (importers.size > 0) return this.openRecord(pathToFileURL(filename).href, request, filename, 'commonjs');
    const record = this.openRecord(null, request, filename, 'commonjs');
    record.file = filename;
    this.unkeyed.push(record);
    return record;
  }

  private openRecord(
    key: string | null,
    specifier: string,
    resolved: string | null,
    kind: Record['kind'],
    parentKey: string | null = null,
  ): Record {
    const nested = this.open[this.open.length - 1] ?? null;
    const known = key === null ? undefined : importers.get(key);
    const record: Record = {
      seq: this.records.length,
      key,
      file: null,
      specifier: known?.specifier ?? specifier,
      resolved,
      kind,
      parentKey: parentKey ?? known?.parentUrl ?? null,
      parent: null,
      children: [],
      selfMs: 0,
      totalMs: 0,
    };
    // CommonJS loaded inside a module's top level belongs to it; otherwise the hooks say.
    const parent = (record.parentKey && this.recordOf(record.parentKey)) || nested;
    if (parent && (kind === 'commonjs' || (record.parentKey !== null && parent.key === record.parentKey))) {
      record.parent = parent;
      parent.children.push(record);
    }
    this.records.push(record);
    if (key !== null) this.byKey.set(key, record);
    if (kind !== 'await') this.open.push(record);
    return record;
  }

  /** The record of a module by its URL. */
  private recordOf(key: string): Record | undefined {
    this.keyCommonJs();
    return this.byKey.get(key);
  }

  /** Gives the CommonJS records made so far their URLs. */
  private keyCommonJs(): void {
    for (const record of this.unkeyed.splice(0)) {
      record.key = pathToFileURL(record.file!).href;
      this.byKey.set(record.key, record);
    }
  }

  private leave(record: Record): void {
    const at = this.open.lastIndexOf(record);
    if (at >= 0) this.open.splice(at, 1);
  }

  /** A CommonJS record done: its own time is its total less what it loaded. */
  private closeRecord(record: Record, totalMs: number): void {
    this.leave(record);
    record.totalMs = Math.max(0, totalMs);
    const childrenMs = record.children.reduce((sum, child) => sum + child.totalMs, 0);
    record.selfMs = Math.max(0, record.totalMs - childrenMs);
    this.accountedMs += record.selfMs;
  }

  /** An absolute path or URL (the handler's module itself) is shown relative to the task root. */
  private shownSpecifier(specifier: string): string {
    const file = specifier.startsWith('file:') ? urlPath(specifier) : specifier;
    if (!path.isAbsolute(file)) return specifier;
    const relative = path.relative(this.taskRoot, file);
    return relative.startsWith('..') ? file : `./${relative.split(path.sep).join('/')}`;
  }
}

/** True while the Init profile records (ES modules then carry its marks). */
export function profilingModules(): boolean {
  return InitProfiler.current !== null;
}

/** Times a CommonJS module the handler loader evaluates itself (with the Init phase stop). */
export function profileModule<T>(filename: string, evaluate: () => T): T {
  const profiler = InitProfiler.current;
  return profiler ? profiler.timeCommonJs(filename, filename, evaluate) : evaluate();
}

/** Called before the handler loader imports an ES module (the hooks it needs on Node 20). */
export async function beforeEsmImport(): Promise<void> {
  await InitProfiler.current?.beforeImport();
}

/** Our runtime's own files, never profiled. */
function runtimeUrlPrefix(): string {
  return pathToFileURL(path.dirname(__dirname)).href + '/';
}

/** No file: the key of the record made to warm the marks. */
const WARM_UP_FILE = 'file:///lambda-lifecycle/warm-up.mjs';

/** Whether an ES module's marks need a source map back to the file (a debugger attached,
 * or Node's source maps on, as with TypeScript); else none is made. */
function sourceMapsRead(): boolean {
  return inspector.url() !== undefined || process.sourceMapsEnabled === true;
}

/** A module of nothing, imported once to warm the loader's path. */
const WARM_UP: string = 'data:text/javascript,export%20default%200;';

const round = (ms: number): number => Math.round(ms * 100) / 100;
