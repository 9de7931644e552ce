// Node module loader hooks (registered with module.register, run in Node's loader thread)
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

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: Next<unknown, ResolveResult>,
): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const parent = context.parentURL;
    if (runtimeModulesDir && parent && !/^(\.{1,2}\/|\/|[a-z]+:)/i.test(specifier)) {
      // A package the function does not have: the runtime's copy of the SDK, as on Lambda.
      const fromRuntime = pathToFileURL(path.join(path.dirname(runtimeModulesDir), 'runtime.mjs')).href;
      return next(specifier, { ...context, parentURL: fromRuntime });
    }
    if (!parent || !TS_URL.test(parent) || !/^\.{1,2}\//.test(specifier)) throw error;
    const base = path.resolve(path.dirname(fileURLToPath(parent)), specifier);
    const stem = base.replace(/\.(js|mjs|cjs)$/, '');
    for (const candidate of [stem + '.ts', stem + '.mts', stem + '.cts', path.join(base, 'index.ts')]) {
      if (existsSync(candidate)) return { url: pathToFileURL(candidate).href, shortCircuit: true };
    }
    throw error;
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

export async function load(url: string, context: unknown, next: Next<unknown, LoadResult>): Promise<LoadResult> {
  if (!url.startsWith('file:') || !TS_URL.test(url)) return next(url, context);
  const file = fileURLToPath(url);
  if (tsFormatOf(file) !== 'esm') {
    // CommonJS TypeScript goes through the runtime's require hook in the main thread.
    return { format: 'commonjs', shortCircuit: true };
  }
  // This thread's fs is not the sandbox's: a file transpiled here is kept for the next cold start.
  const code = transpileCached(cacheDir, readFileSync(file, 'utf8'), file, 'esm');
  return { format: 'module', source: code, shortCircuit: true };
}
