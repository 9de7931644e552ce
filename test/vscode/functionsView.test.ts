// The Lambda sidebar's Functions view in VS Code: the example template's functions,
// grouped by file, run from the view's Invoke action, with the running environment shown
// under the function.

import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { until } from './until';
import type { LambdaLifecycleApi } from '../../src/extension';

describe('the Functions view', () => {
  it('lists the functions by file and shows the environment of one run from its Invoke action', async () => {
    const api = (await vscode.extensions
      .getExtension('lambda-lifecycle.lambda-lifecycle-debugger')!
      .activate()) as LambdaLifecycleApi;
    const sources = await api.functions.getChildren();
    const template = sources.find((s) => s.kind === 'source' && s.label === 'template.yaml');
    assert.ok(template && template.kind === 'source');
    const names = template.functions.map((f) => f.name);
    assert.deepEqual(names, ['OrdersFunction', 'GreeterFunction', 'ReportFunction']);
    assert.equal(sources.length, 1, 'every handler of the examples is in the template');
    assert.equal(api.functions.getTreeItem(template).description, '3 functions');

    const greeter = template.functions[1];
    let ended = false;
    const listener = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.event === 'lambda/invocationEnded') ended = true;
    });
    try {
      await vscode.commands.executeCommand('lambdaLifecycle.functions.invoke', greeter);
      await until('the invocation', () => ended);
      let environments: Awaited<ReturnType<typeof api.functions.getChildren>> = [];
      await until('the environment under the function', () => {
        void api.functions.getChildren(greeter).then((children) => (environments = children));
        return environments.length > 0;
      });
      const item = api.functions.getTreeItem(environments[0]);
      assert.equal(item.label, 'env 1');
      assert.match(String(item.description), /^warm · 1 invocation · \d+ of 128 MB$/);
      await vscode.debug.stopDebugging();
      await until('the environment to go', () => {
        void api.functions.getChildren(greeter).then((children) => (environments = children));
        return environments.length === 0;
      });
    } finally {
      listener.dispose();
    }
  });
});
