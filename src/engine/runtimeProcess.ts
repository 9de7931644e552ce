// The process of an execution environment's runtime: our Node runtime (dist/runtime/node)
// or, for provided.al2/al2023, the keeper (dist/runtime/keeper.js) that runs the user's
// `bootstrap` in its own process group and stops/continues it on request. Both speak the
// control channel on fd 3 (protocol/sandbox.ts). The process is started in its own
// process group so that ending it ends everything it started.

import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Duplex } from 'node:stream';
import { CONTROL_FD, EngineToRuntime, RuntimeToEngine, SourceSite, encodeMessage } from '../protocol/sandbox';

export interface RuntimeProcessSpec {
  kind: 'node' | 'custom';
  /** Node executable (also runs the keeper). */
  nodeExecutable: string;
  nodeArguments: string[];
  /** dist/runtime */
  runtimeDir: string;
  /** The code root: working directory. */
  cwd: string;
  env: Record<string, string>;
  /** V8 old-space cap for Node runtimes, in MB. */
  maxOldSpaceMB: number | null;
  /** The sandbox backend starts the process through a launcher (sandbox/namespaces.ts). */
  launcher?: (executable: string, args: string[]) => { command: string; args: string[] };
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

type Frozen = Extract<RuntimeToEngine, { t: 'frozen' }>;

export interface RuntimeProcessEvents {
  ready: [bootMs: number];
  output: [stream: 'stdout' | 'stderr', text: string, site?: SourceSite];
  frozen: [message: Frozen];
  inspector: [url: string];
  attached: [];
  exit: [exit: ProcessExit];
}

const isWindows = process.platform === 'win32';

/** V8's young generation as Lambda's Node bootstrap sizes it: a tenth of the memory, half
 * of it per semi-space (6 MB at 128 MB). With V8's default (16 MB) the young generation
 * of a small function grows by some 30 MB over its first thousands of warm invocations,
 * and its Max Memory Used climbs with it. */
function semiSpaceMB(memorySizeMB: number): number {
  return Math.max(1, Math.floor(Math.floor(memorySizeMB / 10) / 2));
}

export class RuntimeProcess extends EventEmitter<RuntimeProcessEvents> {
  private readonly child: ChildProcess;
  private readonly control: Duplex;
  private controlBuffer = '';
  /** The process whose memory counts: the runtime itself, or the keeper's bootstrap. */
  private measuredPid: number | undefined;
  private exitInfo: ProcessExit | null = null;
  readonly exited: Promise<ProcessExit>;
  readonly ready: Promise<number>;

  constructor(readonly spec: RuntimeProcessSpec) {
    super();
    const script =
      spec.kind === 'node'
        ? path.join(spec.runtimeDir, 'node', 'bootstrap.js')
        : path.join(spec.runtimeDir, 'keeper.js');
    const args = [
      ...(spec.kind === 'node' && spec.maxOldSpaceMB
        ? [`--max-old-space-size=${spec.maxOldSpaceMB}`, `--max-semi-space-size=${semiSpaceMB(spec.maxOldSpaceMB)}`]
        : []),
      ...(spec.kind === 'node' ? spec.nodeArguments : []),
      script,
    ];
    const launched = spec.launcher?.(spec.nodeExecutable, args) ?? { command: spec.nodeExecutable, args };
    this.child = spawn(launched.command, launched.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: !isWindows,
      windowsHide: true,
    });
    this.measuredPid = spec.kind === 'node' ? this.child.pid : undefined;
    this.control = this.child.stdio[CONTROL_FD] as Duplex;
    this.control.on('data', (chunk: Buffer) => this.onControlData(chunk));
    this.control.on('error', () => undefined);
    this.pipeOutput(this.child.stdout!, 'stdout');
    this.pipeOutput(this.child.stderr!, 'stderr');
    this.exited = new Promise((resolve) => {
      const done = (exit: ProcessExit) => {
        if (this.exitInfo) return;
        this.exitInfo = exit;
        this.emit('exit', exit);
        resolve(exit);
      };
      this.child.on('exit', (code, signal) => done({ code, signal }));
      this.child.on('error', () => done({ code: 127, signal: null }));
    });
    this.ready = new Promise((resolve, reject) => {
      this.once('ready', resolve);
      void this.exited.then((exit) => reject(new RuntimeStartError(spec, exit)));
    });
    this.ready.catch(() => undefined);
    this.debuggerAttached = new Promise((resolve) => {
      this.once('attached', resolve);
      void this.exited.then(() => resolve());
    });
  }

  /** Debugging: resolves once a debugger attached to the runtime (or the process ended). */
  readonly debuggerAttached: Promise<void>;

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== null;
  }

  send(message: EngineToRuntime): void {
    if (this.hasExited || this.control.destroyed) return;
    this.control.write(encodeMessage(message));
  }

  /** Sends a signal to the whole process group. */
  signal(signal: NodeJS.Signals): void {
    const groups: number[] = [];
    // A custom runtime's bootstrap has its own group, started by the keeper.
    if (this.spec.kind === 'custom' && this.measuredPid !== undefined) groups.push(this.measuredPid);
    if (this.child.pid !== undefined && !this.hasExited && (this.spec.kind === 'node' || signal === 'SIGKILL')) {
      groups.push(this.child.pid);
    }
    for (const pid of groups) {
      try {
        if (isWindows) this.child.kill(signal);
        else process.kill(-pid, signal);
      } catch {
        // Already gone.
      }
    }
  }

  /** Ends the process group at once and waits for the process to be gone. */
  async kill(): Promise<ProcessExit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** Resident memory now and the peak so far, in bytes (Linux; null elsewhere). */
  memory(): { rss: number; peak: number } | null {
    const pid = this.measuredPid;
    if (pid === undefined || process.platform !== 'linux') return null;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
      return { rss: field('VmRSS'), peak: field('VmHWM') };
    } catch {
      return null;
    }
  }

  private onControlData(chunk: Buffer): void {
    this.controlBuffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = this.controlBuffer.indexOf('\n')) >= 0) {
      const line = this.controlBuffer.slice(0, newline);
      this.controlBuffer = this.controlBuffer.slice(newline + 1);
      let message: RuntimeToEngine;
      try {
        message = JSON.parse(line) as RuntimeToEngine;
      } catch {
        continue;
      }
      switch (message.t) {
        case 'ready':
          this.emit('ready', message.bootMs);
          break;
        case 'started':
          this.measuredPid = message.pid;
          break;
        case 'out':
          this.emit('output', message.stream, message.text, message.site);
          break;
        case 'frozen':
          this.emit('frozen', message);
          break;
        case 'inspector':
          this.emit('inspector', message.url);
          break;
        case 'attached':
          this.emit('attached');
          break;
      }
    }
  }

  private pipeOutput(stream: Readable, name: 'stdout' | 'stderr'): void {
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => this.emit('output', name, text));
  }
}

export class RuntimeStartError extends Error {
  constructor(spec: RuntimeProcessSpec, exit: ProcessExit) {
    super(
      spec.kind === 'node'
        ? `The Node runtime process could not start (${spec.nodeExecutable}; exit ${exit.code ?? exit.signal}). Check that Node.js is installed and runnable.`
        : `The custom runtime could not start (exit ${exit.code ?? exit.signal}). Check that 'bootstrap' in the code root is an executable file.`,
    );
    this.name = 'RuntimeStartError';
  }
}
