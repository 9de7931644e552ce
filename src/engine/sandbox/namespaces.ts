// Lambda's filesystem from the kernel: whether this machine lets the engine give an
// environment its own mount namespace (Linux, root, util-linux's `unshare`, tmpfs), and
// the environment's namespace (set up by namespaceSetup.sh.ts, held by a sleeping process)
// that each runtime enters, with the paths the function sees there: /var/task,
// /var/runtime, /opt, /tmp (and ours: /var/lld, /var/lld-cache), for every runtime and its
// external extensions.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NAMESPACE_SETUP } from './namespaceSetup.sh';

export const TASK_ROOT = '/var/task';
export const RUNTIME_ROOT = '/var/runtime';
/** The environment's folder (the engine's files for the runtime) inside the namespace. */
export const ENGINE_FILES = '/var/lld';
/** The per-user cache as the runtime sees it: the folders it reads, bound read-only. */
export const CACHE_ROOT = '/var/lld-cache';
/** The cache's folders bound there: transpiled TypeScript, the runtime's AWS SDK. */
const CACHE_PARTS = ['typescript', 'aws-sdk'];

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
  /** Writes outside /tmp fail with EROFS (false: the read-only filesystem turned off). */
  readOnly: boolean;
  /** The runtime's Node executable: its folder is bound at /var/lang/bin, as on Lambda. */
  nodeExecutable: string;
  /** The per-user cache (provision/cache.ts): its TypeScript and AWS SDK at /var/lld-cache. */
  cacheDir: string;
}

/** Where the runtime's Node is inside the namespace (Lambda's own place for it). */
export function namespaceNodeExecutable(launch: NamespaceLaunch): string {
  return `/var/lang/bin/${path.basename(launch.nodeExecutable)}`;
}

/** The environment's namespace, held by a sleeping process for as long as the environment
 * lives: each runtime (a new one after a reset) enters it, so /tmp outlives the runtime as
 * on Lambda. Resolves once the namespace is set up. */
export function startNamespaceHolder(launch: NamespaceLaunch): Promise<ChildProcess> {
  const { command, args } = namespaceCommand(launch, 'sh', ['-c', 'echo ready; exec sleep infinity']);
  const holder = spawn(command, args, { cwd: launch.codeRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  return new Promise((resolve, reject) => {
    let errors = '';
    holder.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    holder.stdout!.once('data', () => resolve(holder));
    holder.once('exit', (code) =>
      reject(new Error(`The environment's mount namespace could not be set up (exit ${code}): ${errors}`)),
    );
    holder.once('error', reject);
  });
}

/** The command that runs `executable args` in the namespace the process `holderPid` holds. */
export function enterNamespaceCommand(
  holderPid: number,
  executable: string,
  args: string[],
): { command: string; args: string[] } {
  return {
    command: 'nsenter',
    args: [
      '--target',
      String(holderPid),
      '--mount',
      '--',
      'sh',
      '-c',
      'cd /var/task && exec "$0" "$@"',
      executable,
      ...args,
    ],
  };
}

/** The command that runs `executable args` inside a new namespace set up as Lambda's. */
function namespaceCommand(
  launch: NamespaceLaunch,
  executable: string,
  args: string[],
): { command: string; args: string[] } {
  const stage = path.join(launch.environmentDir, 'namespace');
  fs.mkdirSync(stage, { recursive: true });
  // Bound even while empty: what the engine puts there later shows through.
  for (const part of CACHE_PARTS) fs.mkdirSync(path.join(launch.cacheDir, part), { recursive: true });
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
      launch.readOnly ? 'ro' : 'rw',
      path.dirname(launch.nodeExecutable),
      launch.cacheDir,
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
  for (const part of CACHE_PARTS) {
    const mapped = within(path.join(launch.cacheDir, part), `${CACHE_ROOT}/${part}`);
    if (mapped) return mapped;
  }
  return (
    within(launch.codeRoot, TASK_ROOT) ??
    within(launch.runtimeDir, RUNTIME_ROOT) ??
    within(launch.environmentDir, ENGINE_FILES) ??
    hostPath
  );
}
