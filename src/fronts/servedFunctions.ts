// The functions a `serve` (or a debug session) exposes, by every name a caller may use: the
// template's logical id / serverless.yml key and the deployed FunctionName. Each invocation
// goes through the engine's pool of that function, so environments stay warm between
// requests and scale out when requests overlap. A qualifier (a published version or an
// alias) selects the version's own environments, as on Lambda; locally every published
// version runs the function's current code.

import type { Engine } from '../engine/engine';
import type { FunctionPool, InvokeOptions, PoolInvocationResult } from '../engine/pool';
import { versionOf, type FunctionConfig } from '../config/functionConfig';

export interface ServedFunction {
  /** The name routes and the Invoke API use: the logical id, else the function name. */
  id: string;
  config: FunctionConfig;
  /** The engine that runs it, when not the fronts' own (a debug session runs the template's
   * other functions in an engine without the debugger). */
  engine?: Engine;
}

export function servedIdOf(config: FunctionConfig): string {
  if (config.source.kind === 'sam') return config.source.logicalId;
  if (config.source.kind === 'serverless') return config.source.key;
  return config.name;
}

/** The version a qualifier names: '$LATEST' when there is none, a published version's number,
 * or the version an alias points at; null when the function has no such version or alias. */
export function versionNamed(config: FunctionConfig, qualifier: string | null | undefined): string | null {
  if (!qualifier || qualifier === '$LATEST') return '$LATEST';
  const aliases = config.aliases ?? {};
  if (Object.hasOwn(aliases, qualifier)) return aliases[qualifier];
  const published = new Set([...Object.values(aliases), ...(config.versions ?? [])]);
  if (config.version) published.add(config.version);
  return published.has(qualifier) ? qualifier : null;
}

/** What the function's event sources and URL call: SAM points them at the AutoPublishAlias. */
export function triggerQualifier(fn: ServedFunction): string | undefined {
  return fn.config.autoPublishAlias;
}

/** What every front needs from the engine: find a function, invoke it (`options.qualifier`
 * picks the version; it must be one versionNamed() knows). */
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

  pool(fn: ServedFunction, qualifier?: string): FunctionPool {
    const version = versionNamed(fn.config, qualifier);
    if (version === null) throw new Error(`${fn.id} has no version or alias ${qualifier}.`);
    const config = version === versionOf(fn.config) ? fn.config : { ...fn.config, version };
    if (version === '$LATEST') delete config.version;
    return (fn.engine ?? this.engine).pool(config);
  }

  invoke(fn: ServedFunction, payload: string, options: InvokeOptions): Promise<PoolInvocationResult> {
    return this.pool(fn, options.qualifier).invoke(payload, options);
  }
}
