// Init in its three parts (Extension init, Runtime init, Function init) from what the
// environment timed and what the runtime reported, and the Init profile's paths as Lambda
// shows them (/var/task, /opt, /var/runtime/node_modules). Our own work (TypeScript, a
// debugger attaching or paused) is in none of the parts.

import type { InitPhases, InitProfileEntry } from '../protocol/engineEvents';
import { lambdaPath, type HostFolders } from './lambdaLayout';

export interface InitTimings {
  /** The Init Duration (our own work already left out). */
  initDurationMs: number;
  /** External extensions from their start until all registered. */
  extensionMs: number;
  /** The runtime's time loading the handler's module (its own work left out); null for a
   * custom runtime. */
  functionInitMs: number | null;
  /** Time paused in a debugger during Init (attributed to the function's top-level code,
   * the only code a user stops in). */
  pausedMs: number;
}

/** The three parts; Runtime init is what is left of the Init Duration (the runtime's process
 * starting, and a runtime started while extensions registered counts only once). */
export function initPhases(timings: InitTimings): InitPhases {
  const extensionMs = Math.max(0, Math.min(timings.extensionMs, timings.initDurationMs));
  const functionMs =
    timings.functionInitMs === null
      ? null
      : Math.max(0, Math.min(timings.functionInitMs - timings.pausedMs, timings.initDurationMs - extensionMs));
  const runtimeMs = Math.max(0, timings.initDurationMs - extensionMs - (functionMs ?? 0));
  return {
    extensionMs: round(extensionMs),
    runtimeMs: round(runtimeMs),
    functionMs: functionMs === null ? null : round(functionMs),
  };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** The profile with Lambda's paths; time paused in a debugger during Init is taken out of
 * the handler's module (where the Init stop is, and where Function init counts it). */
export function withLambdaPaths(entries: InitProfileEntry[], folders: HostFolders, pausedMs = 0): InitProfileEntry[] {
  return entries.map((entry, index) => {
    const paused = index === 0 && entry.depth === 0 ? Math.min(pausedMs, entry.selfMs) : 0;
    return {
      ...entry,
      resolved: entry.resolved && lambdaPath(entry.resolved, folders),
      selfMs: round(entry.selfMs - paused),
      totalMs: round(entry.totalMs - paused),
    };
  });
}
