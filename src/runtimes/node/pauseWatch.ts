// Time the runtime's thread spends paused in a debugger, seen from inside: an in-process
// inspector session hears V8's Debugger.paused and Debugger.resumed for every pause, the
// debugger's steps included (a step is a resume and a pause). The debugger itself tells
// the engine only of the stops it shows; stepping from the Init stop through the module
// would otherwise count as Function init. Used only while a debugger is attached.

import * as inspector from 'node:inspector';
import { performance } from 'node:perf_hooks';

export class PauseWatch {
  private readonly session = new inspector.Session();
  private pausedAt: number | null = null;
  private totalMs = 0;

  /** Starts watching, when a debugger can pause this thread (the inspector is open). */
  static start(): PauseWatch | null {
    if (inspector.url() === undefined) return null;
    try {
      return new PauseWatch();
    } catch {
      return null;
    }
  }

  private constructor() {
    this.session.connect();
    // The session's events arrive on this thread while it is paused (V8 runs the inspector's
    // message loop meanwhile).
    this.session.on('Debugger.paused', () => {
      this.pausedAt ??= performance.now();
    });
    this.session.on('Debugger.resumed', () => {
      if (this.pausedAt !== null) this.totalMs += performance.now() - this.pausedAt;
      this.pausedAt = null;
    });
    this.session.post('Debugger.enable');
  }

  /** Milliseconds paused since the start. */
  pausedMs(): number {
    return this.totalMs + (this.pausedAt === null ? 0 : performance.now() - this.pausedAt);
  }

  /** Stops watching; the time paused meanwhile. */
  stop(): number {
    const paused = this.pausedMs();
    try {
      this.session.post('Debugger.disable');
      this.session.disconnect();
    } catch {
      // Gone with the process.
    }
    return paused;
  }
}
