// Loads the user's handler from a handler string the way the AWS Node.js runtime does:
// `[dir/]module.export[.nested]`, looked up relative to the task root as an extensionless
// CommonJS file, `.js` (CommonJS, or an ES module when the nearest package.json says
// "type": "module"), `.mjs`, `.cjs`, then — our addition for local TypeScript — `.ts`,
// `.mts`, `.cts` transpiled by esbuild with source maps, and finally Node's own resolution
// from the task root (NODE_PATH and layers count). Failures become Runtime.* errors.

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
      importModuleDynamically: ((specifier: string) =>
        import(
          specifier.startsWith('.') ? pathToFileURL(path.resolve(path.dirname(filename), specifier)).href : specifier
        )) as never,
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
    evaluate(() => wrapper.call(exports, exports, moduleRequire, module, filename, dirname), filename);
  } catch (error) {
    delete M._cache[filename];
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

/** Teaches this process to load TypeScript: a require hook for CommonJS and module loader
 * hooks (in Node's loader thread) for ES modules. esbuild is loaded only when needed. */
function enableTypeScript(esModules: boolean): void {
  if (esModules) registerTsLoaderHooks();
  if (typescriptEnabled) return;
  typescriptEnabled = true;
  process.setSourceMapsEnabled(true);
  // esbuild's synchronous API runs in a worker thread unless told not to: a debugger would
  // list that thread of ours under the environment.
  const workers = process.env.ESBUILD_WORKER_THREADS;
  process.env.ESBUILD_WORKER_THREADS = '0';
  const esbuild = requireFromRuntime('esbuild') as typeof import('esbuild');
  if (workers === undefined) delete process.env.ESBUILD_WORKER_THREADS;
  else process.env.ESBUILD_WORKER_THREADS = workers;
  const extensions = (Module as unknown as { _extensions: Record<string, (m: unknown, f: string) => void> })
    ._extensions;
  transpileTs = (source, filename) =>
    esbuild.transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node18',
      sourcemap: 'inline',
      sourcefile: filename,
    }).code;
  const compileTs = (module: unknown, filename: string) => {
    const code = transpileTs(fs.readFileSync(filename, 'utf8'), filename);
    (module as { _compile(code: string, filename: string): void })._compile(code, filename);
  };
  extensions['.ts'] = compileTs;
  extensions['.cts'] = compileTs;
}

let tsLoaderHooksRegistered = false;

/** The ES module loader hooks run in a loader thread of Node's: registered only for a
 * TypeScript ES module handler. */
function registerTsLoaderHooks(): void {
  if (tsLoaderHooksRegistered) return;
  tsLoaderHooksRegistered = true;
  const register = (Module as unknown as { register?: (specifier: string, parent: string) => void }).register;
  register?.(pathToFileURL(path.join(__dirname, 'tsLoaderHooks.js')).href, pathToFileURL(__filename).href);
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

/** Loads the module and returns the handler function, or throws a Runtime.* error. */
export async function loadHandler(
  taskRoot: string,
  handlerString: string,
  evaluate: EvaluateModule | null = null,
): Promise<UserHandler> {
  const { moduleRoot, module, exportPath } = parseHandlerString(handlerString);
  let userModule: unknown;
  try {
    userModule = await loadModule(taskRoot, moduleRoot, module, evaluate);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserCodeSyntaxError(String(error), { cause: error });
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new ImportModuleError(String(error), { cause: error });
    }
    throw error;
  }
  const handler = exportPath
    .split('.')
    .reduce<unknown>((nested, key) => (nested as Record<string, unknown> | undefined)?.[key], userModule);
  if (!handler) throw new HandlerNotFound(`${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${handlerString} is not a function`);
  return handler as UserHandler;
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
