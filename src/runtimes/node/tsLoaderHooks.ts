// Node module loader hooks (registered with module.registerHooks in the main thread where
// Node has it, 22.15 and later; elsewhere with module.register, run in Node's loader thread)
// that let ES modules import the runtime's copy of the AWS SDK (a bare specifier the
// function's own node_modules lacks), and let the runtime import TypeScript ES modules: `.mts`, and `.ts` inside a
// "type": "module" package, transpiled by esbuild with inline source maps, read from the
// per-user cache when the engine transpiled them ahead (kept there when not). Imports
// written the TypeScript way (`./util.js` for `util.ts`) resolve to the `.ts` file.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpileCached, tsFormatOf, useEsbuildFrom } from '../../provision/typescriptCache';

type Next<A, R> = (...args: A[]) => Promise<R>;
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface LoadResult {
  format: string;
  source?: string | Buffer;
  shortCircuit?: boolean;
}

const TS_URL = /\.(ts|mts|cts)$/;

/** After a failed resolution: retry from the runtime's SDK folder, a `.ts` file, or the error. */
function fallback(
  specifier: string,
  context: { parentURL?: string },
  error: unknown,
): { retryFrom: string } | ResolveResult {
  const parent = context.parentURL;
  if (runtimeModulesDir && parent && !/^(\.{1,2}\/|\/|[a-z]+:)/i.test(specifier)) {
    // A package the function does not have: the runtime's copy of the SDK, as on Lambda.
    return { retryFrom: pathToFileURL(path.join(path.dirname(runtimeModulesDir), 'runtime.mjs')).href };
  }
  if (!parent || !TS_URL.test(parent) || !/^\.{1,2}\//.test(specifier)) throw error;
  const base = path.resolve(path.dirname(fileURLToPath(parent)), specifier);
  const stem = base.replace(/\.(js|mjs|cjs)$/, '');
  for (const candidate of [stem + '.ts', stem + '.mts', stem + '.cts', path.join(base, 'index.ts')]) {
    if (existsSync(candidate)) return { url: pathToFileURL(candidate).href, shortCircuit: true };
  }
  throw error;
}

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: Next<unknown, ResolveResult>,
): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const found = fallback(specifier, context, error);
    return 'retryFrom' in found ? next(specifier, { ...context, parentURL: found.retryFrom }) : found;
  }
}

/** The same, as module.registerHooks runs it: in the main thread, synchronously. */
export function resolveSync(
  specifier: string,
  context: { parentURL?: string },
  next: (specifier: string, context: object) => ResolveResult,
): ResolveResult {
  try {
    return next(specifier, context);
  } catch (error) {
    const found = fallback(specifier, context, error);
    return 'retryFrom' in found ? next(specifier, { ...context, parentURL: found.retryFrom }) : found;
  }
}

let cacheDir: string | null = null;
let runtimeModulesDir: string | null = null;

/** Called by module.register with the runtime's data. */
export function initialize(
  data: { cacheDir?: string | null; runtimeModulesDir?: string | null; esbuildDir?: string | null } | undefined,
): void {
  cacheDir = data?.cacheDir ?? null;
  runtimeModulesDir = data?.runtimeModulesDir ?? null;
  useEsbuildFrom(data?.esbuildDir);
}

/** A TypeScript file's load, or null for anything else. */
function loadTypeScript(url: string): LoadResult | null {
  if (!url.startsWith('file:') || !TS_URL.test(url)) return null;
  const file = fileURLToPath(url);
  if (tsFormatOf(file) !== 'esm') {
    // CommonJS TypeScript goes through the runtime's require hook in the main thread.
    return { format: 'commonjs', shortCircuit: true };
  }
  // In Node's loader thread, fs is not the sandbox's: a file transpiled there is kept for the next cold start.
  const code = transpileCached(cacheDir, readFileSync(file, 'utf8'), file, 'esm');
  return { format: 'module', source: code, shortCircuit: true };
}

export async function load(url: string, context: unknown, next: Next<unknown, LoadResult>): Promise<LoadResult> {
  return loadTypeScript(url) ?? next(url, context);
}

/** The same, as module.registerHooks runs it: in the main thread, synchronously. */
export function loadSync(
  url: string,
  context: unknown,
  next: (url: string, context: unknown) => LoadResult,
): LoadResult {
  return loadTypeScript(url) ?? next(url, context);
}
