// Asynchronous invocation (`X-Amz-Invocation-Type: Event`): Lambda queues the event, answers
// 202 at once, runs the function in the background and retries it twice after a function
// error (or timeout), waiting between tries. Lambda waits about one and two minutes; the
// delays here are options (short by default) so a local loop stays quick. Each try is a
// normal invocation: its logs print and the panel shows it, with the try number as trigger.

import { InvokeRejectedError, type PoolInvocationResult } from '../engine/pool';
import type { InvokeTarget, ServedFunction } from './servedFunctions';

export const ASYNC_RETRIES = 2;

export interface AsyncInvocationHooks {
  /** A line for the user (e.g. a retry announced, a throttled event dropped). */
  notice(line: string): void;
  /** Every try finished (for tests and the panel). */
  settled?(fn: ServedFunction, results: PoolInvocationResult[]): void;
}

export class AsyncInvocations {
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly target: InvokeTarget,
    private readonly hooks: AsyncInvocationHooks,
    private readonly retryDelaysMs: readonly number[] = [1000, 2000],
  ) {}

  enqueue(fn: ServedFunction, payload: string, requestId: string, qualifier?: string): void {
    const work = this.run(fn, payload, requestId, qualifier).finally(() => this.running.delete(work));
    this.running.add(work);
  }

  /** Stops retrying and waits for tries in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running]);
  }

  private async run(fn: ServedFunction, payload: string, requestId: string, qualifier?: string): Promise<void> {
    const results: PoolInvocationResult[] = [];
    for (let attempt = 1; attempt <= ASYNC_RETRIES + 1 && !this.closed; attempt++) {
      if (attempt > 1) {
        this.hooks.notice(
          `Event ${requestId} for ${fn.id}: try ${attempt - 1} failed; retrying (try ${attempt} of ${ASYNC_RETRIES + 1}).`,
        );
        await this.delay(this.retryDelaysMs[attempt - 2] ?? 0);
        if (this.closed) break;
      }
      let result: PoolInvocationResult;
      try {
        result = await this.target.invoke(fn, payload, {
          qualifier,
          trigger: { kind: 'invokeApi', invocationType: 'Event', attempt },
        });
      } catch (error) {
        const reason = error instanceof InvokeRejectedError ? error.errorType : (error as Error).message;
        this.hooks.notice(`Event ${requestId} for ${fn.id}: try ${attempt} was not run (${reason}).`);
        if (error instanceof InvokeRejectedError && error.errorType === 'TooManyRequestsException') continue;
        break;
      }
      results.push(result);
      if (result.status === 'success') break;
      if (attempt === ASYNC_RETRIES + 1)
        this.hooks.notice(`Event ${requestId} for ${fn.id}: every try failed; the event is dropped.`);
    }
    this.hooks.settled?.(fn, results);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms).unref());
  }
}
