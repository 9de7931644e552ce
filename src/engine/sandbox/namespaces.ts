// Lambda's filesystem from the kernel: whether this machine lets the engine give an
// environment its own mount namespace (Linux, root, util-linux's `unshare`, tmpfs), and
// the launch of a runtime inside one (namespaceSetup.sh.ts), with the paths the function
// sees there: /var/task, /var/runtime, /opt, /tmp. Node runtimes only for now.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NAMESPACE_SETUP } from './namespaceSetup.sh';

export const TASK_ROOT = '/var/task';
export const RUNTIME_ROOT = '/var/runtime';
/** The environment's folder (the engine's files for the runtime) inside the namespace. */
export const ENGINE_FILES = '/var/lld';

let available: boolean | undefined;

/** Checked once: a mount namespace with a tmpfs can be made here. */
export function namespacesAvailable(): boolean {
  if (available !== undefined) return available;
  available = false;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return available;
  const probe = spawnSync(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount -t tmpfs -o size=1m lld-probe /mnt && mount -o remount,bind,ro /',
    ],
    { stdio: 'ignore', timeout: 5000 },
  );
  available = probe.status === 0;
  return available;
}

export interface NamespaceLaunch {
  /** Host folders. */
  codeRoot: string;
  runtimeDir: string;
  environmentDir: string;
  layers: string[];
  tmpSizeMB: number;
}

/** The command that runs `executable args` inside a new namespace set up as Lambda's. */
export function namespaceCommand(
  launch: NamespaceLaunch,
  executable: string,
  args: string[],
): { command: string; args: string[] } {
  const stage = path.join(launch.environmentDir, 'namespace');
  fs.mkdirSync(stage, { recursive: true });
  // overlayfs: the leftmost lower folder wins, and Lambda's later layers win.
  const layers = [...launch.layers].reverse().join(':');
  return {
    command: 'unshare',
    args: [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      NAMESPACE_SETUP,
      'lld-namespace',
      launch.codeRoot,
      launch.runtimeDir,
      String(launch.tmpSizeMB),
      layers,
      stage,
      launch.environmentDir,
      executable,
      ...args,
    ],
  };
}

/** A host path as the function sees it in the namespace (for variables and settings). */
export function namespacePath(launch: NamespaceLaunch, hostPath: string): string {
  const within = (root: string, to: string) =>
    hostPath === root ? to : hostPath.startsWith(root + path.sep) ? to + hostPath.slice(root.length) : null;
  for (const layer of launch.layers) {
    const mapped = within(layer, '/opt');
    if (mapped) return mapped;
  }
  return (
    within(launch.codeRoot, TASK_ROOT) ??
    within(launch.runtimeDir, RUNTIME_ROOT) ??
    within(launch.environmentDir, ENGINE_FILES) ??
    hostPath
  );
}
