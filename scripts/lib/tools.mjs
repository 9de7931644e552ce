// Where the tools the tests and `npm start` use live once scripts/setup.mjs has installed
// them: code-server and playwright-core in .vscode-test/code-server, Debian's Chromium.
// Nothing here installs: a missing tool is an error that says to run the setup.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER = '4.100.3';
export const PLAYWRIGHT = '1.49.1';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const codeServerDir = path.join(root, '.vscode-test', 'code-server');
const entry = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const playwright = path.join(codeServerDir, 'node_modules', 'playwright-core');
const chromium = '/usr/bin/chromium';

/** True when scripts/setup.mjs has installed this version of code-server. */
export function codeServerReady() {
  const marker = path.join(codeServerDir, '.ready');
  return fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === CODE_SERVER && fs.existsSync(entry);
}

/** The paths of code-server, playwright-core and Chromium; throws when they are not installed. */
export function codeServerTools() {
  if (!codeServerReady() || !fs.existsSync(chromium)) {
    throw new Error(
      'code-server or Chromium is not installed: run `node scripts/setup.mjs` (npm test and npm start run it first).',
    );
  }
  return { entry, playwright, chromium };
}
