// One invocation's outcome as it forms in an execution environment: its time against the
// function's timeout (time held by a debugger excluded), its status, error, response and
// the work left pending, the reset it calls for, the platform's lines for a timeout or a
// crash, and at the end its REPORT figures and its result.

import { performance } from 'node:perf_hooks';
import type {
  InvocationReport,
  InvocationResult,
  InvocationStatus,
  LambdaError,
  ShutdownReason,
} from '../protocol/engineEvents';
import type { PendingWork } from '../protocol/sandbox';
import type { EnvironmentLog } from './environmentLog';
import { invocationTimeoutError, parseJsonOrText, runtimeExitError } from './lambdaErrors';
import { invocationReport, runtimeExitLine, timeoutLine } from './logFormat';
import type { RuntimeOutcome } from './runtimeApiServer';

export type EnvironmentInvocationResult = InvocationResult & { initLogs: string | null };
type RecordedResult = Omit<EnvironmentInvocationResult, 'nodeVersion'>;

export class InvocationRecord {
  status: InvocationStatus = 'success';
  error: LambdaError | null = null;
  responseBody: Buffer | null = null;
  pending: PendingWork[] = [];
  resumed: number[] = [];
  /** Set when the runtime has to be reset after the invocation. */
  reset: ShutdownReason | null = null;
  private readonly started = performance.now();

  constructor(
    readonly requestId: string,
    private readonly timeoutSeconds: number,
    /** Time the invocation has spent held at a phase stop or paused in a debugger. */
    private readonly pausedMs: () => number,
    private readonly log: EnvironmentLog,
  ) {}

  /** Time run so far, paused time excluded. */
  durationMs(): number {
    return performance.now() - this.started - this.pausedMs();
  }

  /** What is left of the function's timeout. */
  remainingMs(): number {
    return Math.max(0, this.timeoutSeconds * 1000 - this.durationMs());
  }

  /** What the runtime answered (a response or an error), if it did. */
  answered(outcome: RuntimeOutcome | null): void {
    if (outcome?.kind === 'response') this.responseBody = outcome.body;
    if (outcome?.kind === 'error') this.error = outcome.error;
  }

  /** The runtime and every extension finished the phase. */
  done(pending: PendingWork[], resumed: number[]): void {
    this.status = this.error ? 'error' : 'success';
    this.pending = pending;
    this.resumed = resumed;
  }

  timedOut(): void {
    // In the JSON log, the runtimeDone and report records say it (status timeout).
    this.log.platform(timeoutLine(this.requestId, this.timeoutSeconds), null);
    this.status = 'timeout';
    this.error = invocationTimeoutError(this.requestId, this.timeoutSeconds);
    this.reset = 'timeout';
  }

  /** The Init retried inside the invocation failed with `error`. */
  initFailed(error: LambdaError): void {
    this.status = 'error';
    this.error = error;
    this.reset = 'failure';
  }

  /** The runtime exited, or was killed for memory. */
  crashed(exitDescription: string): void {
    // In the JSON log, the runtimeDone and report records say it (Runtime.ExitError).
    this.log.platform(runtimeExitLine(this.requestId, exitDescription), null);
    this.status = 'crash';
    this.error ??= runtimeExitError(this.requestId, exitDescription);
    this.reset = 'failure';
  }

  report(figures: {
    durationMs: number;
    memorySizeMB: number;
    peakMemoryBytes: number;
    initDurationMs: number | null;
  }): InvocationReport {
    return invocationReport({
      requestId: this.requestId,
      ...figures,
      // A crash that reset the environment used all its memory, as Lambda reports it.
      usedAllMemory: this.status === 'crash' && !!this.reset,
      status: this.status,
      errorType: this.status === 'success' ? null : (this.error?.errorType ?? null),
    });
  }

  result(
    environmentId: string,
    cold: boolean,
    report: InvocationReport,
    logs: string,
    initLogs: string | null,
  ): RecordedResult {
    return {
      requestId: this.requestId,
      environmentId,
      cold,
      status: this.status,
      result:
        this.status === 'success' && this.responseBody ? parseJsonOrText(this.responseBody.toString('utf8')) : null,
      responseBody: this.responseBody,
      error: this.error,
      report,
      logs,
      initLogs,
      pending: this.pending,
    };
  }
}
