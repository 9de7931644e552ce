// The language server in VS Code: opening the Orders handler shows its Invoke / Debug /
// Tune Memory CodeLens and the lifecycle diagnostic for the timer it leaves pending on purpose; a
// handler with a client created per invocation gets that diagnostic and its quick fix.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { until } from './until';

describe('the Lambda language server in VS Code', () => {
  const folder = () => vscode.workspace.workspaceFolders![0];

  it('shows Invoke / Debug / Tune Memory CodeLens and lifecycle diagnostics on a handler', async () => {
    const uri = vscode.Uri.joinPath(folder().uri, 'orders', 'app.js');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = await until('CodeLens', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return found?.some((l) => l.command?.command === 'lambdaLifecycle.invokeFunction') ? found : undefined;
    });
    assert.deepEqual(
      lenses.filter((l) => l.command?.command.startsWith('lambdaLifecycle.')).map((l) => l.command!.title),
      ['▶ Invoke', 'Debug', 'Tune Memory…'],
    );
    const diagnostics = await until('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'lambda');
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line + 1]),
      [['pending-work-at-return', 40]],
    );
  });

  it("runs the function from the CodeLens' Invoke command", async () => {
    const uri = vscode.Uri.joinPath(folder().uri, 'greeter', 'index.mjs');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lens = await until('the Invoke lens', async () =>
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri))?.find(
        (l) => l.command?.command === 'lambdaLifecycle.invokeFunction',
      ),
    );
    let result: { status: string } | undefined;
    const listener = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.event === 'lambda/invocationEnded') result = e.body;
    });
    try {
      await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
      const ended = await until('the invocation', () => result, 60_000);
      assert.equal(ended.status, 'success');
      await vscode.debug.stopDebugging();
    } finally {
      listener.dispose();
    }
  });

  it('flags a client created in the handler and offers to move it to module scope', async () => {
    const uri = vscode.Uri.joinPath(folder().uri, 'orders', 'lld-test-client.js');
    fs.writeFileSync(
      uri.fsPath,
      'exports.handler = async () => {\n  const db = new DynamoDBClient({});\n  return db;\n};\n',
    );
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const diagnostic = await until('the client-in-handler diagnostic', () =>
        vscode.languages.getDiagnostics(uri).find((d) => d.code === 'client-in-handler'),
      );
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        diagnostic.range,
      );
      const fix = actions.find((a) => a.title.startsWith('Move to module scope'));
      assert.ok(fix?.edit, 'the quick fix');
      await vscode.workspace.applyEdit(fix.edit);
      const text = vscode.window.activeTextEditor!.document.getText();
      assert.ok(text.indexOf('const db = new DynamoDBClient({});') < text.indexOf('exports.handler'), text);
      await until('the diagnostic to clear', () =>
        vscode.languages.getDiagnostics(uri).some((d) => d.code === 'client-in-handler') ? undefined : true,
      );
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      fs.rmSync(uri.fsPath, { force: true });
    }
  });
});
