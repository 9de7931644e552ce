// Loads the user's handler from a handler string the way the AWS Node.js runtime does:
// `[dir/]module.export[.nested]`, looked up relative to the task root as an extensionless
// CommonJS file, `.js` (CommonJS, or an ES module when the nearest package.json says
// "type": "module"), `.mjs`, `.cjs`, then — our addition for local TypeScript — `.ts`,
// `.mts`, `.cts` transpiled by esbuild with source maps (cached: typescript.ts), and finally Node's own resolution
// from the task root (NODE_PATH and layers count). Failures become Runtime.* errors.
// The 4.x generation (nodejs24.x) loads every file with import(), in the order
// extensionless, `.js`, `.mjs`, `.cjs`, and looks the handler up in `default` too.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Module, { createRequire } from 'node:module';
import * as vm from 'node:vm';
import { pathToFileURL } from 'node:url';
import {
  HandlerNotFound,
  ImportModuleError,
  MalformedHandlerName,
  MalformedStreamingHandler,
  UserCodeSyntaxError,
} from './errors';
import { ownWork, registerLoaderHooks, transpileCommonJs } from './typescript';
import { esmFallbackDir, explainImportError } from './runtimeModules';
import { isGeneration4 } from './generation';
import { keepSourceMappedStacks } from './lambdaPaths';
import { beforeEsmImport, profileModule } from './initProfile';

export const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
export const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
export const STREAM_RESPONSE = 'response';

export type UserHandler = ((...args: unknown[]) => unknown) & {
  [HANDLER_STREAMING]?: unknown;
  [HANDLER_HIGHWATERMARK]?: unknown;
};

export interface HandlerMetadata {
  streaming: boolean;
  highWaterMark: number | undefined;
  isAsync: boolean;
  argsNum: number;
}

const requireFromRuntime = createRequire(__filename);

/** Splits `dir/sub/module.a.b` into ['dir/sub/', 'module', 'a.b']. */
export function parseHandlerString(handler: string): { moduleRoot: string; module: string; exportPath: string } {
  if (handler.includes('..')) {
    throw new MalformedHandlerName(
      `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.posix.basename(handler);
  const moduleRoot = handler.substring(0, handler.indexOf(base));
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match) throw new MalformedHandlerName('Bad handler');
  return { moduleRoot, module: match[1], exportPath: match[2] };
}

function hasTypeModule(folder: string): boolean {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') return false;
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return JSON.parse(fs.readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

/** Loads a CommonJS file; through `evaluate` when the debugger stops at Init. */
const loadCommonJs = (file: string, evaluate: EvaluateModule | null): unknown =>
  evaluate ? evaluateCommonJs(file, evaluate) : requireFromRuntime(file);

/** Imports an ES module; through `evaluate` when the debugger stops at Init. */
async function importIfExists(file: string, evaluate: EvaluateModule | null): Promise<unknown> {
  if (!fs.existsSync(file)) return undefined;
  // ES module imports of the runtime's SDK resolve through the loader hooks.
  if (esmFallbackDir()) registerLoaderHooks();
  await beforeEsmImport();
  const url = pathToFileURL(file).href;
  const load = () => import(url);
  return evaluate ? evaluate(load, url) : load();
}

let typescriptEnabled = false;
let transpileTs: (source: string, filename: string) => string = () => {
  throw new Error('TypeScript is not enabled');
};

/** Runs a module's top-level code (`module`: a CommonJS file's path, an ES module's URL);
 * the debugger's Init phase stop wraps it (phases.ts). */
export type EvaluateModule = <T>(evaluate: () => T, module: string) => T;

type ModuleInternals = typeof Module & {
  new (id: string, parent: unknown): NodeModule & { paths: string[]; loaded: boolean; require(id: string): unknown };
  _cache: Record<string, NodeModule>;
  _nodeModulePaths(dir: string): string[];
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _extensions: Record<string, unknown>;
};

/** Loads a CommonJS file as require() does, but calls its top-level code through
 * `evaluate` from here: Step Into from the Init phase stop then goes straight into the
 * user's first line, with no skipped loader frames in between. */
function evaluateCommonJs(file: string, evaluate: EvaluateModule): unknown {
  const M = Module as ModuleInternals;
  const filename = fs.realpathSync(file);
  const cached = M._cache[filename];
  if (cached) return cached.exports;
  const module = new M(filename, null);
  module.filename = filename;
  module.paths = M._nodeModulePaths(path.dirname(filename));
  let source = fs.readFileSync(filename, 'utf8');
  if (/\.c?ts$/.test(filename)) source = transpileTs(source, filename);
  const wrapper = vm.compileFunction(
    source.replace(/^#!.*/, ''),
    ['exports', 'require', 'module', '__filename', '__dirname'],
    {
      filename,
      importModuleDynamically: (async (specifier: string) => {
        await beforeEsmImport();
        return import(
          specifier.startsWith('.') ? pathToFileURL(path.resolve(path.dirname(filename), specifier)).href : specifier
        );
      }) as never,
    },
  );
  const moduleRequire = Object.assign((id: string) => module.require(id), {
    resolve: (request: string, options?: unknown) => M._resolveFilename(request, module, false, options),
    cache: M._cache,
    main: requireFromRuntime.main,
    extensions: M._extensions,
  });
  M._cache[filename] = module;
  // Nothing but the call itself between the phase point and the user's first line.
  const dirname = path.dirname(filename);
  const exports = module.exports;
  try {
    // Timed outside the phase stop: nothing of ours between the stop and the user's first line
    // (the engine takes the time paused there out of the profile).
    profileModule(filename, () =>
      evaluate(() => wrapper.call(exports, exports, moduleRequire, module, filename, dirname), filename),
    );
  } catch (error) {
    delete M._cache[filename];
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

/** Teaches this process to load TypeScript: a require hook for CommonJS and, for ES
 * modules, loader hooks in Node's loader thread (registered only then: starting that thread
 * takes ~100 ms). esbuild is loaded only when the cache lacks a file. Timed as our own work. */
function enableTypeScript(esm: boolean): void {
  ownWork(() => {
    if (!typescriptEnabled) {
      typescriptEnabled = true;
      process.setSourceMapsEnabled(true);
      keepSourceMappedStacks();
      const extensions = (Module as unknown as { _extensions: Record<string, (m: unknown, f: string) => void> })
        ._extensions;
      transpileTs = transpileCommonJs;
      const compileTs = (module: unknown, filename: string) => {
        const code = transpileTs(fs.readFileSync(filename, 'utf8'), filename);
        (module as { _compile(code: string, filename: string): void })._compile(code, filename);
      };
      extensions['.ts'] = compileTs;
      extensions['.cts'] = compileTs;
    }
    if (esm) registerLoaderHooks();
  });
}

/** 4.x: every file through import(), so each is what Node makes of it (a CommonJS file in a
 * "type": "module" folder fails as on Lambda). */
async function importModule(
  taskRoot: string,
  moduleRoot: string,
  module: string,
  evaluate: EvaluateModule | null,
): Promise<unknown> {
  const base = path.resolve(taskRoot, moduleRoot, module);
  for (const extension of ['', '.js', '.mjs', '.cjs']) {
    const file = base + extension;
    if (evaluate && fs.existsSync(file) && isCommonJsFile(file)) {
      const loaded = evaluateAsImport(file, evaluate);
      if (loaded) return loaded;
    }
    const loaded = await importIfExists(file, evaluate);
    if (loaded) return loaded;
  }
  return loadTypeScriptOrResolve(taskRoot, moduleRoot, module, base, evaluate);
}

/** A file import() runs as CommonJS: `.cjs`, or `.js` / extensionless outside a "type": "module" package. */
const isCommonJsFile = (file: string): boolean =>
  file.endsWith('.cjs') || (!file.endsWith('.mjs') && !hasTypeModule(path.dirname(file)));

/** Debugging with the Init phase stop: a CommonJS file's top level runs from the phase point
 * (Step Into lands on its first line) and the result is shaped as import() gives it, the
 * exports as `default` and by name. A file that does not compile as CommonJS (ES module
 * syntax Node would detect) returns undefined and is imported instead. */
function evaluateAsImport(file: string, evaluate: EvaluateModule): unknown {
  let exports: unknown;
  try {
    exports = evaluateCommonJs(file, evaluate);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  const named = exports && typeof exports === 'object' ? exports : {};
  return { ...named, default: exports };
}

async function loadTypeScriptOrResolve(
  taskRoot: string,
  moduleRoot: string,
  module: string,
  base: string,
  evaluate: EvaluateModule | null,
): Promise<unknown> {
  for (const extension of ['.ts', '.mts', '.cts']) {
    const file = base + extension;
    if (!fs.existsSync(file)) continue;
    const esm = extension === '.mts' || (extension === '.ts' && hasTypeModule(path.dirname(file)));
    enableTypeScript(esm);
    return esm ? importIfExists(file, evaluate) : loadCommonJs(file, evaluate);
  }

  const nodeStylePath = requireFromRuntime.resolve(module, { paths: [taskRoot, moduleRoot] });
  return requireFromRuntime(nodeStylePath);
}

async function loadModule(
  taskRoot: string,
  moduleRoot: string,
  module: string,
  evaluate: EvaluateModule | null,
): Promise<unknown> {
  const requireIfExists = (file: string) => (fs.existsSync(file) ? loadCommonJs(file, evaluate) : undefined);
  const base = path.resolve(taskRoot, moduleRoot, module);
  const extensionless = requireIfExists(base);
  if (extensionless) return extensionless;

  const jsIsModule = fs.existsSync(base + '.js') && hasTypeModule(path.dirname(base));
  if (!jsIsModule) {
    const loaded = requireIfExists(base + '.js');
    if (loaded) return loaded;
  }
  const loaded =
    (jsIsModule && (await importIfExists(base + '.js', evaluate))) ||
    (await importIfExists(base + '.mjs', evaluate)) ||
    requireIfExists(base + '.cjs');
  if (loaded) return loaded;
  return loadTypeScriptOrResolve(taskRoot, moduleRoot, module, base, evaluate);
}

/** Loads the module and returns the handler function, or throws a Runtime.* error. */
export async function loadHandler(
  taskRoot: string,
  handlerString: string,
  evaluate: EvaluateModule | null = null,
): Promise<UserHandler> {
  const { moduleRoot, module, exportPath } = parseHandlerString(handlerString);
  let userModule: unknown;
  try {
    userModule = await (isGeneration4 ? importModule : loadModule)(taskRoot, moduleRoot, module, evaluate);
  } catch (error) {
    if (error instanceof SyntaxError) {
      // No `cause`, as the runtime client's: Node prints a 4.x Init failure with its fields.
      const wrapped = new UserCodeSyntaxError(String(error));
      // 4.x keeps the syntax error's own stack (Node's excerpt of the offending line first).
      if (isGeneration4) wrapped.stack = error.stack;
      throw wrapped;
    }
    // Only CommonJS's MODULE_NOT_FOUND is wrapped: an ES module's ERR_MODULE_NOT_FOUND (an
    // import of a missing file) reaches the user as Node threw it, as with the AWS client.
    if ((error as NodeJS.ErrnoException | null)?.code === 'MODULE_NOT_FOUND') {
      throw new ImportModuleError(explainImportError(String(error)));
    }
    throw error;
  }
  const handler = isGeneration4 ? findHandler4(userModule, exportPath) : findHandler3(userModule, exportPath);
  if (!handler) throw new HandlerNotFound(`${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${handlerString} is not a function`);
  return handler as UserHandler;
}

/** 3.x: `a.b.c` followed through whatever each step holds. */
const findHandler3 = (userModule: unknown, exportPath: string): unknown =>
  exportPath
    .split('.')
    .reduce<unknown>((nested, key) => (nested as Record<string, unknown> | undefined)?.[key], userModule);

/** 4.x: `a.b.c` followed through objects only, in the module and then in its `default`. */
function findHandler4(userModule: unknown, exportPath: string): unknown {
  const findIn = (root: unknown) =>
    exportPath
      .split('.')
      .reduce<unknown>(
        (nested, key) => (nested && typeof nested === 'object' ? (nested as Record<string, unknown>)[key] : undefined),
        root,
      );
  const found = findIn(userModule);
  if (found || !userModule || typeof userModule !== 'object' || !('default' in userModule)) return found;
  return findIn((userModule as { default: unknown }).default);
}

export function handlerMetadata(handler: UserHandler): HandlerMetadata {
  const mode = handler[HANDLER_STREAMING];
  if (mode !== undefined && mode !== null && mode !== false && mode !== STREAM_RESPONSE) {
    throw new MalformedStreamingHandler('Only response streaming is supported.');
  }
  const hwm = Number.parseInt(String(handler[HANDLER_HIGHWATERMARK]));
  return {
    streaming: mode === STREAM_RESPONSE,
    highWaterMark: Number.isNaN(hwm) ? undefined : hwm,
    isAsync: handler.constructor?.name === 'AsyncFunction',
    argsNum: handler.length,
  };
}
