// The phase under way in an execution environment, watched to its end: its clock and
// limit (paused while a debugger holds the process), the runtime's memory sampled against
// the configured size (the process killed past it when the limit is enforced), and how it
// ends — the runtime and every extension done, the runtime exited, the limit reached, or
// memory run out.

import { PhaseClock } from './phaseClock';
import type { PendingWork } from '../protocol/sandbox';
import type { ProcessExit, RuntimeProcess } from './runtimeProcess';

/** How a phase ended, as the environment observed it. */
export type PhaseEnd =
  | { kind: 'done'; pending: PendingWork[]; resumed: number[] }
  | { kind: 'exit'; exit: ProcessExit }
  | { kind: 'timeout' }
  | { kind: 'outOfMemory' };

const MEMORY_SAMPLE_MS = 20;

export interface PhaseWatchHost {
  /** The runtime process of the environment now. */
  runtime(): RuntimeProcess | null;
  /** Every registered extension waits for its next event. */
  extensionsReady(): boolean;
  /** The runtime reports its peak memory with the phase end (our Node runtime does). */
  reportsPeakAtEnd: boolean;
  /** The function's configured memory, in bytes. */
  memoryLimitBytes: number;
  /** Past the configured memory, the runtime is killed. */
  enforceMemoryLimit: boolean;
  /** The kernel's sandbox holds the memory (a cgroup): it kills past the limit, counts
   * its out-of-memory kills and knows the peak of every process in the environment. */
  kernelMemory: { peakBytes(): number | null; oomKills(): number } | null;
}

export class PhaseWatch {
  /** The runtime's peak resident memory seen so far, in bytes. */
  peakMemoryBytes = 0;
  /** The clock of the phase under way. */
  clock: PhaseClock | null = null;
  private current: {
    finish(end: PhaseEnd): void;
    runtimeDone: boolean;
    frozen: PendingWork[];
    resumed: number[];
    oomKillsBefore: number;
  } | null = null;

  constructor(private readonly host: PhaseWatchHost) {}

  /** Starts watching a phase of `limitMs`; resolves with its end. `onEnd` runs first,
   * with the phase's clock, stopped. */
  begin(limitMs: number, onEnd: (clock: PhaseClock) => void): Promise<PhaseEnd> {
    return new Promise<PhaseEnd>((resolve) => {
      let settled = false;
      const clock = (this.clock = new PhaseClock(limitMs, () => finish({ kind: 'timeout' })));
      const kernel = this.host.kernelMemory;
      const oomKillsBefore = kernel?.oomKills() ?? 0;
      const sampler = setInterval(() => {
        const memory = this.host.runtime()?.memory();
        if (!memory) return;
        this.peakMemoryBytes = Math.max(this.peakMemoryBytes, memory.peak, memory.rss);
        if (!kernel && this.host.enforceMemoryLimit && memory.rss > this.host.memoryLimitBytes) {
          this.host.runtime()?.signal('SIGKILL');
          finish({ kind: 'outOfMemory' });
        }
      }, MEMORY_SAMPLE_MS);
      const finish = (end: PhaseEnd) => {
        if (settled) return;
        settled = true;
        clock.stop();
        if (this.clock === clock) this.clock = null;
        clearInterval(sampler);
        // The Node runtime reported its peak with the phase end; otherwise read it now.
        const memory = this.host.reportsPeakAtEnd && end.kind === 'done' ? null : this.host.runtime()?.memory();
        if (memory) this.peakMemoryBytes = Math.max(this.peakMemoryBytes, memory.peak);
        this.peakMemoryBytes = Math.max(this.peakMemoryBytes, kernel?.peakBytes() ?? 0);
        this.current = null;
        onEnd(clock);
        resolve(end);
      };
      this.current = { finish, runtimeDone: false, frozen: [], resumed: [], oomKillsBefore };
    });
  }

  /** The runtime froze at its phase end, with the work it left pending. */
  runtimeFrozen(pending: PendingWork[], resumed: number[], maxRssBytes: number): void {
    if (this.current) {
      this.current.frozen = pending;
      this.current.resumed = resumed;
    }
    this.peakMemoryBytes = Math.max(this.peakMemoryBytes, maxRssBytes);
    this.runtimeDone();
  }

  /** The runtime is done with the phase (a custom runtime asked for its next event). */
  runtimeDone(): void {
    if (!this.current) return;
    this.current.runtimeDone = true;
    this.check();
  }

  /** Ends the phase once the runtime and every extension are done with it. */
  check(): void {
    const phase = this.current;
    if (phase?.runtimeDone && this.host.extensionsReady()) {
      phase.finish({ kind: 'done', pending: phase.frozen, resumed: phase.resumed });
    }
  }

  /** The runtime exited: ends the phase under way, if any (false: there was none). */
  runtimeExited(exit: ProcessExit): boolean {
    if (!this.current) return false;
    // Killed by the kernel past the cgroup's memory limit: out of memory, as Lambda says it.
    const kernel = this.host.kernelMemory;
    const outOfMemory = exit.signal === 'SIGKILL' && !!kernel && kernel.oomKills() > this.current.oomKillsBefore;
    this.current.finish(outOfMemory ? { kind: 'outOfMemory' } : { kind: 'exit', exit });
    return true;
  }
}
