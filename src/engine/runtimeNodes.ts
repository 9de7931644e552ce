// The Node.js each function's runtime runs on, resolved once per runtime per engine
// (provision/nodeBinary.ts: the given executable, a Node of the runtime's major on the
// machine, the per-user cache, else a download). Progress and the "not the runtime's
// Node" warning reach listeners as `provisioning` engine events, the warning once.

import { isNodeRuntime, type FunctionConfig } from '../config/functionConfig';
import type { EngineEvent, FetchedWork } from '../protocol/engineEvents';
import { resolveNode, type NodeBinary } from '../provision/nodeBinary';

/** One runtime's Node being resolved: whether it is still pending and whether it was fetched. */
interface Resolution {
  binary: Promise<NodeBinary>;
  settled: boolean;
  fetched: boolean;
}

export class RuntimeNodes {
  private readonly resolved = new Map<string, Resolution>();
  private readonly warned = new Set<string>();

  constructor(
    /** `--node PATH` / `runtimeExecutable` (a path, `node` or `host`), if given. */
    private readonly given: string | undefined,
    private readonly emit: (event: EngineEvent) => void,
  ) {}

  /** The Node that runs `config`'s runtime (custom runtimes: the one that runs their keeper).
   * When this call waited for a download, `fetched` gets it (the Init it precedes says so). */
  async forFunction(config: FunctionConfig, fetched?: FetchedWork[]): Promise<NodeBinary> {
    const runtime = isNodeRuntime(config.runtime) ? config.runtime : 'provided';
    let resolution = this.resolved.get(runtime);
    if (!resolution) {
      const entry: Resolution = { binary: Promise.resolve(null as never), settled: false, fetched: false };
      entry.binary = this.resolve(runtime, config.name, entry);
      resolution = entry;
      this.resolved.set(runtime, entry);
      // A failure is not remembered: the next cold start tries again (e.g. back online).
      entry.binary.then(
        () => (entry.settled = true),
        () => this.resolved.delete(runtime),
      );
    }
    const waited = !resolution.settled;
    const asked = performance.now();
    const node = await resolution.binary;
    if (waited && resolution.fetched && fetched) {
      fetched.push({ kind: 'nodeBinary', what: `Node.js ${node.version}`, ms: performance.now() - asked });
    }
    if (node.warning && !this.warned.has(runtime)) {
      this.warned.add(runtime);
      this.emit({
        type: 'provisioning',
        functionName: config.name,
        message: node.warning,
        fraction: null,
        stage: 'warning',
      });
    }
    return node;
  }

  private async resolve(runtime: string, functionName: string, resolution: Resolution): Promise<NodeBinary> {
    let reported = false;
    try {
      return await resolveNode(runtime, {
        given: this.given,
        progress: (message, fraction) => {
          reported = true;
          resolution.fetched = true;
          this.emit({ type: 'provisioning', functionName, message, fraction: fraction ?? null, stage: 'progress' });
        },
      });
    } finally {
      // Whoever shows the progress stops showing it, whether the Node came or not.
      if (reported) this.emit({ type: 'provisioning', functionName, message: '', fraction: 1, stage: 'done' });
    }
  }
}
