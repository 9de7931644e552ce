// What the engine does with a Node function's code before an environment starts, so that
// none of it counts in Init Duration: the module graph is read (provision/moduleGraph.ts),
// its TypeScript files are transpiled into the per-user cache, where the runtime finds
// them (by the path it loads them from, in the kernel's sandbox too), and the AWS SDK packages it imports that neither its code nor its layers hold are
// installed into the runtime's copy of the SDK (provision/runtimeSdk.ts), as Lambda's
// runtime ships them. Read again only when a file of the graph changed.

import * as fs from 'node:fs';
import { isNodeRuntime, type FunctionConfig } from '../config/functionConfig';
import { findHandlerFile } from '../config/handlerFile';
import { cacheDirectory } from '../provision/cache';
import { scanModuleGraph, type ModuleGraph } from '../provision/moduleGraph';
import { TS_FILE, transpileAhead } from '../provision/typescriptCache';
import {
  RUNTIME_PACKAGE,
  installRuntimePackages,
  resolvableFromFunction,
  runtimeModulesDir,
} from '../provision/runtimeSdk';
import type { EngineEvent, FetchedWork } from '../protocol/engineEvents';
import type { RuntimeModules } from '../protocol/sandbox';
import { nodeMajorOf } from '../provision/nodeBinary';
import * as path from 'node:path';
import { lambdaPath } from './lambdaLayout';

interface Scan {
  graph: ModuleGraph;
  modules: RuntimeModules;
  /** Transpiled under Lambda's paths (the kernel's sandbox). */
  lambdaPaths: boolean;
  /** Each file's modification time when read. */
  mtimes: Map<string, number>;
}

const mtimeOf = (file: string) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
};

/** Where a file of the function is in Lambda's filesystem: the code under /var/task, a
 * layer's under /opt. */
const lambdaPathOf = (config: FunctionConfig, file: string): string =>
  lambdaPath(file, { root: config.root, layers: config.layers, runtimeModulesDir: null });

export class CodeAhead {
  private scan: Scan | null = null;
  private scannedFor: FunctionConfig | null = null;

  /** Prepares the function's code; says what the runtime's SDK copy holds for it (null for
   * custom runtimes or code esbuild cannot read: the runtime's Init then reports as Lambda's).
   * `lambdaPaths`: the environments run in the kernel's sandbox, which loads the code from
   * /var/task. */
  async prepare(
    config: FunctionConfig,
    emit: (event: EngineEvent) => void,
    lambdaPaths = false,
    fetched?: FetchedWork[],
  ): Promise<RuntimeModules | null> {
    if (!isNodeRuntime(config.runtime)) return null;
    const scan = this.scan;
    if (scan && this.scannedFor === config && scan.lambdaPaths === lambdaPaths && this.unchanged(scan))
      return scan.modules;
    let entry: string;
    try {
      entry = findHandlerFile(config.root, config.handler);
    } catch {
      return null;
    }
    const graph = await scanModuleGraph(config.root, entry);
    if (!graph) return null;
    const typescript = graph.files.filter((file) => TS_FILE.test(file) && !file.endsWith('.d.ts'));
    const cacheDir = cacheDirectory();
    // Under the paths the runtime loads them from (in the kernel's sandbox: /var/task, /opt).
    await Promise.all(
      typescript.map((file) =>
        transpileAhead(cacheDir, file, lambdaPaths ? lambdaPathOf(config, file) : file).catch(() => undefined),
      ),
    );
    const modules = await this.runtimePackages(config, graph, emit, fetched);
    this.scan = { graph, modules, lambdaPaths, mtimes: new Map(graph.files.map((file) => [file, mtimeOf(file)])) };
    this.scannedFor = config;
    return modules;
  }

  private async runtimePackages(
    config: FunctionConfig,
    graph: ModuleGraph,
    emit: (event: EngineEvent) => void,
    fetched?: FetchedWork[],
  ): Promise<RuntimeModules> {
    const major = nodeMajorOf(config.runtime);
    const layerDirs = config.layers.flatMap((layer) => [
      path.join(layer, 'nodejs', `node${major}`, 'node_modules'),
      path.join(layer, 'nodejs', 'node_modules'),
    ]);
    const fromRuntime = graph.packages.filter(
      (name) => RUNTIME_PACKAGE.test(name) && !resolvableFromFunction(name, config.root, layerDirs),
    );
    const modules: RuntimeModules = {
      dir: runtimeModulesDir(major ?? undefined),
      used: fromRuntime,
      unavailable: null,
    };
    if (fromRuntime.length === 0) return modules;
    const functionName = config.name;
    let reported = false;
    const asked = performance.now();
    try {
      await installRuntimePackages(
        fromRuntime,
        (message) => {
          reported = true;
          emit({ type: 'provisioning', functionName, message, fraction: null, stage: 'progress' });
        },
        major ?? undefined,
      );
    } catch (error) {
      modules.unavailable = error instanceof Error ? error.message : String(error);
    } finally {
      if (reported) {
        emit({ type: 'provisioning', functionName, message: '', fraction: 1, stage: 'done' });
        fetched?.push({
          kind: 'runtimeSdk',
          what: `the runtime's AWS SDK (${fromRuntime.join(', ')})`,
          ms: performance.now() - asked,
        });
      }
    }
    return modules;
  }

  private unchanged(scan: Scan): boolean {
    for (const [file, mtime] of scan.mtimes) if (mtimeOf(file) !== mtime) return false;
    return true;
  }
}
