// A debug session that serves, in a real VS Code (code-server here): launch `"serve"`, the
// status bar item shows where, an HTTP request reaches a line breakpoint in VS Code's
// JavaScript debugger and gets its response only after Continue; the state panel's feed
// carries the request as the invocation's trigger.

import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { LambdaLifecycleApi } from '../../src/extension';
import type { ServingEventBody } from '../../src/protocol/debugProtocol';
import type { EngineEvent } from '../../src/protocol/engineEvents';
import { until } from './until';

const EXTENSION_ID = 'lambda-lifecycle.lambda-lifecycle-debugger';

describe('a serving debug session in VS Code', () => {
  const folder = () => vscode.workspace.workspaceFolders![0];

  it('an HTTP request stops at a line breakpoint and is answered after Continue', async () => {
    const api = (await vscode.extensions
      .getExtension<LambdaLifecycleApi>(EXTENSION_ID)!
      .activate()) as LambdaLifecycleApi;
    const uri = vscode.Uri.joinPath(folder().uri, 'greeter/index.mjs');
    const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(3, 0)));
    vscode.debug.addBreakpoints([breakpoint]);
    let serving: ServingEventBody | undefined;
    const engineEvents: EngineEvent[] = [];
    const stopped: { session: vscode.DebugSession; threadId: number }[] = [];
    const trail: string[] = [];
    const disposables = [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event === 'lambda/serving') serving = e.body as ServingEventBody;
        if (e.event === 'lambda/engineEvent') engineEvents.push(e.body as EngineEvent);
      }),
      // Phase stops (Init, Invoke: on by default) continue; the line breakpoint's stop is kept.
      vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: { type: string; event?: string; body?: { threadId: number } }) =>
            void (async () => {
              if (message.type !== 'event' || message.event !== 'stopped') return;
              const threadId = message.body!.threadId;
              const top = (await session.customRequest('stackTrace', { threadId, levels: 1 })).stackFrames[0];
              // The phase stops land on the user's lines too (the module's and the handler's first
              // statements): the first stop in the handler's line (4) is held, every other goes on.
              trail.push(`${top.source?.path ?? ''}:${top.line}`);
              const held = /greeter\/index\.mjs$/.test(top.source?.path ?? '') && top.line === 4;
              if (held && stopped.length === 0) stopped.push({ session, threadId });
              else await session.customRequest('continue', { threadId });
            })(),
        }),
      }),
    ];
    try {
      assert.ok(
        await vscode.debug.startDebugging(folder(), {
          type: 'lambda',
          request: 'launch',
          name: 'Greeter (serve)',
          template: 'template.yaml',
          function: 'GreeterFunction',
          serve: { port: 0, lambdaPort: 0 },
        }),
      );
      const body = await until('the session to serve', () => serving);
      const status = await until('the status bar item', () => api.serving.state);
      assert.ok(status.text.includes(body.httpUrl.replace('http://', '')), status.text);
      assert.deepEqual(status.lines, body.lines);

      let answered = false;
      const response = fetch(`${body.httpUrl}/greet?name=x`).then(async (r) => {
        answered = true;
        return { status: r.status, body: await r.text() };
      });
      const stop = await until('the line breakpoint in greeter/index.mjs', () => stopped[0], 40_000).catch(
        (error: Error) => {
          throw new Error(`${error.message}; stops: ${trail.join(', ')}`);
        },
      );
      assert.equal(answered, false, 'the request waits while stopped');
      await stop.session.customRequest('continue', { threadId: stop.threadId });
      const r = await response;
      assert.equal(r.status, 200);
      assert.deepEqual(JSON.parse(r.body), { message: 'Hello, world!' });
      const started = engineEvents.find((e) => e.type === 'invocationStarted');
      assert.deepEqual(started?.type === 'invocationStarted' && started.trigger, {
        kind: 'http',
        front: 'http',
        method: 'GET',
        path: '/greet',
        routeKey: '$default',
      });
      await vscode.debug.stopDebugging();
      await until('the status bar item to go', () => api.serving.state === null || undefined);
    } finally {
      vscode.debug.removeBreakpoints([breakpoint]);
      for (const d of disposables) d.dispose();
    }
  });
});
