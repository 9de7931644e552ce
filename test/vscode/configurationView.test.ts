// The Configuration view's round trip in VS Code: values checked as Lambda checks them;
// a change saved as local settings in the launch configuration is what the next session
// runs with; a change while the session runs retires its warm environments (the next
// invoke is cold, with the new memory in its REPORT); the CPU share the view states is the
// one the engine holds (and off with lambdaLifecycle.cpu "full"); "Write to template" keeps comments.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until } from './until';
import type { LambdaLifecycleApi } from '../../src/extension';
import { ConfigurationView } from '../../src/ui/configurationView';
import type { FromConfigView, ToConfigView } from '../../src/protocol/webviewProtocol';
import { cpuShareHeld } from '../../src/config/functionConfig';
import type { CpuShareInfo } from '../../src/protocol/engineEvents';

describe('the Configuration view', () => {
  it('checks values, saves local settings the next session uses, reconfigures a running one, and writes the template keeping comments', async () => {
    const api = (await vscode.extensions
      .getExtension('lambda-lifecycle.lambda-lifecycle-debugger')!
      .activate()) as LambdaLifecycleApi;
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const template = path.join(root, 'template.yaml');
    const original = fs.readFileSync(template, 'utf8');
    const launchFile = path.join(root, '.vscode', 'launch.json');
    const selected = { name: 'GreeterFunction', launch: { template, function: 'GreeterFunction' } };
    const results: Array<{ status: string; environmentId: string }> = [];
    const reports: Array<{ memorySizeMB: number; initDurationMs: number | null }> = [];
    const created: Array<{ memorySizeMB: number; cpu: CpuShareInfo }> = [];
    const listener = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.event === 'lambda/invocationEnded') results.push(e.body);
      if (e.event === 'lambda/engineEvent' && e.body.type === 'invocationEnded') reports.push(e.body.result.report);
      if (e.event === 'lambda/engineEvent' && e.body.type === 'environmentCreated') created.push(e.body);
    });
    try {
      api.configuration.select(selected);
      const settings = api.configuration.settingsOf(selected);
      assert.deepEqual(
        { memory: settings.memorySize, timeout: settings.timeout, runtime: settings.runtime },
        { memory: 128, timeout: 5, runtime: 'nodejs20.x' },
      );

      const refused = await api.configuration.save(
        { ...settings, memorySize: 64, environment: { AWS_REGION: 'x' } },
        false,
      );
      assert.ok(typeof refused !== 'string');
      assert.match(refused.problems.memorySize, /128 to 10240/);
      assert.match(refused.problems['environment.AWS_REGION'], /reserved/);

      const saved = await api.configuration.save(
        { ...settings, memorySize: 512, environment: { ...settings.environment, GREETING: 'Hi' } },
        false,
      );
      assert.match(String(saved), /Saved as local settings in \.vscode\/launch\.json/);
      const launch = vscode.workspace.getConfiguration('launch').get<Array<Record<string, unknown>>>('configurations')!;
      const configuration = launch.find((c) => c.function === 'GreeterFunction')!;
      assert.equal(configuration.memorySize, 512);
      assert.equal(fs.readFileSync(template, 'utf8'), original, 'the template is not touched');

      assert.ok(
        await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], configuration.name as string, {
          noDebug: true,
        }),
      );
      await until('the first invocation', () => reports.length >= 1);
      assert.equal(reports[0].memorySizeMB, 512);
      // The view says the CPU share as the engine holds it: the environment's own record agrees.
      const cpu = api.configuration.cpuOf(selected);
      assert.equal(cpu.mode, 'share');
      assert.deepEqual(created[0].cpu, cpuShareHeld(512, cpu));
      if (process.platform === 'linux' && process.getuid?.() === 0) assert.equal(created[0].cpu.enforcedBy, 'cgroup');

      const running = await api.configuration.save(
        { ...settings, memorySize: 256, environment: { ...settings.environment, GREETING: 'Hi' } },
        false,
      );
      assert.match(String(running), /retired its warm environments/);
      await vscode.commands.executeCommand('lambdaLifecycle.invoke');
      await until('the invocation after the change', () => reports.length >= 2);
      assert.equal(reports[1].memorySizeMB, 256);
      assert.notEqual(reports[1].initDurationMs, null, 'the next invocation is cold');
      assert.notEqual(results[1].environmentId, results[0].environmentId);
      await vscode.debug.stopDebugging();
      await until('the session to end', () => !vscode.debug.activeDebugSession);

      // lambdaLifecycle.cpu "full": the view says the share is off.
      await vscode.workspace
        .getConfiguration('lambdaLifecycle')
        .update('cpu', 'full', vscode.ConfigurationTarget.Workspace);
      assert.equal(api.configuration.cpuOf(selected).mode, 'full');
      assert.equal(cpuShareHeld(512, api.configuration.cpuOf(selected)).enforcedBy, 'none');
      await vscode.workspace
        .getConfiguration('lambdaLifecycle')
        .update('cpu', undefined, vscode.ConfigurationTarget.Workspace);

      const written = await api.configuration.save(
        { ...settings, memorySize: 1024, environment: { GREETING: 'Hey' } },
        true,
      );
      assert.match(String(written), /Written to template\.yaml/);
      const text = fs.readFileSync(template, 'utf8');
      assert.match(text, /# Example functions for Lambda Lifecycle Debugger/);
      assert.match(text, /STAGE: !Ref Stage/);
      assert.match(text, /GreeterFunction:[\s\S]*MemorySize: 1024[\s\S]*GREETING: Hey[\s\S]*ReportFunction:/);
    } finally {
      listener.dispose();
      fs.writeFileSync(template, original);
      fs.rmSync(path.dirname(launchFile), { recursive: true, force: true });
    }
  });

  it('sends the page one `show` after it has loaded: a function selected while it loads does not reset what is typed', async () => {
    // VS Code queues what is posted to a page that is still loading; a `show` queued then and
    // the one its `ready` asks for would come one after the other, the second putting back
    // the saved values over one typed in between.
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const selected = {
      name: 'GreeterFunction',
      launch: { template: path.join(root, 'template.yaml'), function: 'GreeterFunction' },
    };
    const posted: ToConfigView[] = [];
    let receive: (message: FromConfigView) => Promise<void> = async () => undefined;
    const page = {
      webview: {
        options: {},
        html: '',
        cspSource: 'vscode-webview:',
        asWebviewUri: (uri: vscode.Uri) => uri,
        postMessage: async (message: ToConfigView) => posted.push(message) > 0,
        onDidReceiveMessage: (listener: (message: FromConfigView) => Promise<void>) => {
          receive = listener;
          return { dispose() {} };
        },
      },
      onDidDispose: () => ({ dispose() {} }),
    } as unknown as vscode.WebviewView;
    const extension = vscode.extensions.getExtension('lambda-lifecycle.lambda-lifecycle-debugger')!;
    const view = new ConfigurationView({ extensionUri: extension.extensionUri } as vscode.ExtensionContext);
    view.resolveWebviewView(page);
    view.select(selected);
    assert.deepEqual(
      posted.map((m) => m.type),
      [],
      'nothing is shown before the page has loaded',
    );
    await receive({ type: 'ready' });
    const shows = () => posted.filter((m) => m.type === 'show');
    assert.equal(shows().length, 1, 'the page gets one show once it has loaded');
    assert.equal(shows()[0].type === 'show' && shows()[0].name, 'GreeterFunction');
    view.select({ ...selected, name: 'OrdersFunction', launch: { ...selected.launch, function: 'OrdersFunction' } });
    assert.equal(shows().length, 2, 'a selection on a loaded page shows at once');
  });
});
