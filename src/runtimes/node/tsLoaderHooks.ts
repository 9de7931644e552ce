// Node module loader hooks (registered with module.register, run in Node's loader thread)
// that let the runtime import TypeScript ES modules: `.mts`, and `.ts` inside a
// "type": "module" package, transpiled by esbuild with inline source maps. Imports
// written the TypeScript way (`./util.js` for `util.ts`) resolve to the `.ts` file.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

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
    if (!parent || !TS_URL.test(parent) || !/^\.{1,2}\//.test(specifier)) throw error;
    const base = path.resolve(path.dirname(fileURLToPath(parent)), specifier);
    const stem = base.replace(/\.(js|mjs|cjs)$/, '');
    for (const candidate of [stem + '.ts', stem + '.mts', stem + '.cts', path.join(base, 'index.ts')]) {
      if (existsSync(candidate)) return { url: pathToFileURL(candidate).href, shortCircuit: true };
    }
    throw error;
  }
}

function isModuleTs(file: string): boolean {
  if (file.endsWith('.mts')) return true;
  if (file.endsWith('.cts')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir || path.basename(dir) === 'node_modules') return false;
  }
}

export async function load(url: string, context: unknown, next: Next<unknown, LoadResult>): Promise<LoadResult> {
  if (!url.startsWith('file:') || !TS_URL.test(url)) return next(url, context);
  const file = fileURLToPath(url);
  if (!isModuleTs(file)) {
    // CommonJS TypeScript goes through the runtime's require hook in the main thread.
    return { format: 'commonjs', shortCircuit: true };
  }
  const esbuild = createRequire(__filename)('esbuild') as typeof import('esbuild');
  const { code } = await esbuild.transform(readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node18',
    sourcemap: 'inline',
    sourcefile: file,
  });
  return { format: 'module', source: code, shortCircuit: true };
}
