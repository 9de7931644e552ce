// The Node.js each function's runtime runs on, resolved once per runtime per engine
// (provision/nodeBinary.ts: the given executable, a Node of the runtime's major on the
// machine, the per-user cache, else a download). Progress and the "not the runtime's
// Node" warning reach listeners as `provisioning` engine events, the warning once.

import { isNodeRuntime, type FunctionConfig } from '../config/functionConfig';
import type { EngineEvent } from '../protocol/engineEvents';
import { resolveNode, type NodeBinary } from '../provision/nodeBinary';

export class RuntimeNodes {
  private readonly resolved = new Map<string, Promise<NodeBinary>>();
  private readonly warned = new Set<string>();

  constructor(
    /** `--node PATH` / `runtimeExecutable` (a path, `node` or `host`), if given. */
    private readonly given: string | undefined,
    private readonly emit: (event: EngineEvent) => void,
  ) {}

  /** The Node that runs `config`'s runtime (custom runtimes: the one that runs their keeper). */
  async forFunction(config: FunctionConfig): Promise<NodeBinary> {
    const runtime = isNodeRuntime(config.runtime) ? config.runtime : 'provided';
    let binary = this.resolved.get(runtime);
    if (!binary) {
      binary = this.resolve(runtime, config.name);
      this.resolved.set(runtime, binary);
      // A failure is not remembered: the next cold start tries again (e.g. back online).
      binary.catch(() => this.resolved.delete(runtime));
    }
    const node = await binary;
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

  private async resolve(runtime: string, functionName: string): Promise<NodeBinary> {
    let reported = false;
    try {
      return await resolveNode(runtime, {
        given: this.given,
        progress: (message, fraction) => {
          reported = true;
          this.emit({ type: 'provisioning', functionName, message, fraction: fraction ?? null, stage: 'progress' });
        },
      });
    } finally {
      // Whoever shows the progress stops showing it, whether the Node came or not.
      if (reported) this.emit({ type: 'provisioning', functionName, message: '', fraction: 1, stage: 'done' });
    }
  }
}
