// The runtime process's peak resident memory, for Max Memory Used. On Linux from
// /proc/self/status (VmHWM: this program's own peak since exec); getrusage's maxRSS would
// also count the engine's memory at the moment it forked the process (after a Node
// download, or from VS Code's extension host, far above the function's own use).

import { readFileSync } from 'node:fs';

export function peakRssBytes(): number {
  if (process.platform === 'linux') {
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) return Number(match[1]) * 1024;
    } catch {
      // No /proc: fall back below.
    }
  }
  return process.resourceUsage().maxRSS * 1024;
}
