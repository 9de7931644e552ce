// What the function's module keeps between invocations, read at the end of each phase
// for the state panel: the variables the handler closes over (its module's scope, found
// through the inspector's view of the function's [[Scopes]], in this same process) and
// what user code added to globalThis. Values become a bounded tree of text previews:
// strings cut, collections paged, depth limited, cycles marked; nothing is evaluated but
// property reads of plain data.

import * as inspector from 'node:inspector';
import type { ModuleState, StateNode } from '../../protocol/sandbox';
import { isSecretName, maskSecret } from '../../config/secrets';

const MAX_DEPTH = 4;
const MAX_ENTRIES = 100;
const MAX_STRING = 1000;
const HANDLER_KEY = Symbol.for('lambda.lifecycle.moduleState.handler');
/** The CommonJS wrapper's parameters: Node's, not the module's state. */
const WRAPPER_PARAMETERS = new Set(['exports', 'require', 'module', '__filename', '__dirname']);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map) return 'map';
  if (value instanceof Set) return 'set';
  if (value instanceof Date) return 'date';
  if (Buffer.isBuffer(value)) return 'buffer';
  return typeof value;
}

function constructorName(value: object): string {
  try {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== 'Object' ? name : '';
  } catch {
    return '';
  }
}

/** The credential variable whose value `text` is now (whatever the name it is kept under), if any. */
function credentialNamed(text: string): string | null {
  if (text.length === 0) return null;
  for (const name of ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_ACCESS_KEY_ID'])
    if (text === process.env[name]) return name;
  return null;
}

/** A bounded, text-only picture of a value. */
export function describeValue(name: string, value: unknown, depth = 0, seen = new Set<unknown>()): StateNode {
  const type = typeOf(value);
  switch (type) {
    case 'string': {
      const text = value as string;
      // Credentials and other secrets are never shown (the state panel, the Variables view).
      const credential = credentialNamed(text);
      if (isSecretName(name) || credential)
        return { name, type, preview: JSON.stringify(maskSecret(isSecretName(name) ? name : credential!, text)) };
      return {
        name,
        type,
        preview:
          JSON.stringify(text.length > MAX_STRING ? text.slice(0, MAX_STRING) : text) +
          (text.length > MAX_STRING ? `… (${text.length} characters)` : ''),
        size: text.length,
      };
    }
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'null':
    case 'bigint':
    case 'symbol':
      return { name, type, preview: String(value) + (type === 'bigint' ? 'n' : '') };
    case 'function':
      return { name, type, preview: `ƒ ${(value as { name?: string }).name || 'anonymous'}()` };
    case 'date':
      return {
        name,
        type,
        preview: Number.isNaN((value as Date).getTime()) ? 'Invalid Date' : (value as Date).toISOString(),
      };
    case 'buffer':
      return { name, type, preview: `Buffer(${(value as Buffer).length})`, size: (value as Buffer).length };
  }
  if (seen.has(value)) return { name, type, preview: '[Circular]' };
  const entries: Array<[string, unknown]> = [];
  let size: number;
  let label: string;
  try {
    if (value instanceof Map) {
      size = value.size;
      label = `Map(${size})`;
      for (const [k, v] of value) {
        if (entries.length >= MAX_ENTRIES) break;
        entries.push([typeof k === 'string' ? k : describeValue('', k, MAX_DEPTH).preview, v]);
      }
    } else if (value instanceof Set) {
      size = value.size;
      label = `Set(${size})`;
      let i = 0;
      for (const v of value) {
        if (entries.length >= MAX_ENTRIES) break;
        entries.push([String(i++), v]);
      }
    } else if (Array.isArray(value)) {
      size = value.length;
      label = `Array(${size})`;
      for (let i = 0; i < Math.min(size, MAX_ENTRIES); i++) entries.push([String(i), value[i]]);
    } else {
      const keys = Object.keys(value as object);
      size = keys.length;
      label = `${constructorName(value as object)}{…}`.replace(/^\{…\}$/, '{…}');
      for (const key of keys.slice(0, MAX_ENTRIES)) {
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        // Getters are not run: reading state must not change it.
        entries.push([key, descriptor && 'value' in descriptor ? descriptor.value : '[getter]']);
      }
    }
  } catch {
    return { name, type, preview: '[unreadable]' };
  }
  if (depth >= MAX_DEPTH) return { name, type, preview: label, size };
  seen.add(value);
  const children = entries.map(([k, v]) => describeValue(k, v, depth + 1, seen));
  seen.delete(value);
  return { name, type, preview: label, size, children, more: Math.max(0, size - entries.length) };
}

export class ModuleStateReader {
  private readonly session = new inspector.Session();
  private readonly baselineGlobals: Set<string>;

  /** `ownGlobals`: globalThis names that are ours or Node's, taken before user code runs. */
  constructor(ownGlobals: Iterable<string>) {
    this.baselineGlobals = new Set(ownGlobals);
    this.session.connect();
  }

  /** The handler's scopes (module variables it keeps) and user additions to globalThis. */
  read(handler: unknown): ModuleState {
    const module: StateNode[] = [];
    try {
      (globalThis as Record<symbol, unknown>)[HANDLER_KEY] = handler;
      const evaluated = this.post<{ result: { objectId?: string } }>('Runtime.evaluate', {
        expression: `globalThis[Symbol.for('lambda.lifecycle.moduleState.handler')]`,
      });
      const properties = this.post<{ internalProperties?: Array<{ name: string; value?: { objectId?: string } }> }>(
        'Runtime.getProperties',
        {
          objectId: evaluated.result.objectId,
          ownProperties: true,
        },
      );
      const scopesId = properties.internalProperties?.find((p) => p.name === '[[Scopes]]')?.value?.objectId;
      const scopes = scopesId
        ? this.post<{ result: Array<{ value?: { objectId?: string; description?: string } }> }>(
            'Runtime.getProperties',
            { objectId: scopesId, ownProperties: true },
          ).result
        : [];
      const seen = new Set<string>();
      for (const scope of scopes) {
        if (!scope.value?.objectId || scope.value.description === 'Global') continue;
        this.post('Runtime.callFunctionOn', {
          objectId: scope.value.objectId,
          functionDeclaration: `function () { globalThis[Symbol.for('lambda.lifecycle.moduleState.scope')] = this.object; }`,
        });
        const variables =
          (globalThis as Record<symbol, Record<string, unknown> | undefined>)[
            Symbol.for('lambda.lifecycle.moduleState.scope')
          ] ?? {};
        for (const name of Object.keys(variables)) {
          if (seen.has(name) || WRAPPER_PARAMETERS.has(name)) continue; // an inner scope's name hides the outer one
          seen.add(name);
          module.push(describeValue(name, variables[name]));
        }
      }
    } catch {
      // A handler the inspector cannot see into: no module state this time.
    } finally {
      delete (globalThis as Record<symbol, unknown>)[HANDLER_KEY];
      delete (globalThis as Record<symbol, unknown>)[Symbol.for('lambda.lifecycle.moduleState.scope')];
    }
    const globals = Object.getOwnPropertyNames(globalThis)
      .filter((name) => !this.baselineGlobals.has(name))
      .map((name) => describeValue(`globalThis.${name}`, (globalThis as Record<string, unknown>)[name]));
    return { module, globals };
  }

  private post<T>(method: string, params: object): T {
    let result: T | undefined;
    let failure: Error | null = null;
    this.session.post(method, params, (error, value) => {
      failure = error;
      result = value as T;
    });
    if (failure) throw failure;
    if (result === undefined) throw new Error(`${method} did not answer synchronously`);
    return result;
  }
}
