// The kernel side of one environment's sandbox: which backend runs it and how its CPU
// share, memory limit and freeze are enforced. Where the engine may create cgroups, a
// cgroup does all three for the runtime and every process it starts; elsewhere (the
// portable backend) the CPU share is a duty cycle of stops and continues, memory is
// sampled (phaseWatch.ts) and the freeze is the runtime's own (control channel, SIGSTOP).

import type { CpuMachine, CpuShareInfo, SandboxKind } from '../../protocol/engineEvents';
import type { ChildProcess } from 'node:child_process';
import type { RuntimeProcess } from '../runtimeProcess';
import { detectCgroups, EnvironmentCgroup } from './cgroups';
import { availableCores, cpuShareOf, type CpuMode } from './cpuShare';
import { cpuShareHeld } from '../../config/functionConfig';
import { DutyCycle } from './dutyCycle';
import type { SandboxSettings } from '../../protocol/sandbox';
import {
  enterNamespaceCommand,
  namespaceNodeExecutable,
  startNamespaceHolder,
  namespacePath,
  namespacesAvailable,
  CACHE_ROOT,
  RUNTIME_ROOT,
  TASK_ROOT,
  type NamespaceLaunch,
} from './namespaces';

/** How a runtime starts in Lambda's filesystem (runtimeLaunch.ts). */
export interface KernelLaunch {
  settings: SandboxSettings;
  variables: Record<string, string>;
  runtimeDir: string;
  launcher: (executable: string, args: string[]) => { command: string; args: string[] };
}

/** `auto`: the kernel's sandbox where the machine allows it; `portable`: never. */
export type SandboxMode = 'auto' | 'portable';

export interface SandboxSpec {
  environmentId: string;
  memorySizeMB: number;
  cpu: CpuMode;
  sandbox: SandboxMode;
  enforceMemoryLimit: boolean;
  /** A debugger talks to the runtime between invocations: no cgroup freeze. */
  inspect: boolean;
  /** Lambda's filesystem in a mount namespace, where the machine allows it (Node runtimes). */
  namespace: NamespaceLaunch | null;
}

/** What would hold an environment's CPU share on this machine under `sandbox` (the
 * Configuration view says it before any environment runs): a cgroup CPU quota where the
 * engine may create cgroups, else duty-cycling (not on Windows). */
export function cpuMechanism(sandbox: SandboxMode): CpuMachine['mechanism'] {
  if (sandbox === 'auto' && detectCgroups()?.dirs.cpu) return 'cgroup';
  return process.platform === 'win32' ? 'none' : 'dutyCycle';
}

/** Whether an environment runs in Lambda's filesystem (a mount namespace, with a cgroup):
 * decided the same way before it exists (code transpiled ahead under /var/task) and when
 * it is created. Every runtime (a custom one's bootstrap too) and its external extensions,
 * with a debugger attached too (it maps /var/task back to the code's folder). */
export function runsInNamespace(sandbox: SandboxMode): boolean {
  return sandbox === 'auto' && detectCgroups() !== null && namespacesAvailable();
}

export class EnvironmentSandbox {
  readonly kind: SandboxKind;
  readonly cpuShare: CpuShareInfo;
  private runtime: RuntimeProcess | null = null;
  private dutyCycle: DutyCycle | null = null;
  /** The process that holds the environment's mount namespace. */
  private holder: ChildProcess | null = null;

  private constructor(
    private readonly spec: SandboxSpec,
    private readonly cgroup: EnvironmentCgroup | null,
    private readonly namespace: NamespaceLaunch | null,
  ) {
    this.kind = namespace ? 'namespaces+cgroup' : cgroup ? 'cgroup' : 'portable';
    this.cpuShare = cpuShareHeld(spec.memorySizeMB, {
      mode: spec.cpu,
      mechanism: cgroup?.enforcesCpu ? 'cgroup' : cpuMechanism('portable'),
      cores: availableCores(),
    });
  }

  static create(spec: SandboxSpec): EnvironmentSandbox {
    const host = spec.sandbox === 'auto' ? detectCgroups() : null;
    const cgroup = host
      ? EnvironmentCgroup.create(host, spec.environmentId, {
          cpus: spec.cpu === 'share' ? cpuShareOf(spec.memorySizeMB) : null,
          memoryBytes: spec.enforceMemoryLimit ? spec.memorySizeMB * 1024 * 1024 : null,
        })
      : null;
    const namespace = cgroup && spec.namespace && namespacesAvailable() ? spec.namespace : null;
    return new EnvironmentSandbox(spec, cgroup, namespace);
  }

  /** Sets up the environment's namespace (before its first runtime starts). */
  async prepare(): Promise<void> {
    if (!this.namespace || this.holder) return;
    const holder = await startNamespaceHolder(this.namespace);
    this.holder = holder;
    if (holder.pid !== undefined) this.cgroup?.add(holder.pid);
  }

  /** Debugging: where the function's code is as the runtime sees it, and on the host. */
  get pathMapping(): { remoteRoot: string; localRoot: string } | null {
    return this.namespace ? { remoteRoot: TASK_ROOT, localRoot: this.namespace.codeRoot } : null;
  }

  /** /tmp as the function sees it, from the host (in a namespace: through /proc). */
  tmpView(): string | null {
    const pid = this.holder?.pid;
    return pid !== undefined && this.holder?.exitCode === null ? `/proc/${pid}/root/tmp` : null;
  }

  /** The runtime's launch in Lambda's filesystem; undefined outside a namespace. */
  namespaceLaunch(
    settings: SandboxSettings,
    variables: Record<string, string>,
    runtimeDir: string,
  ): KernelLaunch | undefined {
    const ns = this.namespace;
    const holderPid = this.holder?.pid;
    if (!ns || holderPid === undefined) return undefined;
    const mapped = this.lambdaVariables(ns, variables);
    return {
      settings: {
        ...settings,
        // The kernel answers: ENOSPC from the tmpfs, EROFS from the read-only mounts.
        tmpDir: '/tmp',
        tmpCapBytes: Number.MAX_SAFE_INTEGER,
        readOnly: false,
        layers: [],
        environmentDir: namespacePath(ns, settings.environmentDir),
        pausedClockFile: settings.pausedClockFile && namespacePath(ns, settings.pausedClockFile),
        // The cache's folders as bound at /var/lld-cache (read-only: the engine fills them).
        cacheDir: settings.cacheDir && CACHE_ROOT,
        runtimeModules: settings.runtimeModules && {
          ...settings.runtimeModules,
          dir: namespacePath(ns, settings.runtimeModules.dir),
        },
        // Only what the namespace leaves outside Lambda's places (the runtime's SDK); /tmp is a tmpfs.
        lambdaPaths: (settings.lambdaPaths ?? [])
          .map((m) => ({ real: namespacePath(ns, m.real), lambda: m.lambda }))
          .filter((m) => m.real !== m.lambda && m.lambda !== '/tmp'),
      },
      variables: mapped,
      runtimeDir: namespacePath(ns, runtimeDir) === runtimeDir ? runtimeDir : RUNTIME_ROOT,
      launcher: (executable, args) =>
        enterNamespaceCommand(
          holderPid,
          executable === ns.nodeExecutable ? namespaceNodeExecutable(ns) : executable,
          args,
        ),
    };
  }

  /** An external extension's start in the environment: in Lambda's filesystem (its file
   * under /opt/extensions, the variables' paths Lambda's) where the environment has one.
   * Once started, `adopt` puts it in the cgroup: it shares the environment's memory limit,
   * CPU share and freeze, as on Lambda. */
  extensionLaunch(
    executable: string,
    variables: Record<string, string>,
  ): { command: string; args: string[]; env: Record<string, string> } {
    const ns = this.namespace;
    const holderPid = this.holder?.pid;
    if (!ns || holderPid === undefined) return { command: executable, args: [], env: variables };
    return {
      ...enterNamespaceCommand(holderPid, namespacePath(ns, executable), []),
      env: this.lambdaVariables(ns, variables),
    };
  }

  /** A process of the environment other than its runtime (an external extension) joins
   * its cgroup. */
  adopt(pid: number | undefined): void {
    if (pid !== undefined) this.cgroup?.add(pid);
  }

  /** The variables with their host paths as the function sees them in the namespace. */
  private lambdaVariables(ns: NamespaceLaunch, variables: Record<string, string>): Record<string, string> {
    const mapList = (value: string) =>
      value
        .split(':')
        .map((p) => namespacePath(ns, p))
        .filter((p, i, all) => all.indexOf(p) === i)
        .join(':');
    const mapped = { ...variables };
    for (const name of ['LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'NODE_PATH', 'LD_LIBRARY_PATH']) {
      if (mapped[name] !== undefined) mapped[name] = mapList(mapped[name]);
    }
    return mapped;
  }

  /** Where the kernel enforces the memory limit: the peak of everything in the
   * environment and the out-of-memory kills (phaseWatch.ts); null in the portable sandbox. */
  get kernelMemory(): { peakBytes(): number | null; oomKills(): number } | null {
    const cgroup = this.cgroup;
    if (!cgroup?.enforcesMemory || !this.spec.enforceMemoryLimit) return null;
    return { peakBytes: () => cgroup.peakMemoryBytes(), oomKills: () => cgroup.oomKills() };
  }

  /** A runtime process was started: it (and what it starts) joins the sandbox. Its CPU
   * share holds from now, its boot included, as on Lambda. */
  attach(runtime: RuntimeProcess): void {
    this.dutyCycle?.hold();
    this.runtime = runtime;
    if (runtime.pid !== undefined) this.cgroup?.add(runtime.pid);
    // A new runtime after a reset: its peak is its own.
    this.cgroup?.resetPeak();
    if (this.cpuShare.enforcedBy === 'dutyCycle') {
      this.dutyCycle = new DutyCycle(this.cpuShare.vcpus, (signal) => {
        if (this.runtime === runtime && !runtime.hasExited) runtime.signal(signal);
      });
      this.dutyCycle.release();
      void runtime.exited.then(() => {
        if (this.runtime === runtime) this.dutyCycle?.hold();
      });
    }
  }

  /** Before a phase, or before the processes are stopped: everything runs again. */
  thaw(): void {
    this.cgroup?.thaw();
    this.dutyCycle?.release();
  }

  /** Before the shutdown sequence: continued, no cycling (signals must be delivered). */
  release(): void {
    this.dutyCycle?.hold();
    this.cgroup?.thaw();
  }

  /** After a phase: nothing of the environment runs until `thaw`. */
  freeze(): void {
    this.dutyCycle?.hold();
    if (!this.spec.inspect) this.cgroup?.freeze();
  }

  /** Debugging: while a debugger holds the runtime (attaching to it, or paused in it, the
   * phase's clock stopped), the work in it is the debugger's (its protocol, the stack and
   * variables it reads), not the function's: the cgroup's CPU quota is lifted meanwhile.
   * (The portable sandbox's duty cycle keeps cycling.) */
  debuggerHolds(held: boolean): void {
    this.cgroup?.liftCpuQuota(held);
  }

  /** Removes the cgroup (ending anything left in it). */
  async dispose(): Promise<void> {
    this.dutyCycle?.hold();
    this.dutyCycle = null;
    this.runtime = null;
    this.holder?.kill('SIGKILL');
    this.holder = null;
    await this.cgroup?.remove();
  }
}
