// `npm start`: the extension in a real VS Code with the example workspace. Installs what
// is missing first (scripts/setup.mjs, with a line of progress per step), packages the
// extension, installs it into a private code-server, and serves examples/ on
// http://127.0.0.1:8080 (PORT to change it). Open the address, open orders/app.js and
// press F5. Ctrl-C ends code-server and removes its folders.
import { execSync } from 'node:child_process';
import * as path from 'node:path';

execSync('node scripts/setup.mjs', { stdio: 'inherit' });
const { codeServerTools, packageExtension, projectRoot, startCodeServer } = await import('./lib/codeServer.mjs');
console.error('[start] packaging the extension…');
const vsix = await packageExtension();
console.error('[start] starting VS Code (code-server)…');
const vscode = await startCodeServer({
  tools: codeServerTools(),
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
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
vscode.server.on('exit', () => void stop());
