// Which processes run with a given environment variable (Linux /proc): how tests, the
// end-to-end run and the benchmark find an execution environment's processes, and check
// that none is left behind.

import * as fs from 'node:fs';

/** Pids of the processes whose environment holds `NAME=value` exactly. */
export function processesWithVariable(name, value) {
  const wanted = `${name}=${value}\0`;
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').includes(wanted)) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

/** A process's parent pid (Linux /proc), or null when it is gone. */
export function parentOf(pid) {
  try {
    const match = /^PPid:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
