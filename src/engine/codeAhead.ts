// What the engine does with a Node function's code before an environment starts, so that
// none of it counts in Init Duration: the module graph is read (provision/moduleGraph.ts)
// and its TypeScript files are transpiled into the per-user cache, where the runtime finds
// them. Read again only when a file of the graph changed.

import * as fs from 'node:fs';
import { isNodeRuntime, type FunctionConfig } from '../config/functionConfig';
import { findHandlerFile } from '../config/handlerFile';
import { cacheDirectory } from '../provision/cache';
import { scanModuleGraph, type ModuleGraph } from '../provision/moduleGraph';
import { TS_FILE, transpileAhead } from '../provision/typescriptCache';

interface Scan {
  graph: ModuleGraph;
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

export class CodeAhead {
  private scan: Scan | null = null;
  private scannedFor: FunctionConfig | null = null;

  /** The function's module graph (null for custom runtimes or unreadable code). */
  async prepare(config: FunctionConfig): Promise<ModuleGraph | null> {
    if (!isNodeRuntime(config.runtime)) return null;
    if (this.scan && this.scannedFor === config && this.unchanged(this.scan)) return this.scan.graph;
    let entry: string;
    try {
      entry = findHandlerFile(config.root, config.handler);
    } catch {
      return null; // the runtime's Init says what is missing, as Lambda's does
    }
    const graph = await scanModuleGraph(config.root, entry);
    if (!graph) return null;
    const typescript = graph.files.filter((file) => TS_FILE.test(file) && !file.endsWith('.d.ts'));
    const cacheDir = cacheDirectory();
    await Promise.all(typescript.map((file) => transpileAhead(cacheDir, file).catch(() => undefined)));
    this.scan = { graph, mtimes: new Map(graph.files.map((file) => [file, mtimeOf(file)])) };
    this.scannedFor = config;
    return graph;
  }

  private unchanged(scan: Scan): boolean {
    for (const [file, mtime] of scan.mtimes) if (mtimeOf(file) !== mtime) return false;
    return true;
  }
}
