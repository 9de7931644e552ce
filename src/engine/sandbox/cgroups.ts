// The engine's cgroups (Linux, cgroup v2 or v1, where the engine may create them): one per
// environment under the engine's own cgroup, for its CPU quota, its memory limit (enforced
// by the kernel, peak read back) and its freezer. Named `<engine pid>-<environment id>` so
// that groups left by an engine that crashed are swept at the next engine start.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../paths';

const GROUP = 'lambda-lifecycle';
const CPU_PERIOD_US = 100_000;

export type Controller = 'cpu' | 'memory' | 'freezer';

/** Where the engine may create groups: one folder per controller (the same one on v2). */
export interface CgroupHost {
  version: 'v1' | 'v2';
  dirs: Partial<Record<Controller, string>>;
}

let detected: CgroupHost | null | undefined;

/** The cgroups this process may create, or null (not Linux, no rights, no controller). */
export function detectCgroups(): CgroupHost | null {
  if (detected !== undefined) return detected;
  detected = process.platform === 'linux' ? (probe() ?? null) : null;
  return detected;
}

function probe(): CgroupHost | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  } catch {
    return undefined;
  }
  const own = new Map<string, string>();
  for (const line of lines) {
    const [, controllers, where] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === undefined) continue;
    for (const name of controllers.split(',')) own.set(name, where);
  }
  // v2 only where the unified hierarchy is the mount itself and has the controllers.
  const unified = '/sys/fs/cgroup/cgroup.controllers';
  if (fs.existsSync(unified) && own.has('')) {
    const base = path.join('/sys/fs/cgroup', own.get('')!, GROUP);
    const available = fs.readFileSync(unified, 'utf8').split(/\s+/);
    if (available.includes('cpu') && available.includes('memory') && prepareBase(base, true)) {
      return { version: 'v2', dirs: { cpu: base, memory: base, freezer: base } };
    }
    return undefined;
  }
  const dirs: CgroupHost['dirs'] = {};
  for (const controller of ['cpu', 'memory', 'freezer'] as const) {
    const mount = path.join('/sys/fs/cgroup', controller);
    if (!own.has(controller) || !fs.existsSync(path.join(mount, 'cgroup.procs'))) continue;
    const base = path.join(mount, own.get(controller)!, GROUP);
    if (prepareBase(base, false)) dirs[controller] = base;
  }
  return dirs.cpu || dirs.memory ? { version: 'v1', dirs } : undefined;
}

function prepareBase(base: string, v2: boolean): boolean {
  try {
    fs.mkdirSync(base, { recursive: true });
    // v2: the engine's group delegates its controllers to the environments' groups.
    if (v2) fs.writeFileSync(path.join(base, 'cgroup.subtree_control'), '+cpu +memory');
    return true;
  } catch {
    return false;
  }
}

export interface CgroupLimits {
  /** vCPUs (a fraction of one, or several); null: no quota. */
  cpus: number | null;
  /** Bytes; null: no limit. */
  memoryBytes: number | null;
}

/** One environment's cgroup (a folder per controller on v1). */
export class EnvironmentCgroup {
  private removed = false;

  /** The CPU quota, in vCPUs (null: none). */
  private cpus: number | null = null;

  private constructor(
    private readonly host: CgroupHost,
    private readonly dirs: Partial<Record<Controller, string>>,
  ) {}

  /** Creates the group with its limits; null when it cannot be created. */
  static create(host: CgroupHost, environmentId: string, limits: CgroupLimits): EnvironmentCgroup | null {
    const name = `${process.pid}-${environmentId}`;
    const dirs: Partial<Record<Controller, string>> = {};
    try {
      for (const [controller, base] of Object.entries(host.dirs) as [Controller, string][]) {
        const dir = path.join(base, name);
        if (!Object.values(dirs).includes(dir)) fs.mkdirSync(dir, { recursive: true });
        dirs[controller] = dir;
      }
      const group = new EnvironmentCgroup(host, dirs);
      group.applyLimits(limits);
      return group;
    } catch {
      new EnvironmentCgroup(host, dirs).removeNow();
      return null;
    }
  }

  get enforcesCpu(): boolean {
    return !!this.dirs.cpu;
  }

  get enforcesMemory(): boolean {
    return !!this.dirs.memory;
  }

  get canFreeze(): boolean {
    return !!this.dirs.freezer;
  }

  /** Moves a process (and so everything it starts from now on) into the group. */
  add(pid: number): void {
    for (const dir of new Set(Object.values(this.dirs))) {
      try {
        fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
      } catch {
        // Gone already.
      }
    }
  }

  freeze(): void {
    this.setFrozen(true);
  }

  /** Lifts the group's CPU quota (`lifted`), or sets it again. */
  liftCpuQuota(lifted: boolean): void {
    const dir = this.dirs.cpu;
    if (!dir || this.cpus === null) return;
    const quota = lifted ? null : quotaOf(this.cpus);
    if (this.host.version === 'v1') trySet(path.join(dir, 'cpu.cfs_quota_us'), quota === null ? '-1' : String(quota));
    else trySet(path.join(dir, 'cpu.max'), `${quota ?? 'max'} ${CPU_PERIOD_US}`);
  }

  thaw(): void {
    this.setFrozen(false);
  }

  /** The memory peak of everything in the group, in bytes (null: unknown). */
  peakMemoryBytes(): number | null {
    const dir = this.dirs.memory;
    if (!dir) return null;
    const file = this.host.version === 'v1' ? 'memory.max_usage_in_bytes' : 'memory.peak';
    const value = readNumber(path.join(dir, file));
    return value ?? readNumber(path.join(dir, this.host.version === 'v1' ? 'memory.usage_in_bytes' : 'memory.current'));
  }

  /** Starts the peak anew (a new runtime process after a reset). */
  resetPeak(): void {
    const dir = this.dirs.memory;
    if (dir) trySet(path.join(dir, this.host.version === 'v1' ? 'memory.max_usage_in_bytes' : 'memory.peak'), '0');
  }

  /** Times the kernel's out-of-memory killer ran in the group. */
  oomKills(): number {
    const dir = this.dirs.memory;
    if (!dir) return 0;
    try {
      const text = fs.readFileSync(
        path.join(dir, this.host.version === 'v1' ? 'memory.oom_control' : 'memory.events'),
        'utf8',
      );
      return Number(/^oom_kill (\d+)/m.exec(text)?.[1] ?? 0);
    } catch {
      return 0;
    }
  }

  /** Ends whatever still runs in the group and removes it; resolves once it is gone. */
  async remove(): Promise<void> {
    if (this.removed) return;
    for (let attempt = 0; attempt < 50; attempt++) {
      if (this.removeNow()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** One attempt: kills the members, thaws, removes the folders. True when all are gone. */
  removeNow(): boolean {
    this.thaw();
    let gone = true;
    for (const dir of new Set(Object.values(this.dirs))) {
      if (!removeGroupDir(dir)) gone = false;
    }
    this.removed = gone;
    return gone;
  }

  private applyLimits(limits: CgroupLimits): void {
    const { cpu, memory } = this.dirs;
    if (cpu && limits.cpus !== null) {
      this.cpus = limits.cpus;
      const quota = quotaOf(limits.cpus);
      if (this.host.version === 'v1') {
        fs.writeFileSync(path.join(cpu, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
        fs.writeFileSync(path.join(cpu, 'cpu.cfs_quota_us'), String(quota));
      } else {
        fs.writeFileSync(path.join(cpu, 'cpu.max'), `${quota} ${CPU_PERIOD_US}`);
      }
    }
    if (memory && limits.memoryBytes !== null) {
      if (this.host.version === 'v1') {
        fs.writeFileSync(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        trySet(path.join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
        trySet(path.join(memory, 'memory.swappiness'), '0');
      } else {
        fs.writeFileSync(path.join(memory, 'memory.max'), String(limits.memoryBytes));
        trySet(path.join(memory, 'memory.swap.max'), '0');
      }
    }
  }

  private setFrozen(frozen: boolean): void {
    const dir = this.dirs.freezer;
    if (!dir) return;
    if (this.host.version === 'v1') trySet(path.join(dir, 'freezer.state'), frozen ? 'FROZEN' : 'THAWED');
    else trySet(path.join(dir, 'cgroup.freeze'), frozen ? '1' : '0');
  }
}

/** The CFS quota (µs per period) of a share of `cpus` vCPUs. */
function quotaOf(cpus: number): number {
  return Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
}

/** Removes groups left behind by engines that are no longer running (a crash, Ctrl-C). */
export function sweepCgroups(host: CgroupHost | null = detectCgroups()): void {
  if (!host) return;
  for (const base of new Set(Object.values(host.dirs))) {
    let names: string[];
    try {
      names = fs
        .readdirSync(base, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      continue;
    }
    for (const name of names) {
      const owner = Number(/^(\d+)-/.exec(name)?.[1]);
      if (!owner || (owner !== process.pid && isAlive(owner))) continue;
      if (owner === process.pid) continue;
      const dir = path.join(base, name);
      const freezer = host.dirs.freezer ? path.join(host.dirs.freezer, name) : null;
      if (freezer)
        trySet(
          path.join(freezer, host.version === 'v1' ? 'freezer.state' : 'cgroup.freeze'),
          host.version === 'v1' ? 'THAWED' : '0',
        );
      removeGroupDir(dir);
    }
  }
}

/** Kills the group's members and removes its folder; true once it is gone. */
function removeGroupDir(dir: string): boolean {
  if (!fs.existsSync(dir)) return true;
  try {
    for (const pid of fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    fs.rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

function trySet(file: string, value: string): void {
  try {
    fs.writeFileSync(file, value);
  } catch {
    // The kernel does not offer it.
  }
}

function readNumber(file: string): number | null {
  try {
    const value = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}
