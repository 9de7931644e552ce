// `npm start`: the extension in a real VS Code with the example workspace. Installs what
// is missing (npm dependencies, code-server, Chromium is not needed here), builds and
// packages the extension, installs it into a private code-server, and serves
// examples/ on http://127.0.0.1:8080 (PORT to change it). Open the address, open
// orders/app.js and press F5. Ctrl-C ends code-server and removes its folders.
import { execSync } from 'node:child_process';
import * as path from 'node:path';

execSync('node scripts/ensure-deps.mjs', { stdio: 'inherit' });
const { ensureCodeServer, packageExtension, projectRoot, startCodeServer } = await import('./lib/codeServer.mjs');
const vsix = packageExtension();
const tools = ensureCodeServer();
const vscode = await startCodeServer({
  tools,
  workspace: path.join(projectRoot, 'examples'),
  vsix,
  port: Number(process.env.PORT ?? 8080),
});
console.log(`\nLambda Lifecycle Debugger: VS Code with the examples workspace is at\n\n    ${vscode.url()}\n`);
console.log('Open orders/app.js, press F5 and pick OrdersFunction. Ctrl-C to stop.\n');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await vscode.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
vscode.server.on('exit', () => void stop());
