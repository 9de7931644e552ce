// Keeps warnings that our runtime's own code causes (a MaxListenersExceededWarning about
// its listeners, a deprecation in a Node API it calls) out of the function's log: Node
// prints a warning through console.error, which the function's log receives as an ERROR
// line, and on Lambda the runtime's internals never show there. A warning whose stack
// reaches user code (or names no file at all) is the function's and is printed as Node
// prints it.

import * as path from 'node:path';
import { toLambdaPaths, withRealPaths } from './lambdaPaths';

const FRAME_FILE = /^\s*at (?:.*? \()?(?:async )?(.+?):\d+:\d+\)?$/;

/** True when the stack names at least one file and every file it names is the runtime's
 * (Node's own `node:` frames aside): no user code led to the warning. */
export function raisedByRuntime(stack: string | undefined, runtimeDir: string): boolean {
  let files = 0;
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const match = FRAME_FILE.exec(line);
    if (!match) continue;
    const file = match[1].startsWith('file://') ? new URL(match[1]).pathname : match[1];
    if (file.startsWith('node:') || !path.isAbsolute(file)) continue;
    if (path.dirname(file) !== runtimeDir) return false;
    files++;
  }
  return files > 0;
}

/** Drops the warnings our runtime raises before Node prints them; passes the rest on. */
export function keepRuntimeWarningsOutOfLog(runtimeDir: string): void {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  const filtered = function emitWarningUnlessRuntimes(warning: unknown, ...rest: unknown[]): void {
    let stack: string | undefined;
    if (warning instanceof Error) stack = warning.stack;
    else {
      const site: { stack?: string } = withRealPaths({});
      Error.captureStackTrace(site, emitWarningUnlessRuntimes);
      stack = 'Warning\n' + (site.stack ?? '').split('\n').slice(1).join('\n');
    }
    // A warning's own stack names the runtime's folder as Lambda does (lambdaPaths.ts).
    if (raisedByRuntime(stack, runtimeDir) || raisedByRuntime(stack, toLambdaPaths(runtimeDir))) return;
    emitWarning(warning, ...rest);
  };
  process.emitWarning = filtered as typeof process.emitWarning;
}
