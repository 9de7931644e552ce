// Lambda's shutdown of an environment's processes, after a reset or at Shutdown: when an
// extension is registered, the runtime gets SIGTERM and the extensions a SHUTDOWN event,
// within a budget (500 ms with internal extensions only, 2,000 ms with external ones);
// whatever still runs after it is killed.

import type { ChildProcess } from 'node:child_process';
import type { ShutdownReason } from '../protocol/engineEvents';
import { exitOf, signalGroup } from './externalExtensions';
import type { RuntimeApiServer } from './runtimeApiServer';
import type { RuntimeProcess } from './runtimeProcess';

export interface ShutdownTargets {
  runtime: RuntimeProcess | null;
  /** External extension processes (stopped or running). */
  extensions: ChildProcess[];
  server: RuntimeApiServer;
}

/** Ends every process; resolves once all have exited. `pause`: the Node runtime stops at
 * its shutdown phase point for a debugger. */
export async function stopProcesses(targets: ShutdownTargets, reason: ShutdownReason, pause = false): Promise<void> {
  const { runtime, extensions, server } = targets;
  const registered = server.extensions.size;
  if (runtime && !runtime.hasExited && registered > 0) {
    const budgetMs = extensions.length > 0 ? 2000 : 500;
    const deadlineMs = Date.now() + budgetMs;
    for (const child of extensions) if (child.pid) signalGroup(child.pid, 'SIGCONT');
    runtime.send(runtime.spec.kind === 'node' ? { t: 'shutdown', pause } : { t: 'thaw' });
    server.deliverToExtensions({
      eventType: 'SHUTDOWN',
      shutdownReason: reason === 'spindown' ? 'SPINDOWN' : reason === 'timeout' ? 'TIMEOUT' : 'FAILURE',
      deadlineMs,
    });
    runtime.signal('SIGTERM');
    const allExited = Promise.all([runtime.exited, ...extensions.map((c) => exitOf(c))]);
    await Promise.race([allExited, new Promise((r) => setTimeout(r, budgetMs))]);
  }
  for (const child of extensions) if (child.pid) signalGroup(child.pid, 'SIGKILL');
  if (runtime) await runtime.kill();
  await Promise.all(extensions.map((c) => exitOf(c)));
}
