// The portable CPU share: an environment's processes are stopped and continued in turn so
// that over time they run `share` of the wall clock (one vCPU at most), on any POSIX
// system. Each run slice is measured, and the stop that follows is sized from it, so a late
// timer costs accuracy for one slice only. Held (continued, no cycling) while the
// environment is frozen or being shut down.

/** Shortest run slice: shorter ones are dominated by timer and scheduling jitter. */
const MIN_RUN_MS = 20;
/** The cycle at shares where the run slice is longer than MIN_RUN_MS. */
const PERIOD_MS = 100;

export class DutyCycle {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private runStartedAt = 0;
  private stopPlannedMs = 0;
  private stopStartedAt = 0;
  /** Running time owed to the processes because a stop lasted longer than planned. */
  private creditMs = 0;
  private readonly runSliceMs: number;

  /** `share`: the fraction of one vCPU (below 1); `signal` stops/continues the processes. */
  constructor(
    private readonly share: number,
    private readonly signal: (signal: 'SIGSTOP' | 'SIGCONT') => void,
  ) {
    this.runSliceMs = Math.max(MIN_RUN_MS, share * PERIOD_MS);
  }

  /** The processes run, and are cycled from now on. */
  release(): void {
    if (this.timer || this.stopped) return;
    this.run();
  }

  /** The processes are continued and left running (no cycling) until `release`. */
  hold(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) {
      this.stopped = false;
      this.signal('SIGCONT');
    }
    this.creditMs = 0;
  }

  private run(): void {
    this.runStartedAt = performance.now();
    const slice = this.runSliceMs + Math.min(this.creditMs, this.runSliceMs);
    this.creditMs = 0;
    this.timer = setTimeout(() => this.stop(), slice);
  }

  private stop(): void {
    const ranMs = performance.now() - this.runStartedAt;
    this.stopPlannedMs = (ranMs * (1 - this.share)) / this.share;
    this.stopped = true;
    this.stopStartedAt = performance.now();
    this.signal('SIGSTOP');
    this.timer = setTimeout(() => this.resume(), this.stopPlannedMs);
  }

  private resume(): void {
    const overMs = performance.now() - this.stopStartedAt - this.stopPlannedMs;
    this.creditMs = Math.max(0, (overMs * this.share) / (1 - this.share));
    this.stopped = false;
    this.signal('SIGCONT');
    this.run();
  }
}
