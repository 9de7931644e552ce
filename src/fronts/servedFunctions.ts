// The functions a `serve` (or a debug session) exposes, by every name a caller may use: the
// template's logical id / serverless.yml key and the deployed FunctionName. Each invocation
// goes through the engine's pool of that function, so environments stay warm between
// requests and scale out when requests overlap.

import type { Engine } from '../engine/engine';
import type { FunctionPool, InvokeOptions, PoolInvocationResult } from '../engine/pool';
import type { FunctionConfig } from '../config/functionConfig';

export interface ServedFunction {
  /** The name routes and the Invoke API use: the logical id, else the function name. */
  id: string;
  config: FunctionConfig;
}

export function servedIdOf(config: FunctionConfig): string {
  if (config.source.kind === 'sam') return config.source.logicalId;
  if (config.source.kind === 'serverless') return config.source.key;
  return config.name;
}

/** What every front needs from the engine: find a function, invoke it. */
export interface InvokeTarget {
  find(name: string): ServedFunction | undefined;
  invoke(fn: ServedFunction, payload: string, options: InvokeOptions): Promise<PoolInvocationResult>;
  readonly region: string;
  readonly accountId: string;
}

export class ServedFunctions implements InvokeTarget {
  private readonly byName = new Map<string, ServedFunction>();

  constructor(
    private readonly engine: Engine,
    readonly functions: ServedFunction[],
  ) {
    for (const fn of functions) {
      this.byName.set(fn.id, fn);
      if (!this.byName.has(fn.config.name)) this.byName.set(fn.config.name, fn);
    }
  }

  get region(): string {
    return this.engine.options.region;
  }

  get accountId(): string {
    return this.engine.options.accountId;
  }

  find(name: string): ServedFunction | undefined {
    return this.byName.get(name);
  }

  pool(fn: ServedFunction): FunctionPool {
    return this.engine.pool(fn.config);
  }

  invoke(fn: ServedFunction, payload: string, options: InvokeOptions): Promise<PoolInvocationResult> {
    return this.pool(fn).invoke(payload, options);
  }
}
