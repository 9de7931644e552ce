// The Init profile in a real VS Code (code-server): a debug session (the profile is on by
// default there) runs a function whose handler requires a light and a heavy module; then the
// handler's file shows "Init: N ms" above each require (the heavy one, used on one line only,
// says so), and the lens opens the state panel's Init tree. The editor stays open for the
// suite's closing screenshot.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until } from './until';

describe('the Init profile in VS Code', () => {
  it('puts "Init: N ms" above each require of the handler after a cold start, and the lens opens the Init tree', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-init-lens-'));
    fs.writeFileSync(
      path.join(root, 'app.js'),
      [
        "const store = require('./store');",
        "const resize = require('./resize');",
        '',
        'exports.handler = async (event) => {',
        '  if (event.resize) return resize(event);',
        '  return store.get(event.id);',
        '};',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(root, 'store.js'),
      'const items = new Map();\nexports.get = (id) => items.get(id) ?? null;\n',
    );
    fs.writeFileSync(
      path.join(root, 'resize.js'),
      '// Stands for a heavy image library: 80 ms of top-level work.\nconst until = performance.now() + 80;\nwhile (performance.now() < until);\nmodule.exports = (event) => ({ resized: event.resize });\n',
    );
    let ended = false;
    // Phase stops (on by default) are continued, in the JavaScript child session and in ours.
    const continueStops = (session: vscode.DebugSession) => ({
      onDidSendMessage: (message: { type: string; event?: string; body?: { threadId: number } }) => {
        if (message.type !== 'event' || message.event !== 'stopped') return;
        void session.customRequest('continue', { threadId: message.body!.threadId });
      },
    });
    const listeners = [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event === 'lambda/invocationEnded') ended = true;
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', { createDebugAdapterTracker: continueStops }),
      vscode.debug.registerDebugAdapterTrackerFactory('lambda', { createDebugAdapterTracker: continueStops }),
    ];
    try {
      const folder = vscode.workspace.workspaceFolders![0];
      assert.ok(
        await vscode.debug.startDebugging(folder, {
          type: 'lambda',
          request: 'launch',
          name: 'Init profile',
          root,
          handler: 'app.handler',
          runtime: 'nodejs22.x',
          // A full vCPU (memory buys CPU): the cold start is not the test's slowest part.
          memorySize: 1769,
          event: { id: 'a' },
        }),
      );
      await until('the cold invocation', () => ended || undefined, 60_000);
      const uri = vscode.Uri.file(path.join(root, 'app.js'));
      await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.One });
      const lenses = await until('the Init CodeLenses', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        const init = (found ?? []).filter((lens) => lens.command?.title.startsWith('Init:'));
        return init.length >= 2 ? init : undefined;
      });
      const byLine = new Map(lenses.map((lens) => [lens.range.start.line, lens.command!]));
      assert.match(byLine.get(0)?.title ?? '', /^Init: \d+(\.\d)? ms$/);
      const heavy = byLine.get(1);
      assert.match(heavy?.title ?? '', /^Init: \d+ ms · used on one line only$/);
      assert.ok(Number(/Init: (\d+)/.exec(heavy!.title)![1]) >= 80, heavy!.title);
      assert.match(String(heavy?.tooltip), /line 5 only/);
      // The lens opens the state panel at that entry.
      await vscode.commands.executeCommand(heavy!.command, ...(heavy!.arguments ?? []));
      await until(
        'the state panel',
        () =>
          vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.label === 'Lambda State')) ||
          undefined,
      );
      // Let the panel draw before the suite's closing screenshot.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await vscode.debug.stopDebugging();
    } finally {
      for (const listener of listeners) listener.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
