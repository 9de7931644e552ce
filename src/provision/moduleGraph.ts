// What a function's code imports, read from its files without running them: esbuild walks
// the module graph from the handler's file (import, export … from, require, import() with
// literal specifiers) and lists the function's own files and the packages it imports by
// name (left external, never read). The engine uses it to transpile TypeScript ahead and
// to find the AWS SDK packages the runtime provides. Builtins are left out.

import * as fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as path from 'node:path';

export interface ModuleGraph {
  /** Absolute paths of the function's own files in the graph (node_modules excluded). */
  files: string[];
  /** Package names imported by name anywhere in the graph, e.g. `@aws-sdk/client-s3`. */
  packages: string[];
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Imports written the TypeScript way (`./util.js` for `util.mts`), resolved as the
 * runtime's loader resolves them (tsLoaderHooks.ts), where esbuild's own rewriting (to
 * `.ts`) finds nothing. */
const typescriptStyleImports: import('esbuild').Plugin = {
  name: 'typescript-style-imports',
  setup(build) {
    build.onResolve({ filter: /^\.{1,2}\/.*\.(js|mjs|cjs)$/ }, (args) => {
      if (!/\.[cm]?ts$/.test(args.importer)) return undefined;
      const stem = path.resolve(args.resolveDir, args.path).replace(/\.(js|mjs|cjs)$/, '');
      const found = [stem + '.ts', stem + '.mts', stem + '.cts'].find((candidate) => fs.existsSync(candidate));
      return found ? { path: found } : undefined;
    });
  },
};

/** The graph from `entry` (a file in `root`); null when esbuild cannot read it (a syntax
 * error: the runtime's Init will report it as Lambda would). */
export async function scanModuleGraph(root: string, entry: string): Promise<ModuleGraph | null> {
  const esbuild = createRequire(__filename)('esbuild') as typeof import('esbuild');
  let metafile: import('esbuild').Metafile;
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: root,
      bundle: true,
      write: false,
      metafile: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      outdir: path.join(root, '.lld-scan'),
      plugins: [typescriptStyleImports],
    });
    metafile = result.metafile;
  } catch {
    return null;
  }
  const files = new Set<string>();
  const packages = new Set<string>();
  for (const [input, info] of Object.entries(metafile.inputs)) {
    const file = path.resolve(root, input);
    if (!file.split(path.sep).includes('node_modules')) files.add(file);
    for (const imported of info.imports) {
      if (!imported.external || builtins.has(imported.path)) continue;
      if (/^(\.|\/|[a-z]+:)/i.test(imported.path)) continue;
      packages.add(packageNameOf(imported.path));
    }
  }
  return { files: [...files], packages: [...packages].sort() };
}
