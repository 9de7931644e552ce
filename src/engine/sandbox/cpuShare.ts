// How much CPU an environment gets: Lambda gives memory / 1,769 MB of a vCPU, up to six
// vCPUs at 10,240 MB; here it is also capped by the machine's cores. Used by both sandbox
// backends (a cgroup CPU quota, or duty-cycling the processes) and shown by the UI.

import * as os from 'node:os';

/** The memory size that buys one full vCPU. */
export const MB_PER_VCPU = 1769;
/** Lambda's most vCPUs (at 10,240 MB). */
export const MAX_VCPUS = 6;

/** `share`: CPU in proportion to memory, as on Lambda; `full`: the machine's full speed. */
export type CpuMode = 'share' | 'full';

/** The vCPUs Lambda gives `memorySizeMB`, capped by `cores` (default: this machine's). */
export function cpuShareOf(memorySizeMB: number, cores = availableCores()): number {
  return Math.min(memorySizeMB / MB_PER_VCPU, MAX_VCPUS, cores);
}

export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
