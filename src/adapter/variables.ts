// Values shown in the Variables view: plain JSON (the event, the context, the REPORT) or
// the module state's preview nodes, one level at a time, children behind DAP handles.

import type { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StateNode } from '../protocol/sandbox';

/** The module state's nodes, as a scope's value (told apart from plain JSON by the key). */
export interface StateNodes {
  stateNodes: StateNode[];
}

/** One level of `value` as DAP variables; a child with children gets a handle from `handles`. */
export function toVariables(value: unknown, handles: Handles<unknown>): DebugProtocol.Variable[] {
  if (value === null || typeof value !== 'object') return [];
  const nodes = (value as Partial<StateNodes>).stateNodes;
  if (nodes) {
    return nodes.map((node) => ({
      name: node.name,
      value: node.more ? `${node.preview} (first ${node.children?.length ?? 0} shown)` : node.preview,
      variablesReference: node.children?.length
        ? handles.create({ stateNodes: node.children } satisfies StateNodes)
        : 0,
    }));
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.map(([name, v]) => {
    const isObject = v !== null && typeof v === 'object';
    return {
      name,
      value: isObject
        ? Array.isArray(v)
          ? `Array(${v.length})`
          : '{…}'
        : typeof v === 'string'
          ? JSON.stringify(v)
          : String(v),
      variablesReference: isObject ? handles.create(v) : 0,
    };
  });
}
