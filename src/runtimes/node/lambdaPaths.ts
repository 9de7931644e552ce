// Lambda's filesystem layout in the text the function sees: where the environment's
// folders are not at Lambda's places (the portable sandbox: the code root, the layers, the
// runtime's SDK, dist/runtime, the environment's /tmp), stack traces name them as
// /var/task, /opt, /var/runtime/node_modules, /var/runtime and /tmp, and NODE_PATH reads
// as Lambda sets it. Only the text changes: Node resolves modules from the real folders
// (NODE_PATH was read at start-up) and the inspector keeps the scripts' real URLs, so a
// debugger's breakpoints still land. Stacks our runtime reads for itself (where pending
// work was created, whether a warning is the runtime's) keep the real paths.

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LambdaPath } from '../../protocol/sandbox';

/** Objects whose stack our runtime reads for itself: formatted with the real paths. */
const realPathHolders = new WeakSet<object>();

/** Marks an object (before its stack is first read) as keeping the real paths. */
export function withRealPaths<T extends object>(holder: T): T {
  realPathHolders.add(holder);
  return holder;
}

let rewrite: (text: string) => string = (text) => text;

/** A host path (or text naming host paths) as Lambda's layout names it. */
export function toLambdaPaths(text: string): string {
  return rewrite(text);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A rewriter of every mapped folder in a text, the deepest folder first, both as a path and
 * as a file: URL (ES modules' frames). A folder counts only as a whole path segment. */
export function lambdaPathRewriter(mappings: LambdaPath[]): (text: string) => string {
  const targets = new Map<string, string>();
  for (const { real, lambda } of mappings) {
    if (!real || real === lambda) continue;
    targets.set(real, lambda);
    targets.set(pathToFileURL(real).href, `file://${lambda}`);
  }
  if (targets.size === 0) return (text) => text;
  const prefixes = [...targets.keys()].sort((a, b) => b.length - a.length);
  const windows = path.sep === '\\';
  const pattern = new RegExp(
    `(${prefixes.map(escape).join('|')})(?=[\\\\/:)\\s'"\`,]|$)(${windows ? `[\\\\/][^\\s:()'"\`,]*` : ''})?`,
    'g',
  );
  return (text) =>
    text.replace(
      pattern,
      (_match, prefix: string, rest: string | undefined) =>
        targets.get(prefix)! + (rest ? rest.replaceAll('\\', '/') : ''),
    );
}

let nodeFormatExposed = true;

/** Source maps on (TypeScript): where Node does not expose its own format (Node 18), an
 * Error.prepareStackTrace of ours would turn them off, so stacks keep the real paths there. */
export function keepSourceMappedStacks(): void {
  if (!nodeFormatExposed) delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
}

type Format = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** V8's own format (Node 18 does not expose it as Error.prepareStackTrace). */
const v8Format: Format = (error, frames) => {
  let head: string;
  try {
    head = Error.prototype.toString.call(error);
  } catch {
    head = '<error>';
  }
  return frames.length === 0 ? head : `${head}\n    at ${frames.join('\n    at ')}`;
};

/** From now on, stack traces name the mapped folders as Lambda does. Node's own format (with
 * source maps, when on) writes them; the paths in its text are then rewritten. */
export function showLambdaPaths(mappings: LambdaPath[]): void {
  rewrite = lambdaPathRewriter(mappings);
  if (mappings.length === 0) return;
  nodeFormatExposed = typeof Error.prepareStackTrace === 'function';
  const format: Format = (Error.prepareStackTrace as Format | undefined) ?? v8Format;
  Error.prepareStackTrace = function prepareStackTrace(error: Error, frames: NodeJS.CallSite[]) {
    const text = format(error, frames);
    return typeof text === 'string' && !realPathHolders.has(error) ? rewrite(text) : text;
  };
}
