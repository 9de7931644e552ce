// The filesystem of an execution environment as the function sees it, installed in the
// runtime process before user code loads: literal `/tmp/...` paths (strings, Buffers,
// file: URLs) through Node's fs API (sync, callback, promises, streams) land in the
// environment's own folder and paths coming back show `/tmp` again; os.tmpdir() is
// `/tmp`; writes outside /tmp (and /dev) fail with EROFS; /tmp is capped at the
// ephemeral-storage size (ENOSPC); `/opt/...` reads come from the layers.

import * as path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';

// The real module objects (not a bundler's read-only namespace copies): user code shares them.
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require('node:fs') as typeof import('node:fs');
const os = require('node:os') as typeof import('node:os');
/* eslint-enable @typescript-eslint/no-require-imports */

export interface FilesystemSandboxOptions {
  tmpDir: string;
  tmpCapBytes: number;
  readOnly: boolean;
  layers: string[];
  /** Host folders that keep their real paths even when they lie under the host's /tmp:
   * the code root, the runtime, the engine's folder (Node's module loader uses fs too). */
  hostPaths?: string[];
}

export interface FilesystemSandbox {
  toRealPath(p: string): string;
  toLambdaPath(p: string): string;
  refreshTmpUsage(): number;
  tmpUsedBytes(): number;
}

type Access = 'read' | 'write';
/** For each fs function: which arguments are paths and whether it writes there. */
const SPECS: Record<string, Array<[index: number, access: Access]>> = {
  access: [[0, 'read']],
  exists: [[0, 'read']],
  stat: [[0, 'read']],
  lstat: [[0, 'read']],
  statfs: [[0, 'read']],
  readFile: [[0, 'read']],
  readdir: [[0, 'read']],
  readlink: [[0, 'read']],
  realpath: [[0, 'read']],
  opendir: [[0, 'read']],
  createReadStream: [[0, 'read']],
  watch: [[0, 'read']],
  watchFile: [[0, 'read']],
  unwatchFile: [[0, 'read']],
  writeFile: [[0, 'write']],
  appendFile: [[0, 'write']],
  mkdir: [[0, 'write']],
  mkdtemp: [[0, 'write']],
  rm: [[0, 'write']],
  rmdir: [[0, 'write']],
  unlink: [[0, 'write']],
  chmod: [[0, 'write']],
  lchmod: [[0, 'write']],
  chown: [[0, 'write']],
  lchown: [[0, 'write']],
  utimes: [[0, 'write']],
  lutimes: [[0, 'write']],
  truncate: [[0, 'write']],
  createWriteStream: [[0, 'write']],
  rename: [
    [0, 'write'],
    [1, 'write'],
  ],
  copyFile: [
    [0, 'read'],
    [1, 'write'],
  ],
  cp: [
    [0, 'read'],
    [1, 'write'],
  ],
  link: [
    [0, 'read'],
    [1, 'write'],
  ],
  symlink: [
    [0, 'read'],
    [1, 'write'],
  ],
  open: [[0, 'read']],
};

const WRITE_FLAGS =
  fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND;

function opensForWrite(flags: unknown): boolean {
  if (typeof flags === 'number') return (flags & WRITE_FLAGS) !== 0;
  if (typeof flags === 'string') return /[wa+]/.test(flags);
  return false;
}

function fsError(code: 'EROFS' | 'ENOSPC', syscall: string, shownPath?: string): NodeJS.ErrnoException {
  const text = code === 'EROFS' ? 'read-only file system' : 'no space left on device';
  const error: NodeJS.ErrnoException = new Error(`${code}: ${text}, ${syscall}${shownPath ? ` '${shownPath}'` : ''}`);
  error.errno = code === 'EROFS' ? -30 : -28;
  error.code = code;
  error.syscall = syscall;
  if (shownPath) error.path = shownPath;
  return error;
}

export function installFilesystemSandbox(options: FilesystemSandboxOptions): FilesystemSandbox {
  const tmpDir = path.resolve(options.tmpDir);
  const original = { ...fs } as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originalPromises = { ...fs.promises } as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const tmpFds = new Set<number>();
  /** FileHandles (fs.promises.open) on files in /tmp. */
  const tmpHandles = new WeakSet<object>();
  let used = 0;
  /** Set when a file in /tmp may have grown without a counted write (truncate). */
  let usageStale = false;

  const walk = (dir: string): number => {
    let total = 0;
    for (const entry of original.readdirSync(dir, { withFileTypes: true }) as import('node:fs').Dirent[]) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) total += walk(full);
      else if (entry.isFile()) total += (original.statSync(full) as import('node:fs').Stats).size;
    }
    return total;
  };
  const refreshTmpUsage = () => (used = walk(tmpDir));

  const asString = (p: unknown): string | null => {
    if (typeof p === 'string') return p;
    if (Buffer.isBuffer(p)) return p.toString('utf8');
    if (p instanceof URL && p.protocol === 'file:') return fileURLToPath(p);
    return null;
  };
  const hostPaths = (options.hostPaths ?? []).map((h) => path.resolve(h));
  const isHostPath = (p: string) => hostPaths.some((h) => p === h || p.startsWith(h + '/'));
  const isTmp = (p: string) => (p === '/tmp' || p.startsWith('/tmp/')) && !isHostPath(p);
  const isOpt = (p: string) => p === '/opt' || p.startsWith('/opt/');
  const toRealPath = (p: string): string => {
    if (isTmp(p)) return tmpDir + p.slice(4);
    if (isOpt(p) && options.layers.length > 0) {
      const rest = p.slice(4);
      for (const layer of [...options.layers].reverse()) {
        const candidate = layer + rest;
        if (original.existsSync(candidate)) return candidate;
      }
      return options.layers[options.layers.length - 1] + rest;
    }
    return p;
  };
  /** A path in /tmp as the function names it or as the host does. */
  const inTmp = (p: string) => isTmp(p) || p === tmpDir || p.startsWith(tmpDir + '/');
  /** A folder under /opt lists what every layer has there, a later layer's entry winning. */
  const listOpt = (lambdaPath: string, readdirOptions: unknown): unknown[] => {
    const rest = lambdaPath.slice(4);
    const byName = new Map<string, unknown>();
    let found = false;
    for (const layer of options.layers) {
      const dir = layer + rest;
      if (!original.existsSync(dir)) continue;
      found = true;
      for (const entry of original.readdirSync(dir, readdirOptions) as Array<string | import('node:fs').Dirent>) {
        if (typeof entry === 'string') {
          byName.set(entry, entry);
          continue;
        }
        // Dirents name their folder under /opt, not in the layer.
        const parent = '/opt' + rest + path.relative(dir, entry.parentPath ?? entry.path).replace(/^(?=.)/, '/');
        for (const key of ['path', 'parentPath']) {
          Object.defineProperty(entry, key, { value: parent, configurable: true, writable: true });
        }
        byName.set(path.join(parent, entry.name), entry);
      }
    }
    // None has it: the read fails as it would on Lambda (ENOENT for the last layer's path).
    if (!found)
      return original.readdirSync(options.layers[options.layers.length - 1] + rest, readdirOptions) as unknown[];
    return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
  };
  const listsOpt = (name: string, lambdaPath: string) =>
    name === 'readdir' && isOpt(lambdaPath) && options.layers.length > 1;
  const toLambdaPath = (p: string): string =>
    p === tmpDir || p.startsWith(tmpDir + path.sep) ? '/tmp' + p.slice(tmpDir.length).split(path.sep).join('/') : p;
  const unmapText = (text: string) => text.split(tmpDir).join('/tmp');

  /** Where a write may go: /tmp and /dev, or anywhere when the filesystem is writable. */
  const writable = (p: string): boolean => {
    if (!options.readOnly) return true;
    const resolved = path.resolve(p);
    return (
      isTmp(resolved) ||
      resolved === tmpDir ||
      resolved.startsWith(tmpDir + '/') ||
      resolved === '/dev' ||
      resolved.startsWith('/dev/')
    );
  };

  const unmapError = (error: unknown): unknown => {
    const e = error as NodeJS.ErrnoException & { dest?: string };
    if (e && typeof e === 'object') {
      if (typeof e.message === 'string') e.message = unmapText(e.message);
      if (typeof e.path === 'string') e.path = toLambdaPath(e.path);
      if (typeof e.dest === 'string') e.dest = toLambdaPath(e.dest);
    }
    return error;
  };
  const unmapResult = (name: string, value: unknown): unknown => {
    if (typeof value === 'string' && ['mkdtemp', 'realpath', 'readlink', 'mkdir'].includes(name))
      return toLambdaPath(value);
    if (Array.isArray(value) && name === 'readdir') {
      for (const entry of value) {
        if (entry && typeof entry === 'object') {
          for (const key of ['path', 'parentPath']) {
            const v = (entry as Record<string, unknown>)[key];
            if (typeof v === 'string')
              Object.defineProperty(entry, key, { value: toLambdaPath(v), configurable: true, writable: true });
          }
        }
      }
    }
    return value;
  };

  /** Checks space for `bytes` more in /tmp; recounts for real before refusing. */
  const reserve = (bytes: number): boolean => {
    if (usageStale || used + bytes > options.tmpCapBytes) {
      usageStale = false;
      refreshTmpUsage();
    }
    if (used + bytes > options.tmpCapBytes) return false;
    used += bytes;
    return true;
  };
  const dataLength = (data: unknown): number =>
    typeof data === 'string' ? Buffer.byteLength(data) : ArrayBuffer.isView(data) ? data.byteLength : 0;

  /** Maps the arguments; returns an error to deliver instead of calling, if any. */
  const prepare = (name: string, args: unknown[]): NodeJS.ErrnoException | null => {
    for (const [index, access] of SPECS[name]) {
      const given = asString(args[index]);
      if (given === null) continue;
      let writes = access === 'write' || (name === 'open' && opensForWrite(args[1]));
      if (name === 'symlink' && index === 0) writes = false;
      if (writes && (isOpt(given) || !writable(given)))
        return fsError(
          'EROFS',
          ['createWriteStream', 'writeFile', 'appendFile', 'open'].includes(name) ? 'open' : name,
          given,
        );
      if (index === 0 && name === 'symlink') {
        if (isTmp(given)) args[0] = toRealPath(given);
        continue;
      }
      if (isTmp(given) || isOpt(given)) args[index] = toRealPath(given);
      if (name === 'truncate' && isTmp(given)) usageStale = true;
      if ((name === 'writeFile' || name === 'appendFile') && isTmp(given) && !reserve(dataLength(args[1]))) {
        return fsError('ENOSPC', 'write');
      }
    }
    return null;
  };

  const target = fs as unknown as Record<string, unknown>;
  const promisesTarget = fs.promises as unknown as Record<string, unknown>;
  for (const name of Object.keys(SPECS)) {
    const sync = original[`${name}Sync`];
    if (sync) {
      target[`${name}Sync`] = function (this: unknown, ...args: unknown[]) {
        const lambdaPath = asString(args[0]) ?? '';
        if (listsOpt(name, lambdaPath)) return listOpt(lambdaPath, args[1]);
        const denied = prepare(name, args);
        if (denied) throw denied;
        try {
          const value = sync.apply(this, args);
          if (name === 'open' && inTmp(lambdaPath)) tmpFds.add(value as number);
          return unmapResult(name, value);
        } catch (error) {
          throw unmapError(error);
        }
      };
    }
    const callbackStyle = original[name];
    if (callbackStyle) {
      target[name] = function (this: unknown, ...args: unknown[]) {
        const lambdaPath = asString(args[0]) ?? '';
        const last = args[args.length - 1];
        if (listsOpt(name, lambdaPath) && typeof last === 'function') {
          let listing: unknown[];
          try {
            listing = listOpt(lambdaPath, args.length > 2 ? args[1] : undefined);
          } catch (error) {
            return void process.nextTick(last as (e: unknown) => void, error);
          }
          return void process.nextTick(last as (e: unknown, l: unknown[]) => void, null, listing);
        }
        const denied = prepare(name, args);
        const isStreamOrWatch = name.startsWith('create') || name.includes('watch');
        if (denied) {
          if (isStreamOrWatch) throw denied;
          if (typeof last === 'function') return void process.nextTick(last as (e: unknown) => void, denied);
          throw denied;
        }
        if (!isStreamOrWatch && typeof last === 'function') {
          args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
            if (!error && name === 'open' && inTmp(lambdaPath)) tmpFds.add(rest[0] as number);
            if (name === 'exists') return (last as (...a: unknown[]) => void)(error, ...rest);
            (last as (...a: unknown[]) => void)(
              error ? unmapError(error) : error,
              ...rest.map((r) => unmapResult(name, r)),
            );
          };
        }
        return callbackStyle.apply(this, args);
      };
    }
    const promised = originalPromises[name];
    if (promised) {
      promisesTarget[name] = async function (this: unknown, ...args: unknown[]) {
        const lambdaPath = asString(args[0]) ?? '';
        if (listsOpt(name, lambdaPath)) return listOpt(lambdaPath, args[1]);
        const denied = prepare(name, args);
        if (denied) throw denied;
        try {
          const value = await promised.apply(this, args);
          if (name === 'open' && inTmp(lambdaPath)) countFileHandle(value as object);
          return unmapResult(name, value);
        } catch (error) {
          throw unmapError(error);
        }
      };
    }
  }

  // Writes through file descriptors opened in /tmp count toward the cap (streams use these).
  for (const name of ['write', 'writeSync', 'writev', 'writevSync'] as const) {
    const write = original[name];
    target[name] = function (this: unknown, fd: unknown, data: unknown, ...rest: unknown[]) {
      if (typeof fd === 'number' && tmpFds.has(fd)) {
        const length = Array.isArray(data) ? data.reduce((n: number, b) => n + dataLength(b), 0) : dataLength(data);
        if (!reserve(length)) {
          const error = fsError('ENOSPC', 'write');
          const callback = rest[rest.length - 1];
          if (name.endsWith('Sync') || typeof callback !== 'function') throw error;
          return void process.nextTick(callback as (e: unknown) => void, error);
        }
      }
      return write.call(this, fd, data, ...rest);
    };
  }
  for (const name of ['ftruncate', 'ftruncateSync'] as const) {
    const ftruncate = original[name];
    target[name] = function (this: unknown, fd: unknown, ...rest: unknown[]) {
      if (typeof fd === 'number' && tmpFds.has(fd)) usageStale = true;
      return ftruncate.call(this, fd, ...rest);
    };
  }

  /** Writes through a FileHandle in /tmp count too; its class is reached through the first one. */
  let fileHandlePatched = false;
  function countFileHandle(handle: object): void {
    tmpHandles.add(handle);
    if (fileHandlePatched) return;
    fileHandlePatched = true;
    const prototype = Object.getPrototypeOf(handle) as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const method of ['write', 'writev', 'writeFile', 'appendFile'] as const) {
      const write = prototype[method];
      prototype[method] = function (this: object, data: unknown, ...rest: unknown[]) {
        if (tmpHandles.has(this)) {
          const length = Array.isArray(data) ? data.reduce((n: number, b) => n + dataLength(b), 0) : dataLength(data);
          if (!reserve(length)) return Promise.reject(fsError('ENOSPC', 'write'));
        }
        return write.call(this, data, ...rest);
      };
    }
    const truncate = prototype.truncate;
    prototype.truncate = function (this: object, ...args: unknown[]) {
      if (tmpHandles.has(this)) usageStale = true;
      return truncate.apply(this, args);
    };
  }

  for (const name of ['close', 'closeSync'] as const) {
    const close = original[name];
    target[name] = function (this: unknown, fd: unknown, ...rest: unknown[]) {
      if (typeof fd === 'number') tmpFds.delete(fd);
      return close.call(this, fd, ...rest);
    };
  }

  const osModule = os as unknown as Record<string, unknown>;
  osModule.tmpdir = () => '/tmp';
  const chdir = process.chdir.bind(process);
  const cwd = process.cwd.bind(process);
  process.chdir = (directory: string) => chdir(toRealPath(directory));
  process.cwd = () => toLambdaPath(cwd());
  syncBuiltinESMExports();
  refreshTmpUsage();

  return { toRealPath, toLambdaPath, refreshTmpUsage, tmpUsedBytes: () => used };
}
