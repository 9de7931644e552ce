// What an extension-host test asks of the workbench page itself, done by the runner that
// drives the browser (scripts/vscode-tests.mjs, code-server): wait for an element, click, type,
// press a key, take a screenshot (out/screenshots/<name>.png). Each request is a file in the
// folder LLD_TEST_ACTIONS; the runner answers with `<n>.done` holding its error, if any.
// Elsewhere (VS Code desktop under @vscode/test-electron) there is no such runner.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { until } from './until';

export interface WorkbenchAction {
  /** A CSS selector to wait for, visible, before the rest. */
  waitFor?: string;
  /** A CSS selector to click. */
  click?: string;
  type?: string;
  /** A key as Playwright names it: 'Enter', 'Escape', … */
  press?: string;
  screenshot?: string;
  /** A CSS selector whose elements' inner texts to answer with. */
  texts?: string;
}

/** True when a runner drives the workbench page. */
export const workbenchDriven = (): boolean => !!process.env.LLD_TEST_ACTIONS;

let count = 0;

/** Does `action`; resolves with the inner texts `action.texts` selected (else none). */
export async function workbench(action: WorkbenchAction): Promise<string[]> {
  const dir = process.env.LLD_TEST_ACTIONS;
  if (!dir) throw new Error('No runner drives the workbench page (LLD_TEST_ACTIONS is not set).');
  const base = path.join(dir, `${process.pid}-${++count}`);
  fs.writeFileSync(`${base}.json.tmp`, JSON.stringify(action));
  fs.renameSync(`${base}.json.tmp`, `${base}.json`);
  const done = await until(`the workbench to do ${JSON.stringify(action)}`, () =>
    fs.existsSync(`${base}.done`)
      ? (JSON.parse(fs.readFileSync(`${base}.done`, 'utf8')) as { error: string; texts: string[] })
      : undefined,
  );
  fs.rmSync(`${base}.done`, { force: true });
  if (done.error) throw new Error(`The workbench could not do ${JSON.stringify(action)}: ${done.error}`);
  return done.texts;
}
