// The Lambda sidebar's AWS profile picker in VS Code: with a temporary AWS_CONFIG_FILE of two
// profiles, the picker (opened from the Functions view's title and answered at the browser, as a
// person would) lists them, the one picked
// is the workspace's setting, and the next debug session's banner names it and its region.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until } from './until';
import { workbench, workbenchDriven } from './workbench';

const VARIABLES = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_REGION'] as const;

describe('the AWS profile picker', () => {
  it('lists the profiles of the AWS configuration; the picked one names the next session’s credentials and region', async function () {
    // The quick pick is answered at the browser: only where a runner drives the page.
    if (!workbenchDriven()) this.skip();
    await vscode.extensions.getExtension('lambda-lifecycle.lambda-lifecycle-debugger')!.activate();
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const settingsFile = path.join(root, '.vscode', 'settings.json');
    const hadSettings = fs.existsSync(settingsFile);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-profiles-'));
    fs.writeFileSync(
      path.join(dir, 'config'),
      '[profile alpha]\nregion = eu-west-1\n[profile beta]\nregion = ap-south-1\n',
    );
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      '[alpha]\naws_access_key_id = AKIAALPHA0000001\naws_secret_access_key = alpha-secret\n' +
        '[beta]\naws_access_key_id = AKIABETA00000001\naws_secret_access_key = beta-secret\n',
    );
    const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of VARIABLES) delete process.env[name];
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');

    const output: string[] = [];
    const tracker = vscode.debug.registerDebugAdapterTrackerFactory('lambda', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage: (message: { type: string; event?: string; body?: { output?: string } }) => {
          if (message.type === 'event' && message.event === 'output') output.push(message.body?.output ?? '');
        },
      }),
    });
    let ended = false;
    const listener = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.event === 'lambda/invocationEnded') ended = true;
    });
    try {
      // The key button in the title of the Lambda sidebar's Functions view.
      await vscode.commands.executeCommand('lambdaLifecycle.functions.focus');
      await workbench({ click: '.action-label[aria-label="Choose AWS Profile"]' });
      await workbench({ waitFor: '.quick-input-widget .monaco-list-row', screenshot: 'aws-profile-picker' });
      await workbench({ type: 'beta' });
      await workbench({ press: 'Enter' });
      await until('the picked profile in the workspace settings', () =>
        vscode.workspace.getConfiguration('lambdaLifecycle').get('awsProfile') === 'beta' ? true : undefined,
      );

      const started = await vscode.debug.startDebugging(
        vscode.workspace.workspaceFolders![0],
        {
          type: 'lambda',
          request: 'launch',
          name: 'Greeter with the picked profile',
          template: 'template.yaml',
          function: 'GreeterFunction',
        },
        { noDebug: true },
      );
      assert.ok(started, 'the session started');
      await until('the invocation', () => ended);
      const text = output.join('');
      assert.match(text, /AWS credentials: profile beta; region ap-south-1/);
      assert.doesNotMatch(text, /beta-secret|AKIABETA00000001/, 'no secret in the Debug Console');
      await vscode.commands.executeCommand('workbench.debug.action.focusRepl');
      await workbench({ waitFor: '.repl', screenshot: 'aws-profile-banner' });
      await vscode.debug.stopDebugging();
    } finally {
      listener.dispose();
      tracker.dispose();
      await vscode.workspace
        .getConfiguration('lambdaLifecycle')
        .update('awsProfile', undefined, vscode.ConfigurationTarget.Workspace);
      if (!hadSettings) fs.rmSync(path.join(root, '.vscode', 'settings.json'), { force: true });
      if (fs.existsSync(path.join(root, '.vscode')) && fs.readdirSync(path.join(root, '.vscode')).length === 0)
        fs.rmdirSync(path.join(root, '.vscode'));
      for (const name of VARIABLES) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
