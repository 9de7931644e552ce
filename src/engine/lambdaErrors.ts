// The errors the platform itself reports for an invocation or an Init (a timeout, a
// runtime that exited), in Lambda's wording, and how a JSON text the function received
// or returned is read back for events and results.

import type { LambdaError } from '../protocol/engineEvents';
import { describeExit } from './logFormat';
import type { ProcessExit } from './runtimeProcess';

/** An invocation that ran past the function's timeout. */
export function invocationTimeoutError(requestId: string, timeoutSeconds: number): LambdaError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
    trace: [],
  };
}

/** An Init that ran past its limit. */
export const initTimeoutError = (): LambdaError => ({
  errorType: 'Sandbox.Timedout',
  errorMessage: 'Init phase timed out',
  trace: [],
});

/** The runtime ended during an invocation (`requestId`) or during Init (null). */
export function runtimeExitError(requestId: string | null, exitDescription: string): LambdaError {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `${requestId ? `RequestId: ${requestId} ` : ''}Error: Runtime exited with error: ${exitDescription}`,
    trace: [],
  };
}

/** How a phase's end by exit is described: the process's own end, or killed for memory. */
export function phaseExitDescription(end: { kind: 'exit'; exit: ProcessExit } | { kind: 'outOfMemory' }): string {
  return end.kind === 'exit' ? describeExit(end.exit.code, end.exit.signal) : 'signal: killed';
}

/** JSON text as a value; text that is no JSON stays text. */
export function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
