// The clock of a phase, with its limit (Init 10 s, the function timeout): time spent
// paused in a debugger does not count, as Lambda never sees it. Pausing stops the limit
// timer; resuming re-arms it with what was left.

import { performance } from 'node:perf_hooks';

export class PhaseClock {
  private readonly startedAt = performance.now();
  private pausedTotal = 0;
  private pausedAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  /** `onLimit` runs once the phase has run `limitMs` unpaused. */
  constructor(
    private readonly limitMs: number,
    private readonly onLimit: () => void,
  ) {
    this.arm();
  }

  /** Milliseconds run so far, paused time excluded. */
  elapsedMs(): number {
    const pausedNow = this.pausedAt === null ? 0 : performance.now() - this.pausedAt;
    return performance.now() - this.startedAt - this.pausedTotal - pausedNow;
  }

  remainingMs(): number {
    return Math.max(0, this.limitMs - this.elapsedMs());
  }

  /** Milliseconds spent paused so far. */
  pausedMs(): number {
    return this.pausedTotal + (this.pausedAt === null ? 0 : performance.now() - this.pausedAt);
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  pause(): void {
    if (this.stopped || this.pausedAt !== null) return;
    this.pausedAt = performance.now();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  resume(): void {
    if (this.stopped || this.pausedAt === null) return;
    this.pausedTotal += performance.now() - this.pausedAt;
    this.pausedAt = null;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    // Node may fire a timer up to a millisecond early; a limit is never cut short.
    this.timer = setTimeout(
      () => {
        if (this.remainingMs() > 0) this.arm();
        else this.onLimit();
      },
      Math.ceil(this.remainingMs()) + 1,
    );
  }
}
