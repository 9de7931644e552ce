// Where a debugger holds an execution environment: before each phase the engine's owner
// is asked whether to stop (`beforePhase`), and the time it takes to answer counts toward
// no limit; the time the current invocation spent held or paused is kept here, and told
// to the Node runtime (the paused-ms file) so that getRemainingTimeInMillis() agrees.

import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Phase } from '../protocol/engineEvents';
import type { PhaseGate as PhaseGateInfo, ResolvedEngineOptions } from './options';
import { pausedClockFile } from './runtimeLaunch';

export interface PhaseGateContext {
  environmentId: string;
  functionName: string;
  options: ResolvedEngineOptions;
  isNode: boolean;
  environmentDir: string;
}

export class PhaseGate {
  /** Time the current invocation spent held at a phase stop or paused in a debugger. */
  pausedInInvocationMs = 0;

  constructor(private readonly ctx: PhaseGateContext) {}

  /** Asks whether to stop at the start of a phase; true: the runtime stops at its phase
   * point (only where it can: a debugger is attached to a Node runtime). */
  async ask(
    phase: Phase,
    requestId: string | null,
    cold: boolean,
    invocationCount: number,
    runtimeCanPause: boolean,
    sigterm: PhaseGateInfo['sigterm'] = null,
  ): Promise<boolean> {
    const { options } = this.ctx;
    const beforePhase = options.beforePhase;
    if (!beforePhase) return false;
    const canPause = runtimeCanPause && this.ctx.isNode && options.inspect;
    const asked = performance.now();
    let pause: boolean;
    try {
      pause = await beforePhase({
        environmentId: this.ctx.environmentId,
        functionName: this.ctx.functionName,
        phase,
        requestId,
        cold,
        invocationCount,
        runtimeCanPause: canPause,
        sigterm,
      });
    } catch {
      pause = false;
    }
    this.pausedInInvocationMs += performance.now() - asked;
    return pause && canPause;
  }

  /** Debugging: tells the runtime how long the invocation has been paused so far. */
  writePausedClock(ms: number): void {
    if (!this.ctx.options.inspect) return;
    try {
      fs.writeFileSync(pausedClockFile(this.ctx.environmentDir), String(Math.round(ms)));
    } catch {
      // The environment is going away.
    }
  }
}
