// TypeScript handlers transpiled once: esbuild's output for a file, kept in the per-user
// cache under the hash of its source, its name, the output format, esbuild's version and
// the options, and reused on every later cold start (offline too). Shared by the engine,
// which transpiles a function's TypeScript files ahead of its environments (so the work is
// no part of Init Duration), and by the Node runtime, which reads the result and only
// transpiles itself on a miss. esbuild is loaded only when something has to be transpiled.

import type { Hash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** CommonJS for `.cts` and `.ts` outside a "type": "module" package; an ES module otherwise. */
export type TsFormat = 'cjs' | 'esm';

export const TS_FILE = /\.(ts|mts|cts)$/;

let requireEsbuild = createRequire(__filename);
let esbuildVersion: string | null = null;

/** Loads esbuild from its package folder `packageDir` (the engine's copy): inside the
 * kernel's sandbox the runtime, at /var/runtime, cannot find it by walking up. */
export function useEsbuildFrom(packageDir: string | null | undefined): void {
  if (packageDir) requireEsbuild = createRequire(path.join(packageDir, 'package.json'));
}

/** The folder of the esbuild package this process loads (handed to the runtime). */
export function esbuildPackageDir(): string | undefined {
  try {
    return path.dirname(requireEsbuild.resolve('esbuild/package.json'));
  } catch {
    return undefined;
  }
}

function versionOfEsbuild(): string {
  esbuildVersion ??= (
    JSON.parse(fs.readFileSync(requireEsbuild.resolve('esbuild/package.json'), 'utf8')) as { version: string }
  ).version;
  return esbuildVersion;
}

/** The options both sides transpile with (the cache key includes them). */
export function transpileOptions(file: string, format: TsFormat) {
  return {
    loader: 'ts' as const,
    format,
    target: 'node18',
    sourcemap: 'inline' as const,
    sourcefile: file,
  };
}

/** Whether a TypeScript file is an ES module, as Node decides for .mts/.cts/.ts. */
export function tsFormatOf(file: string): TsFormat {
  if (file.endsWith('.mts')) return 'esm';
  if (file.endsWith('.cts')) return 'cjs';
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') return 'cjs';
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module' ? 'esm' : 'cjs';
      } catch {
        return 'cjs';
      }
    }
    if (path.dirname(dir) === dir) return 'cjs';
  }
}

/** A SHA-256 hash. node:crypto is loaded on first use: the Node runtime shares this file, and
 * the environment of a function with no TypeScript to look up should not hold it (about
 * 1 MB resident on Node 22), nor make the function's own first import of it cheaper. */
function sha256(): Hash {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:crypto') as typeof import('node:crypto')).createHash('sha256');
}

/** The cache file of this source, name and format. */
export function cachedOutputPath(cacheDir: string, source: string, file: string, format: TsFormat): string {
  const key = sha256()
    .update(JSON.stringify([versionOfEsbuild(), transpileOptions(file, format)]))
    .update('\0')
    .update(source)
    .digest('hex');
  return path.join(cacheDir, 'typescript', key.slice(0, 2), `${key}.js`);
}

/** The transpiled output from the cache, or null. */
export function readCached(cacheDir: string, source: string, file: string, format: TsFormat): string | null {
  try {
    return fs.readFileSync(cachedOutputPath(cacheDir, source, file, format), 'utf8');
  } catch {
    return null;
  }
}

/** esbuild, whose synchronous API would otherwise run in a worker thread of its own: inside an
 * environment, a debugger would list that thread of ours under it. Read when esbuild loads. */
function loadEsbuildWithoutWorker(): typeof import('esbuild') {
  const workers = process.env.ESBUILD_WORKER_THREADS;
  process.env.ESBUILD_WORKER_THREADS = '0';
  try {
    return requireEsbuild('esbuild') as typeof import('esbuild');
  } finally {
    if (workers === undefined) delete process.env.ESBUILD_WORKER_THREADS;
    else process.env.ESBUILD_WORKER_THREADS = workers;
  }
}

/** Transpiles with esbuild (synchronously) and keeps the output when the cache is writable. */
export function transpileAndKeep(cacheDir: string | null, source: string, file: string, format: TsFormat): string {
  const esbuild = loadEsbuildWithoutWorker();
  const { code } = esbuild.transformSync(source, transpileOptions(file, format));
  if (cacheDir) keep(cachedOutputPath(cacheDir, source, file, format), code);
  return code;
}

/** The output for a file: from the cache, else transpiled now (and kept). */
export function transpileCached(cacheDir: string | null, source: string, file: string, format: TsFormat): string {
  return (cacheDir && readCached(cacheDir, source, file, format)) || transpileAndKeep(cacheDir, source, file, format);
}

/** The engine's side: puts a file's output in the cache unless it is there (async: the
 * engine may run in VS Code's extension host, which must not block). `seenAs`: the file's
 * path as the runtime will load it (in the kernel's sandbox, under /var/task), which names
 * the output in the cache and in its source map. */
export async function transpileAhead(cacheDir: string, file: string, seenAs = file): Promise<void> {
  const source = await fs.promises.readFile(file, 'utf8');
  const format = tsFormatOf(file);
  const target = cachedOutputPath(cacheDir, source, seenAs, format);
  if (fs.existsSync(target)) return;
  const esbuild = requireEsbuild('esbuild') as typeof import('esbuild');
  const { code } = await esbuild.transform(source, transpileOptions(seenAs, format));
  keep(target, code);
}

function keep(target: string, code: string): void {
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Written aside then renamed: a reader never sees half a file.
    const staging = `${target}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(staging, code);
    fs.renameSync(staging, target);
  } catch {
    // A read-only cache (e.g. inside the sandbox) only costs a transpile next time.
  }
}
