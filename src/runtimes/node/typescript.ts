// TypeScript in the Node runtime: the per-user cache of transpiled files (the engine fills
// it ahead of Init, provision/typescriptCache.ts) is read here; a file it lacks is
// transpiled on the spot by esbuild, loaded only then. The module loader hooks for ES
// modules (tsLoaderHooks.ts, in Node's loader thread) get the cache folder at registration.
// The time all this takes is reported with the phase's end, and left out of Init Duration.

import { performance } from 'node:perf_hooks';
import Module from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpileCached, useEsbuildFrom } from '../../provision/typescriptCache';
import { esmFallbackDir } from './runtimeModules';
import { initialize, loadSync, resolveSync } from './tsLoaderHooks';

let cacheDir: string | null = null;
/** Time spent on our own TypeScript work since the last phase end. */
let ownWorkMs = 0;

/** Runs our own work (TypeScript's loader, transpiling), timed: Init Duration leaves it out. */
export function ownWork<T>(work: () => T): T {
  // Nested own work (the loader hooks registered while enabling TypeScript) counts once.
  if (ownWorkDepth > 0) return work();
  const started = performance.now();
  ownWorkDepth++;
  try {
    return work();
  } finally {
    ownWorkDepth--;
    ownWorkMs += performance.now() - started;
  }
}

let ownWorkDepth = 0;

/** Our own asynchronous work (nothing of the user's runs meanwhile during Init), timed. */
export async function ownWorkAsync<T>(work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  ownWorkDepth++;
  try {
    return await work();
  } finally {
    ownWorkDepth--;
    ownWorkMs += performance.now() - started;
  }
}

/** True while our own work runs (the Init profile leaves out what it loads, e.g. esbuild). */
export function inOwnWork(): boolean {
  return ownWorkDepth > 0;
}

/** The time of our own work so far since the last take (to subtract from a span). */
export function peekOwnWorkMs(): number {
  return ownWorkMs;
}

/** The time of our own work since the last call (the frozen message carries it). */
export function takeOwnWorkMs(): number {
  const taken = ownWorkMs;
  ownWorkMs = 0;
  return taken;
}

/** The per-user cache folder the engine transpiled into (from the sandbox settings). */
export function useTypescriptCache(dir: string | null | undefined, esbuild?: string): void {
  cacheDir = dir ?? null;
  esbuildDir = esbuild ?? null;
  useEsbuildFrom(esbuild);
}

let esbuildDir: string | null = null;

export function typescriptCacheDir(): string | null {
  return cacheDir;
}

let hooksRegistered = false;

/** Registers the module loader hooks (tsLoaderHooks.ts) once: ES module TypeScript, and ES
 * module imports of the runtime's SDK. Starting Node's loader thread takes ~100 ms, which
 * Lambda would not spend: timed as our own work. */
export function registerLoaderHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  ownWork(() => {
    // Where Node runs hooks in the main thread, no loader thread starts (nor shows in the
    // debugger's Call Stack as a thread of its own).
    const registerHooks = (Module as unknown as { registerHooks?: (hooks: object) => void }).registerHooks;
    if (registerHooks) {
      initialize({ cacheDir, runtimeModulesDir: esmFallbackDir() });
      registerHooks({ resolve: resolveSync, load: loadSync });
      return;
    }
    const register = (Module as unknown as { register?: (specifier: string, options: object) => void }).register;
    register?.(pathToFileURL(path.join(__dirname, 'tsLoaderHooks.js')).href, {
      parentURL: pathToFileURL(__filename).href,
      data: { cacheDir, runtimeModulesDir: esmFallbackDir(), esbuildDir },
    });
  });
}

/** A CommonJS TypeScript file's JavaScript, from the cache when the engine put it there. */
export function transpileCommonJs(source: string, filename: string): string {
  return ownWork(() => transpileCached(cacheDir, source, filename, 'cjs'));
}
