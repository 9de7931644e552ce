// A screenshot of the workbench in the middle of an extension-host test
// (out/screenshots/vscode-NAME.png), taken by the runner that drives the browser. Without
// that runner (e.g. under @vscode/test-electron) there is no browser to shoot and this does
// nothing.

import { workbench, workbenchDriven } from './workbench';

export async function screenshot(name: string): Promise<void> {
  if (workbenchDriven()) await workbench({ screenshot: `vscode-${name}` });
}
