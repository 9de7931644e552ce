// Build script: bundles every entry point of the extension with esbuild.
// Type-checking is separate (`npm run typecheck`), as in vscode-extension-samples' esbuild-sample.
//   node esbuild.mjs                          dist/, with source maps (development, tests)
//   node esbuild.mjs --production --outdir D  D/, minified, no source maps (the packaged extension)
//   node esbuild.mjs --watch
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const argv = process.argv.slice(2);
const watch = argv.includes('--watch');
const production = argv.includes('--production');
const outdir = argv.includes('--outdir') ? argv[argv.indexOf('--outdir') + 1] : 'dist';
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  // Minified for the package; names kept, since error types and stack traces show them.
  minify: production,
  keepNames: production,
  logLevel: 'warning',
  // esbuild is loaded at run time by the Node runtime to transpile TypeScript handlers.
  external: ['vscode', 'esbuild'],
};

const WEBVIEW = { platform: 'browser', format: 'iife', target: 'es2022' };

/** Each entry: [source, output, extra esbuild options]. */
const entries = [
  ['src/cli/main.ts', 'dist/cli.js'],
  ['src/adapter/main.ts', 'dist/debugAdapter.js'],
  // jsonc-parser's UMD build hides its modules from bundlers: take its ES module build.
  ['src/extension.ts', 'dist/extension.js', { mainFields: ['module', 'main'] }],
  ['language-server/src/server.ts', 'dist/languageServer.js', { mainFields: ['module', 'main'] }],
  ['src/runtimes/node/bootstrap.ts', 'dist/runtime/node/bootstrap.js'],
  ['src/runtimes/node/tsLoaderHooks.ts', 'dist/runtime/node/tsLoaderHooks.js'],
  ['src/runtimes/node/profileHooks.ts', 'dist/runtime/node/profileHooks.js'],
  ['src/runtimes/keeper/keeper.ts', 'dist/runtime/keeper.js'],
  // The webviews' scripts run in the browser, one self-contained script per page.
  ['src/webviews/statePanel.ts', 'dist/webviews/statePanel.js', WEBVIEW],
  ['src/webviews/configView.ts', 'dist/webviews/configView.js', WEBVIEW],
  ['src/webviews/tuneChart.ts', 'dist/webviews/tuneChart.js', WEBVIEW],
];

rmSync(outdir, { recursive: true, force: true });
const contexts = await Promise.all(
  entries.map(([entry, outfile, extra]) =>
    esbuild.context({
      ...common,
      ...extra,
      // The runtime runs inside the sandbox and is stepped past by the debugger: kept readable.
      ...(outfile.startsWith('dist/runtime/') ? { minify: false } : {}),
      entryPoints: [entry],
      outfile: outfile.replace(/^dist\//, `${outdir}/`),
      banner: outfile === 'dist/cli.js' ? { js: '#!/usr/bin/env node' } : undefined,
    }),
  ),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
