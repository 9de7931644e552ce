// The clock of a phase, with its limit (Init 10 s, the function timeout): time spent
// paused in a debugger does not count, as Lambda never sees it. Pausing stops the limit
// timer; resuming re-arms it with what was left. The time source is injectable, so that
// tests run it on a fake clock.

import { performance } from 'node:perf_hooks';

/** Where a phase clock reads the time and sets its limit timer. */
export interface TimeSource {
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

/** The process's monotonic clock and Node's timers. */
export const systemTime: TimeSource = {
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export class PhaseClock {
  private readonly startedAt: number;
  private pausedTotal = 0;
  private pausedAt: number | null = null;
  private timer: unknown = null;
  private stopped = false;

  /** `onLimit` runs once the phase has run `limitMs` unpaused. */
  constructor(
    private readonly limitMs: number,
    private readonly onLimit: () => void,
    private readonly time: TimeSource = systemTime,
  ) {
    this.startedAt = time.now();
    this.arm();
  }

  /** Milliseconds run so far, paused time excluded. */
  elapsedMs(): number {
    const now = this.time.now();
    const pausedNow = this.pausedAt === null ? 0 : now - this.pausedAt;
    return now - this.startedAt - this.pausedTotal - pausedNow;
  }

  remainingMs(): number {
    return Math.max(0, this.limitMs - this.elapsedMs());
  }

  /** Milliseconds spent paused so far. */
  pausedMs(): number {
    return this.pausedTotal + (this.pausedAt === null ? 0 : this.time.now() - this.pausedAt);
  }

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  pause(): void {
    if (this.stopped || this.pausedAt !== null) return;
    this.pausedAt = this.time.now();
    this.disarm();
  }

  resume(): void {
    if (this.stopped || this.pausedAt === null) return;
    this.pausedTotal += this.time.now() - this.pausedAt;
    this.pausedAt = null;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.disarm();
  }

  private disarm(): void {
    if (this.timer !== null) this.time.clearTimer(this.timer);
    this.timer = null;
  }

  private arm(): void {
    // Node may fire a timer up to a millisecond early; a limit is never cut short.
    this.timer = this.time.setTimer(
      () => {
        if (this.remainingMs() > 0) this.arm();
        else this.onLimit();
      },
      Math.ceil(this.remainingMs()) + 1,
    );
  }
}
