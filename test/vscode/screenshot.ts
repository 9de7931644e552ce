// A screenshot of the workbench in the middle of an extension-host test: the test writes a
// request file, scripts/vscode-tests.mjs (which holds the browser) takes
// out/screenshots/vscode-NAME.png and answers. Without that runner (e.g. under
// @vscode/test-electron) there is no browser to shoot and this does nothing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { until } from './until';

export async function screenshot(name: string): Promise<void> {
  const dir = process.env.LLD_SCREENSHOT_REQUESTS;
  if (!dir) return;
  fs.writeFileSync(path.join(dir, `${name}.request`), '');
  await until(`the screenshot ${name}`, () => fs.existsSync(path.join(dir, `${name}.done`)), 30_000);
}
