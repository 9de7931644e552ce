// The Lambda phase stops, on the user's own lines. When a phase breakpoint is on, the
// runtime arms a one-shot breakpoint through an in-process inspector session just before
// the user's code runs: Init stops on the handler module's first statement (a breakpoint
// by URL at its first line, before the module is evaluated), Invoke on the first statement
// of the handler's body and Shutdown on the first SIGTERM listener the user registered
// (V8's breakpoint on a function's next call). V8 pauses the whole process, so the
// JavaScript debugger attached over the inspector's WebSocket shows the stop, steps and
// resumes as on any breakpoint; no file of ours is on the stack. The breakpoint is removed
// as soon as the code it guards has started, so it fires once.

import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as vm from 'node:vm';
import { ENTER_MARK } from './profileHooks';
import { profilingModules } from './initProfile';

/** Runs user code with a phase stop armed around it. */
export type PhaseStop = <T>(run: () => T) => T;

let session: inspector.Session | null = null;

/** Sends one inspector command; the in-process session answers synchronously. */
function post<R>(method: string, params: object = {}): R {
  if (!session) {
    session = new inspector.Session();
    session.connect();
  }
  let failure: Error | null = null;
  let result: R | undefined;
  session.post(method, params, (error, value) => {
    failure = error;
    result = value as R;
  });
  if (failure) throw failure;
  return result as R;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Arms a breakpoint and returns its removal; never throws (no stop is better than no run). */
function arm(set: () => string | null): () => void {
  let breakpointId: string | null = null;
  try {
    post('Debugger.enable');
    breakpointId = set();
  } catch {
    breakpointId = null;
  }
  return () => {
    try {
      if (breakpointId) post('Debugger.removeBreakpoint', { breakpointId });
      post('Debugger.disable');
    } catch {
      // The session is gone with the process.
    }
  };
}

/** Runs `run`, then `disarm` once it (or the promise it returns) has settled. */
function runArmed<T>(run: () => T, disarm: () => void): T {
  let result: T;
  try {
    result = run();
  } catch (error) {
    disarm();
    throw error;
  }
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    (result as unknown as PromiseLike<unknown>).then(disarm, disarm);
  } else {
    disarm();
  }
  return result;
}

/** Init: stops on the first statement of `module` (a CommonJS file's path or an ES
 * module's URL; TypeScript through its source map) when `load` evaluates it. */
export function initStop<T>(load: () => T, module: string): T {
  const esm = module.startsWith('file:');
  const file = realPath(esm ? fileURLToPath(module) : module);
  // Node names an ES module by its file URL, a CommonJS script by its path. (TypeScript as
  // CommonJS is compiled already, under its path: nothing to take, and its script is the one
  // found below.)
  if (esm || !/\.[cm]?ts$/.test(file)) consumeEntryBreakpoint(esm ? pathToFileURL(file).href : file);
  // (vm-compiled modules go by path either way.)
  const urlRegex = `^(${escapeRegExp(file)}|${escapeRegExp(pathToFileURL(file).href)})$`;
  // With the Init profile, an ES module's first line starts with its enter mark: past it.
  const column = esm && profilingModules() ? ENTER_MARK.length : 0;
  const disarm = arm(() => {
    const set = (lineNumber: number) =>
      post<BreakpointSet>('Debugger.setBreakpointByUrl', {
        urlRegex,
        lineNumber,
        columnNumber: lineNumber === 0 ? column : 0,
      });
    const first = set(0);
    // A script compiled already (TypeScript as CommonJS): start after esbuild's module
    // preamble, if any.
    const scriptId = first.locations[0]?.scriptId;
    if (!scriptId) return first.breakpointId;
    const { scriptSource } = post<{ scriptSource: string }>('Debugger.getScriptSource', { scriptId });
    const line = firstUserLine(scriptSource);
    if (line === 0) return first.breakpointId;
    post('Debugger.removeBreakpoint', { breakpointId: first.breakpointId });
    return set(line).breakpointId;
  });
  return runArmed(load, disarm);
}

/** The JavaScript debugger sets a breakpoint on the first statement of each file that has
 * line breakpoints (its module entry breakpoint) and continues from any pause on it, also
 * when another breakpoint is hit there too, which would swallow the Init stop on the same
 * statement. It disables that breakpoint at its first hit: a one-statement script under the
 * module's own URL (`url`, as Node will name the module), run just before the module and
 * before the Init stop is armed, takes that hit (the debugger goes on from it without
 * showing a stop), so the Init stop on the module's first statement is shown. With no
 * such breakpoint set it runs straight through. */
function consumeEntryBreakpoint(url: string): void {
  try {
    vm.runInThisContext('0;', { filename: url });
  } catch {
    // A failure here costs only the stop.
  }
}

interface BreakpointSet {
  breakpointId: string;
  locations: Array<{ scriptId: string }>;
}

/** The line of the module's own first statement in a script esbuild turned into CommonJS
 * (TypeScript): after the interop preamble that ends by setting `module.exports`. */
function firstUserLine(source: string): number {
  const lines = source.split('\n', 200);
  if (!lines[0]?.startsWith('var __')) return 0;
  const end = lines.findIndex((line) => /^module\.exports = __toCommonJS\(/.test(line));
  return end < 0 ? 0 : end + 1;
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** A breakpoint on the next call of `target`, stopping on its body's first statement. */
function onNextCall(target: unknown): () => void {
  return arm(() => {
    if (typeof target !== 'function') return null;
    const key = `__lambdaPhaseStop${process.pid}`;
    (globalThis as Record<string, unknown>)[key] = target;
    try {
      const { result } = post<{ result: { objectId?: string } }>('Runtime.evaluate', {
        expression: `globalThis.${key}`,
      });
      if (!result.objectId) return null;
      const { breakpointId } = post<{ breakpointId: string }>('Debugger.setBreakpointOnFunctionCall', {
        objectId: result.objectId,
      });
      post('Runtime.releaseObject', { objectId: result.objectId });
      return breakpointId;
    } finally {
      delete (globalThis as Record<string, unknown>)[key];
    }
  });
}

/** Invoke: a phase stop on the first statement of the handler's body, with `event` and `context` in scope. */
export function invokeStop(handler: unknown): PhaseStop {
  return (call) => runArmed(call, onNextCall(handler));
}

/** Shutdown: stops on the first statement of the first SIGTERM listener the user registered;
 * returns false when there is none. The stop is removed after the listeners have run. */
export function shutdownStop(): boolean {
  const listener = process.listeners('SIGTERM')[0];
  if (!listener) return false;
  const disarm = onNextCall(listener);
  process.once('SIGTERM', () => setImmediate(disarm));
  return true;
}
