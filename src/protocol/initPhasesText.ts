// How Init's three parts are said in words, the same in the Debug Console and the state panel:
// "Init 412 ms = Extension 0 ms + Runtime 180 ms + Function 232 ms (ours, not counted:
// TypeScript 35 ms); before it, ours: fetching Node.js v22.11.0 4210 ms".

import type { InitPhases, OwnWork } from './engineEvents';

const ms = (value: number): string => `${Math.round(value)} ms`;

/** The parts, their sum first; our own work after, when there was any. */
export function initPhasesLine(init: { durationMs: number; initPhases?: InitPhases; ownWork?: OwnWork }): string {
  const phases = init.initPhases;
  if (!phases) return `Init ${ms(init.durationMs)}`;
  const parts = [
    `Extension ${ms(phases.extensionMs)}`,
    phases.functionMs === null ? `Runtime and function ${ms(phases.runtimeMs)}` : `Runtime ${ms(phases.runtimeMs)}`,
    ...(phases.functionMs === null ? [] : [`Function ${ms(phases.functionMs)}`]),
  ];
  const fetched = fetchedText(init.ownWork);
  return `Init ${ms(init.durationMs)} = ${parts.join(' + ')}${ownWorkText(init.ownWork)}${fetched ? `; ${fetched}` : ''}`;
}

/** What this machine fetched before the Init (a Node binary, the runtime's SDK), which Lambda
 * has ready: in neither the Init Duration nor its parts. Empty when nothing was fetched. */
export function fetchedText(own: OwnWork | null | undefined): string {
  if (!own?.fetched?.length) return '';
  return `before it, ours: ${own.fetched.map((f) => `fetching ${f.what} ${ms(f.ms)}`).join(', ')}`;
}

/** Our own work during Init, said apart (empty when there was none worth saying). */
export function ownWorkText(own: OwnWork | undefined): string {
  if (!own) return '';
  const items = [
    ...(own.typescriptMs >= 1 ? [`TypeScript ${ms(own.typescriptMs)}`] : []),
    ...(own.debuggerMs >= 1 ? [`debugger ${ms(own.debuggerMs)}`] : []),
  ];
  return items.length ? ` (ours, not counted: ${items.join(', ')})` : '';
}
