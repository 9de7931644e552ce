// The platform's log lines, in Lambda's formats: START, END, REPORT, INIT_REPORT, the
// timeout line, the runtime-exit line; and the figures derived for them.

import type { InvocationReport, InvocationStatus } from '../protocol/engineEvents';

export const startLine = (requestId: string): string => `START RequestId: ${requestId} Version: $LATEST`;

export const endLine = (requestId: string): string => `END RequestId: ${requestId}`;

export const ms = (value: number): string => value.toFixed(2);

/**
 * Billed duration: the duration, plus Init Duration on a cold start (Lambda bills the Init
 * phase of on-demand invocations since August 2025), rounded up to the next millisecond.
 */
export const billedDuration = (durationMs: number, initDurationMs: number | null = null): number =>
  Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0)));

export const bytesToMB = (bytes: number): number => Math.max(1, Math.round(bytes / (1024 * 1024)));

/** An invocation's REPORT figures. `usedAllMemory`: it ended for want of memory. */
export function invocationReport(figures: {
  requestId: string;
  durationMs: number;
  memorySizeMB: number;
  peakMemoryBytes: number;
  usedAllMemory: boolean;
  initDurationMs: number | null;
  status: InvocationStatus;
  errorType: string | null;
}): InvocationReport {
  return {
    requestId: figures.requestId,
    durationMs: figures.durationMs,
    billedDurationMs: billedDuration(figures.durationMs, figures.initDurationMs),
    memorySizeMB: figures.memorySizeMB,
    maxMemoryUsedMB: Math.min(
      bytesToMB(figures.peakMemoryBytes),
      figures.usedAllMemory ? figures.memorySizeMB : Infinity,
    ),
    initDurationMs: figures.initDurationMs,
    status: figures.status,
    errorType: figures.errorType,
  };
}

export function reportLine(report: InvocationReport): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${ms(report.durationMs)} ms`,
    `Billed Duration: ${report.billedDurationMs} ms`,
    `Memory Size: ${report.memorySizeMB} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMB} MB`,
  ];
  if (report.initDurationMs !== null) fields.push(`Init Duration: ${ms(report.initDurationMs)} ms`);
  if (report.status === 'timeout') fields.push('Status: timeout');
  else if (report.status === 'crash' && report.errorType)
    fields.push('Status: error', `Error Type: ${report.errorType}`);
  return fields.join('\t');
}

export function initReportLine(
  durationMs: number,
  phase: 'init' | 'invoke',
  status: 'timeout' | 'error',
  errorType: string | null,
): string {
  const base = `INIT_REPORT Init Duration: ${ms(durationMs)} ms\tPhase: ${phase}\tStatus: ${status}`;
  return status === 'error' && errorType ? `${base}\tError Type: ${errorType}` : base;
}

export const timeoutLine = (requestId: string, timeoutSeconds: number): string =>
  `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;

export const runtimeExitLine = (requestId: string | null, exitDescription: string): string =>
  `${requestId ? `RequestId: ${requestId} ` : ''}Error: Runtime exited with error: ${exitDescription}\nRuntime.ExitError`;

/** How Lambda describes a process end: `exit status 1`, `signal: killed`. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) {
    const names: Partial<Record<NodeJS.Signals, string>> = {
      SIGKILL: 'killed',
      SIGTERM: 'terminated',
      SIGABRT: 'aborted (core dumped)',
      SIGSEGV: 'segmentation fault (core dumped)',
      SIGINT: 'interrupt',
    };
    return `signal: ${names[signal] ?? signal}`;
  }
  return `exit status ${code ?? 0}`;
}
