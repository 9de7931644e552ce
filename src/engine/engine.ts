// The engine's entry point for the CLI, the debug adapter and tests: holds the function
// pools, the engine's temp folder (swept if a previous engine died), and the event
// stream (a listener that throws is reported to `onListenerError`, never lets the engine
// fail). It knows nothing of VS Code or DAP.

import * as fs from 'node:fs';
import { versionOf, type FunctionConfig } from '../config/functionConfig';
import type { EngineEvent, EngineEventListener } from '../protocol/engineEvents';
import { resolveOptions, type EngineOptions, type ResolvedEngineOptions } from './options';
import { sweepCgroups } from './sandbox/cgroups';
import { createEngineFolder, runtimeAssetsDir, sweepOrphanedFolders } from './paths';
import { FunctionPool } from './pool';
import { RuntimeNodes } from './runtimeNodes';
import type { NodeBinary } from '../provision/nodeBinary';

export class Engine {
  readonly options: ResolvedEngineOptions;
  readonly dir: string;
  private readonly runtimeDir = runtimeAssetsDir();
  private readonly listeners = new Set<EngineEventListener>();
  private readonly pools = new Map<string, FunctionPool>();
  private readonly nodes: RuntimeNodes;
  private environmentCount = 0;
  private closing: Promise<void> | null = null;

  constructor(options: EngineOptions = {}) {
    this.options = resolveOptions(options);
    sweepOrphanedFolders(this.options.tempBaseDir);
    if (this.options.sandbox === 'auto') sweepCgroups();
    this.dir = createEngineFolder(this.options.tempBaseDir);
    this.nodes = new RuntimeNodes(options.nodeExecutable, (event) => this.emit(event));
  }

  /** Subscribes to every engine event; returns the unsubscribe function. */
  on(listener: EngineEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The pool of a function's version (created on first use; the same name and version give
   * the same pool). Each published version has environments of its own, as on Lambda. */
  pool(config: FunctionConfig): FunctionPool {
    if (this.closing) throw new Error('The engine is closed.');
    const key = `${config.name}:${versionOf(config)}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new FunctionPool(config, {
        options: this.options,
        engineDir: this.dir,
        runtimeDir: this.runtimeDir,
        emit: (event) => this.emit(event),
        observed: () => this.listeners.size > 0,
        nextEnvironmentNumber: () => ++this.environmentCount,
        nodes: this.nodes,
        functionConcurrency: () => this.functionConcurrency(config.name),
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  private functionConcurrency(name: string): number {
    let count = 0;
    for (const pool of this.pools.values()) if (pool.functionConfig.name === name) count += pool.concurrency;
    return count;
  }

  /** The Node.js a function's runtime runs on (fetched on first use; see runtimeNodes.ts). */
  runtimeNode(config: FunctionConfig): Promise<NodeBinary> {
    return this.nodes.forFunction(config);
  }

  /** A debugger paused or resumed an environment's process (see ExecutionEnvironment.debuggerPaused). */
  debuggerPaused(environmentId: string, paused: boolean): void {
    for (const pool of this.pools.values()) pool.debuggerPaused(environmentId, paused);
  }

  /** The host folder that is an environment's /tmp, while it lives. */
  tmpFolder(environmentId: string): string | null {
    for (const pool of this.pools.values()) {
      const environment = pool.environmentById(environmentId);
      if (environment) return environment.tmpFolder;
    }
    return null;
  }

  /** Shuts every environment down and removes the engine's temp folder. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.pools.values()].map((p) => p.close()));
      fs.rmSync(this.dir, { recursive: true, force: true });
    })();
    return this.closing;
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A failing listener must not break the engine, nor go unseen.
        this.reportListenerError(error, event);
      }
    }
  }

  private reportListenerError(error: unknown, event: EngineEvent): void {
    try {
      this.options.onListenerError(error, event);
    } catch {
      // The hook itself failed: nothing more can be told.
    }
  }
}
