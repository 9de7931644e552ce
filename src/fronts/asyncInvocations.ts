// Asynchronous invocation (`X-Amz-Invocation-Type: Event`) as Lambda runs it: the event is
// queued and 202 answered at once; the function runs in the background; after a function
// error (or timeout) Lambda tries twice more, about one minute and then two minutes later
// (the developer guide's "Asynchronous invocation"), or as many times as the function's
// EventInvokeConfig MaximumRetryAttempts says. A throttled try does not count: the event
// goes back to the queue and is tried again after 1 s, doubling up to 5 minutes, until it
// is older than MaximumEventAgeInSeconds (6 hours by default). The error retry delays are an
// option (`serve --event-retry-delays`) for a quicker local loop. Each try is a normal
// invocation: its logs print and the panel shows it, with the try number as trigger.

import { InvokeRejectedError, type PoolInvocationResult } from '../engine/pool';
import type { InvokeTarget, ServedFunction } from './servedFunctions';

export const ASYNC_RETRIES = 2;
/** Lambda's waits before the second and the third try of a failed event. */
export const LAMBDA_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];
export const MAX_EVENT_AGE_MS = 6 * 3600 * 1000;
const THROTTLE_FIRST_DELAY_MS = 1000;
const THROTTLE_MAX_DELAY_MS = 5 * 60_000;

export interface AsyncInvocationHooks {
  /** A line for the user (e.g. a retry announced, a throttled event dropped). */
  notice(line: string): void;
  /** Every try finished (for tests and the panel). */
  settled?(fn: ServedFunction, results: PoolInvocationResult[]): void;
}

export class AsyncInvocations {
  private readonly running = new Set<Promise<void>>();
  private readonly waits = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly target: InvokeTarget,
    private readonly hooks: AsyncInvocationHooks,
    private readonly retryDelaysMs: readonly number[] = LAMBDA_RETRY_DELAYS_MS,
  ) {}

  enqueue(fn: ServedFunction, payload: string, requestId: string, qualifier?: string): void {
    const work = this.run(fn, payload, requestId, qualifier).finally(() => this.running.delete(work));
    this.running.add(work);
  }

  /** Stops retrying (a waiting event is dropped) and waits for tries in flight. */
  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.waits]) wake();
    await Promise.allSettled([...this.running]);
  }

  private async run(fn: ServedFunction, payload: string, requestId: string, qualifier?: string): Promise<void> {
    const results: PoolInvocationResult[] = [];
    const config = fn.config.eventInvokeConfig;
    const tries = 1 + (config?.maximumRetryAttempts ?? ASYNC_RETRIES);
    const maxAgeMs = (config?.maximumEventAgeSeconds ?? MAX_EVENT_AGE_MS / 1000) * 1000;
    const queued = Date.now();
    const label = `Event ${requestId} for ${fn.id}`;
    let attempt = 1;
    let throttleDelay = THROTTLE_FIRST_DELAY_MS;
    while (!this.closed) {
      let result: PoolInvocationResult;
      try {
        result = await this.target.invoke(fn, payload, {
          qualifier,
          trigger: { kind: 'invokeApi', invocationType: 'Event', attempt },
        });
      } catch (error) {
        if (!(error instanceof InvokeRejectedError && error.errorType === 'TooManyRequestsException')) {
          const reason = error instanceof InvokeRejectedError ? error.errorType : (error as Error).message;
          this.hooks.notice(`${label}: try ${attempt} was not run (${reason}); the event is dropped.`);
          break;
        }
        if (Date.now() - queued + throttleDelay > maxAgeMs) {
          this.hooks.notice(`${label}: throttled past its maximum age (${maxAgeMs / 1000} s); the event is dropped.`);
          break;
        }
        this.hooks.notice(`${label}: throttled; back in the queue, tried again in ${throttleDelay / 1000} s.`);
        await this.delay(throttleDelay);
        throttleDelay = Math.min(throttleDelay * 2, THROTTLE_MAX_DELAY_MS);
        continue;
      }
      results.push(result);
      if (result.status === 'success') break;
      if (attempt >= tries) {
        this.hooks.notice(
          tries === 1
            ? `${label}: the try failed; the event is dropped.`
            : `${label}: every try failed; the event is dropped.`,
        );
        break;
      }
      const wait = this.retryDelaysMs[attempt - 1] ?? this.retryDelaysMs.at(-1) ?? 0;
      attempt++;
      this.hooks.notice(
        `${label}: try ${attempt - 1} failed; retrying in ${formatDelay(wait)} (try ${attempt} of ${tries}).`,
      );
      await this.delay(wait);
    }
    this.hooks.settled?.(fn, results);
  }

  /** Waits `ms`, or less when closing. */
  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waits.add(wake);
    });
  }
}

function formatDelay(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
