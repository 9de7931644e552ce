// The runtime's end of the control channel (fd 3, see protocol/sandbox.ts). Writes are
// synchronous so that output and phase ends reach the engine in order; `waitForThaw`
// blocks the whole process (no timer, promise or socket callback of the environment
// runs) until the engine sends the next message: that is the freeze.

import * as fs from 'node:fs';
import { CONTROL_FD, EngineToRuntime, RuntimeToEngine, encodeMessage } from '../../protocol/sandbox';

let pending = '';
const buffer = Buffer.alloc(64 * 1024);
let cleanup: () => void = () => {};

/** What to remove when the engine disappears (the environment's temp folder). */
export function onEngineGone(action: () => void): void {
  cleanup = action;
}

export function send(message: RuntimeToEngine): void {
  const data = Buffer.from(encodeMessage(message));
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(CONTROL_FD, data, offset);
    } catch (error) {
      if (retryable(error)) continue;
      engineGone();
    }
  }
}

/** Blocks until the engine's next message. Ends the process if the engine is gone. */
export function waitForMessage(): EngineToRuntime {
  for (;;) {
    const newline = pending.indexOf('\n');
    if (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      return JSON.parse(line) as EngineToRuntime;
    }
    let count: number;
    try {
      count = fs.readSync(CONTROL_FD, buffer, 0, buffer.length, null);
    } catch (error) {
      if (retryable(error)) continue;
      return engineGone();
    }
    if (count === 0) return engineGone();
    pending += buffer.toString('utf8', 0, count);
  }
}

/** The engine's process ended without shutting us down (crash or kill): end the whole
 * process group so nothing of the environment outlives it. */
function engineGone(): never {
  try {
    cleanup();
  } catch {
    // Best effort: the engine sweeps orphaned folders when it next starts.
  }
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // Not a group leader: only this process.
  }
  process.exit(137);
}

/** A signal (SIGTERM at shutdown) interrupts a blocking read; that is not the engine going away. */
function retryable(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EAGAIN' || code === 'EINTR';
}
