// Checks, before anything starts, that a Node handler string points at a file in the code
// root, as the runtime will look for it (extensionless, .js, .mjs, .cjs, .ts, .mts, .cts,
// or a package in node_modules). Whether the export exists is the Init phase's to say.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './functionConfig';

const EXTENSIONS = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

/** The handler's module file; throws a ConfigError saying what to fix when there is none. */
export function findHandlerFile(root: string, handler: string): string {
  if (handler.includes('..')) {
    throw new ConfigError(
      `The handler "${handler}" contains "..": name the module relative to the code root, e.g. "src/app.handler".`,
    );
  }
  const base = path.posix.basename(handler);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) {
    throw new ConfigError(
      `The handler "${handler}" must be FILE.EXPORT, e.g. "app.handler" for the export "handler" of app.js.`,
    );
  }
  const modulePath = handler.slice(0, handler.length - base.length) + base.slice(0, dot);
  for (const extension of EXTENSIONS) {
    const candidate = path.join(root, modulePath + extension);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  const asPackage = path.join(root, 'node_modules', modulePath);
  if (fs.existsSync(asPackage)) return asPackage;
  throw new ConfigError(
    `No file for the handler "${handler}" in ${root}: looked for ${modulePath}.js, .mjs, .cjs, .ts, .mts and .cts. Check "handler" and the code root.`,
  );
}
