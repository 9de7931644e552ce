// Invoke with Event… → "New sample event…" and Copy Served URLs, in a real VS Code
// (code-server here), driven through the quick picks as a user goes through them: the
// command lists the workspace's event files under "New sample event…", which asks for a
// service and a type, writes events/SERVICE-TYPE.json, opens it and invokes the debugged
// function with it; the serving session's status bar item copies every served line to the
// clipboard. Screenshots of each step go to out/screenshots/vscode-sample-*.png.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LambdaLifecycleApi } from '../../src/extension';
import { services } from '../../src/fronts/samples/index';
import type { ServingEventBody } from '../../src/protocol/debugProtocol';
import type { EngineEvent } from '../../src/protocol/engineEvents';
import { screenshot } from './screenshot';
import { until } from './until';

const EXTENSION_ID = 'lambda-lifecycle.lambda-lifecycle-debugger';
/** Lets the workbench draw a quick pick the command just opened (no API says it is shown). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
const next = () => vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
const accept = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');

describe('New sample event… and Copy Served URLs in VS Code', () => {
  const folder = () => vscode.workspace.workspaceFolders![0];

  it('writes an SQS sample event through the quick picks, opens it and invokes with it; copies the served URLs', async () => {
    const api = (await vscode.extensions
      .getExtension<LambdaLifecycleApi>(EXTENSION_ID)!
      .activate()) as LambdaLifecycleApi;
    const written = path.join(folder().uri.fsPath, 'events', 'sqs-receive-message.json');
    fs.rmSync(written, { force: true });
    let serving: ServingEventBody | undefined;
    const engineEvents: EngineEvent[] = [];
    const listener = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.event === 'lambda/serving') serving = e.body as ServingEventBody;
      if (e.event === 'lambda/engineEvent') engineEvents.push(e.body as EngineEvent);
    });
    try {
      // Run without debugging (no phase stops to continue); the session serves and takes invocations.
      assert.ok(
        await vscode.debug.startDebugging(
          folder(),
          {
            type: 'lambda',
            request: 'launch',
            name: 'Greeter (serve, sample events)',
            template: 'template.yaml',
            function: 'GreeterFunction',
            serve: { port: 0, lambdaPort: 0 },
          },
          { noDebug: true },
        ),
      );
      const body = await until('the session to serve', () => serving);
      await until('the status bar item', () => api.serving.state);

      // Copy Served URLs (the status bar item's click): every line `serve` would print.
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('lambdaLifecycle.copyServeUrls');
      const copied = await until(
        'the clipboard to hold the served URLs',
        async () => (await vscode.env.clipboard.readText()) || undefined,
      );
      assert.equal(copied, body.lines.join('\n') + '\n');
      assert.match(copied, /^Invoke API {2}http:\/\/127\.0\.0\.1:\d+\n/);
      assert.match(copied, /-> GreeterFunction\n/);
      await screenshot('sample-1-copied-urls');

      // Invoke with Event…: "New sample event…" is the first entry, above the workspace's files.
      const command = vscode.commands.executeCommand('lambdaLifecycle.invokeWithEvent');
      await settle();
      await screenshot('sample-2-invoke-with-event');
      await accept();
      await settle();
      for (let i = 0; i < services().indexOf('sqs'); i++) await next();
      await screenshot('sample-3-service');
      await accept();
      await settle();
      await screenshot('sample-4-type');
      await accept();
      await command;

      const event = JSON.parse(
        await until(
          'events/sqs-receive-message.json',
          () => fs.existsSync(written) && fs.readFileSync(written, 'utf8'),
        ),
      ) as {
        Records: { eventSource: string; md5OfBody: string }[];
      };
      assert.equal(event.Records[0].eventSource, 'aws:sqs');
      const editor = await until('the event file open in an editor', () =>
        vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === written),
      );
      assert.ok(editor);
      const started = await until('the invocation with the sample event', () =>
        engineEvents.find((e) => e.type === 'invocationStarted'),
      );
      assert.deepEqual(started.type === 'invocationStarted' && started.event, event);
      await until('the invocation to end', () => engineEvents.find((e) => e.type === 'invocationEnded'));
      await screenshot('sample-5-invoked');
      await vscode.debug.stopDebugging();
      await until('the status bar item to go', () => api.serving.state === null || undefined);
    } finally {
      listener.dispose();
      fs.rmSync(written, { force: true });
    }
  });
});
