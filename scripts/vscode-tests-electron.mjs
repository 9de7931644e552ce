// The extension-host suite (test/vscode) in VS Code desktop, downloaded by
// @vscode/test-electron: for a developer's desktop or a CI with internet. These machines
// cannot download VS Code; there `npm test` runs the same suite in code-server
// (scripts/vscode-tests.mjs).
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildExtensionTests, projectRoot } from './lib/codeServer.mjs';

const extensionTestsPath = await buildExtensionTests();
try {
  await runTests({
    extensionDevelopmentPath: projectRoot,
    extensionTestsPath,
    launchArgs: [path.join(projectRoot, 'examples'), '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`The extension-host suite failed: ${error?.message ?? error}`);
  process.exit(1);
}
