// An environment's external extensions: the executables in its layers' extensions/
// folders, started at Init in process groups of their own (through the sandbox: in the
// environment's namespace and cgroup where it has them), waited for until each has
// registered with the Extensions API (or ended), stopped with the environment at freeze
// and continued at thaw, and ended at shutdown. The environment forwards the Extensions
// API server's `extensionsChanged` here; nothing is polled.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

const isWindows = process.platform === 'win32';

/** External extensions: executables in the layers' extensions/ folders (a later layer's
 * file of the same name replaces an earlier one's, as Lambda merges layers). */
export function discoverExtensions(layers: string[]): string[] {
  const found = new Map<string, string>();
  for (const layer of layers) {
    const dir = path.join(layer, 'extensions');
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) found.set(name, path.join(dir, name));
  }
  return [...found.values()].filter((file) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

export interface ExtensionSpawn {
  cwd: string;
  env: Record<string, string>;
  onOutput(stream: 'stdout' | 'stderr', text: string): void;
  /** How the sandbox starts an executable (sandbox/environmentSandbox.ts); as is when absent. */
  launch?(file: string, env: Record<string, string>): { command: string; args: string[]; env: Record<string, string> };
  /** An extension process started: the sandbox adopts it (its cgroup). */
  started?(pid: number | undefined): void;
}

export class ExternalExtensions {
  private children: ChildProcess[] = [];
  /** Re-checks the registration wait under way (on a registration or an exit). */
  private recheck: (() => void) | null = null;

  /** Extension processes started and not yet handed over to shutdown. */
  get count(): number {
    return this.children.length;
  }

  /** Starts every executable, each in a process group of its own. */
  start(executables: string[], spec: ExtensionSpawn): void {
    this.children = executables.map((file) => {
      const launched = spec.launch?.(file, spec.env) ?? { command: file, args: [], env: spec.env };
      const child = spawn(launched.command, launched.args, {
        cwd: spec.cwd,
        env: launched.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: !isWindows,
      });
      spec.started?.(child.pid);
      return child;
    });
    for (const child of this.children) {
      child.stdout?.setEncoding('utf8').on('data', (t: string) => spec.onOutput('stdout', t));
      child.stderr?.setEncoding('utf8').on('data', (t: string) => spec.onOutput('stderr', t));
      child.on('error', () => undefined);
    }
  }

  /** The Extensions API saw a registration or a readiness change. */
  changed(): void {
    this.recheck?.();
  }

  /** Resolves once every started extension has registered or ended, or after `limitMs`.
   * `registered()` counts the registrations the Extensions API holds. */
  registered(registered: () => number, limitMs: number): Promise<void> {
    const children = this.children;
    if (children.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(deadline);
        for (const child of children) child.off('exit', check);
        if (this.recheck === check) this.recheck = null;
        resolve();
      };
      const check = () => {
        const exited = children.filter(hasExited).length;
        if (registered() + exited >= children.length) finish();
      };
      const deadline = setTimeout(finish, limitMs);
      for (const child of children) child.on('exit', check);
      this.recheck = check;
      check();
    });
  }

  /** Freeze: nothing of the extensions runs until the next thaw. */
  freeze(): void {
    this.signalRunning('SIGSTOP');
  }

  thaw(): void {
    this.signalRunning('SIGCONT');
  }

  /** Hands the processes over to a shutdown: this object forgets them. */
  takeAll(): ChildProcess[] {
    const children = this.children;
    this.children = [];
    return children;
  }

  private signalRunning(signal: NodeJS.Signals): void {
    if (isWindows) return;
    for (const child of this.children) {
      if (child.pid === undefined || hasExited(child)) continue;
      signalGroup(child.pid, signal);
    }
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Signals a process's whole group (the process alone on Windows). */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    if (isWindows) process.kill(pid, signal);
    else process.kill(-pid, signal);
  } catch {
    // Gone.
  }
}

export function exitOf(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
