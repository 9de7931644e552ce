// The function's process.env under VS Code's JavaScript debugger is Lambda's: js-debug's
// child-process attach would add NODE_OPTIONS (its bootloader) and VSCODE_INSPECTOR_OPTIONS
// to it when it attaches to an environment (jsDebugBridge.ts turns that off). And js-debug is
// told the environment's Node major (nodeVersionHint), not left to run the PATH's node.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until } from './until';

interface DapMessage {
  type: string;
  event?: string;
  body?: { threadId?: number; output?: string };
}

describe('the JavaScript debugger attached to an environment', function () {
  this.timeout(120_000);

  it("leaves the function's process.env as Lambda's: no NODE_OPTIONS or VSCODE_INSPECTOR_OPTIONS of its own", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-debugger-variables-'));
    fs.writeFileSync(
      path.join(root, 'index.js'),
      "exports.handler = async () => { console.log('variables: ' + JSON.stringify({ NODE_OPTIONS: process.env.NODE_OPTIONS, VSCODE_INSPECTOR_OPTIONS: process.env.VSCODE_INSPECTOR_OPTIONS })); console.log('node: ' + process.version); };",
    );
    let line = '';
    let node = '';
    const hints: unknown[] = [];
    const disposables = [
      vscode.debug.onDidStartDebugSession((session) => {
        // The session the bridge starts (js-debug's own child under it has no hint of its own).
        if (session.type === 'pwa-node' && session.parentSession?.type === 'lambda')
          hints.push(session.configuration.nodeVersionHint);
      }),
      // Continue from the phase stops (Init, Invoke).
      vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: DapMessage) => {
            if (m.type === 'event' && m.event === 'stopped')
              void session.customRequest('continue', { threadId: m.body?.threadId }).then(undefined, () => undefined);
          },
        }),
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('lambda', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m: DapMessage) => {
            if (m.type === 'event' && m.event === 'output' && m.body?.output?.includes('variables: '))
              line = m.body.output;
            if (m.type === 'event' && m.event === 'output' && m.body?.output?.includes('node: v')) node = m.body.output;
          },
        }),
      }),
    ];
    try {
      assert.ok(
        await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], {
          type: 'lambda',
          request: 'launch',
          name: 'debugger variables',
          handler: 'index.handler',
          root,
        }),
      );
      await until('the handler logs its variables', () => line || undefined, 90_000);
      assert.deepEqual(JSON.parse(line.slice(line.indexOf('variables: ') + 'variables: '.length)), {});
      await until('the handler logs its Node', () => node || undefined, 10_000);
      const major = Number(/node: v(\d+)\./.exec(node)?.[1]);
      assert.ok(major >= 20, node);
      assert.deepEqual(hints, [major]);
    } finally {
      await vscode.debug.stopDebugging().then(undefined, () => undefined);
      for (const d of disposables) d.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
