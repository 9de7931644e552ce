// The extension in a real VS Code (code-server here, VS Code desktop elsewhere) with the
// examples/ workspace open: activation, commands, the configuration provider, and a full
// debug session through vscode.debug with VS Code's JavaScript debugger attached: phase
// stops on the user's own first lines, warm and cold invokes from the commands, and
// nothing left running after Stop.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { until } from './until';
import { processesWithVariable } from '../../scripts/lib/processes.mjs';

const EXTENSION_ID = 'lambda-lifecycle.lambda-lifecycle-debugger';

/** Processes of environments running the example Orders function. */
const ordersProcesses = () => processesWithVariable('AWS_LAMBDA_FUNCTION_NAME', 'OrdersFunction');

describe('Lambda Lifecycle Debugger in VS Code', () => {
  const folder = () => vscode.workspace.workspaceFolders![0];

  it('activates and registers its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is installed');
    await extension.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const command of [
      'lambdaLifecycle.invoke',
      'lambdaLifecycle.invokeCold',
      'lambdaLifecycle.invokeWithEvent',
      'lambdaLifecycle.shutdown',
    ]) {
      assert.ok(commands.includes(command), command);
    }
  });

  it('runs a full debug session: phase stops on the user code lines, warm and cold invokes, and cleanup on Stop', async () => {
    const stops: string[] = [];
    const stopNames: string[] = [];
    const invokeStack: string[] = [];
    const invokeScopes: string[] = [];
    const invokeSessionName: string[] = [];
    const warmHover: string[] = [];
    const initScopes: string[] = [];
    const ended: Array<{ environmentId: string; status: string }> = [];
    const lambdaStops: string[] = [];
    const lambdaStopThreads: number[] = [];
    const consoleOutput: string[] = [];
    const consoleSites: string[] = [];
    let lambdaSession: vscode.DebugSession | undefined;
    const disposables: vscode.Disposable[] = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === 'lambda') lambdaSession = s;
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('lambda', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (message: {
            type: string;
            event?: string;
            body?: {
              threadId: number;
              description?: string;
              output?: string;
              source?: { path?: string };
              line?: number;
            };
          }) => {
            if (message.type === 'event' && message.event === 'output') {
              consoleOutput.push(message.body?.output ?? '');
              if (/\binvocation 1, cache/.test(message.body?.output ?? ''))
                consoleSites.push(`${message.body?.source?.path}:${message.body?.line}`);
            }
            if (message.type !== 'event' || message.event !== 'stopped') return;
            lambdaStops.push(message.body?.description ?? '');
            lambdaStopThreads.push(message.body!.threadId);
          },
        }),
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event === 'lambda/invocationEnded') ended.push(e.body);
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: {
            type: string;
            event?: string;
            body?: { threadId: number; description?: string };
          }) =>
            void (async () => {
              if (message.type !== 'event' || message.event !== 'stopped') return;
              stopNames.push(message.body?.description ?? '');
              const threadId = message.body!.threadId;
              const trace = await session.customRequest('stackTrace', { threadId, levels: 1 });
              const top = trace.stackFrames[0];
              stops.push(`${top.name} ${top.source?.path ?? top.source?.name ?? ''}:${top.line}`);
              if (stops.length === 1) {
                const scopes = await session.customRequest('scopes', { frameId: top.id });
                initScopes.push(...scopes.scopes.map((s: { name: string }) => s.name));
              }
              if (stops.length === 2) {
                // At the Invoke stop: the whole stack, the scopes, and the session's name. The
                // lifecycle frames come from the lambda session's engine events, which travel
                // apart from the JavaScript debugger's stop: asked again (as the Call Stack view
                // asks on a refresh) until the invocation is known.
                const stackNames = async () =>
                  (
                    (await session.customRequest('stackTrace', { threadId })) as { stackFrames: { name: string }[] }
                  ).stackFrames.map((f) => f.name);
                let names = await stackNames();
                for (let i = 0; i < 20 && !names.includes('Invoke #1 (cold)'); i++) {
                  await new Promise((r) => setTimeout(r, 100));
                  names = await stackNames();
                }
                invokeStack.push(...names);
                const scopes = await session.customRequest('scopes', { frameId: top.id });
                invokeScopes.push(...scopes.scopes.map((s: { name: string }) => s.name));
                invokeSessionName.push(session.name);
              }
              if (stops.length === 3) {
                // The warm Invoke stop: hovering over module state shows the value it had after Invoke #1.
                const hover = await session.customRequest('evaluate', {
                  expression: 'invocations',
                  frameId: top.id,
                  context: 'hover',
                });
                warmHover.push(hover.result);
              }
              await session.customRequest('continue', { threadId });
            })(),
        }),
      }),
    ];
    try {
      const started = await vscode.debug.startDebugging(folder(), {
        type: 'lambda',
        request: 'launch',
        name: 'Orders',
        template: 'template.yaml',
        function: 'OrdersFunction',
        event: 'events/order.json',
      });
      assert.ok(started, 'the session started');
      await until('the first invocation', () => ended.length >= 1 || undefined, 60_000);
      const trail = stops.join(' | ');
      assert.equal(ended[0].status, 'success', trail);
      // The function runs on a Node of its runtime's major, whatever Node runs VS Code.
      assert.match(consoleOutput.join(''), /OrdersFunction \(nodejs(\d+)\.x on Node\.js v\1\./);
      // A console line links to the user's line that logged it.
      assert.deepEqual(
        consoleSites.map((site) => site.replace(/^.*\/examples\//, '')),
        ['orders/app.js:37'],
      );
      // One stop per phase, each on the user's own line: the module's first statement
      // (Init) and the handler body's first statement (Invoke); no file of ours.
      assert.match(stops[0] ?? '', /orders\/app\.js:7$/, `Init stops on the module's first line: ${trail}`);
      assert.match(stops[1] ?? '', /handler .*orders\/app\.js:\d+$/, `Invoke stops in the handler: ${trail}`);
      assert.equal(stops.length, 2, trail);
      // Each named after its phase, not as the JavaScript debugger saw it.
      assert.deepEqual(stopNames.slice(0, 2), ['Paused on Init (cold)', 'Paused on Invoke #1 (cold)']);
      // The JavaScript debugger's session is the environment, named as the panel names it;
      // its stack goes on with the lifecycle, its scopes with Lambda's.
      assert.match(invokeSessionName.join(), /^env 1 · (warm|cold) · 1 invocation$/);
      assert.ok(invokeStack.includes('Invoke #1 (cold)'), invokeStack.join(' | '));
      assert.ok(
        invokeStack.some((name) => /^Init \(cold, \d+ ms\)$/.test(name)),
        invokeStack.join(' | '),
      );
      assert.ok(invokeStack.indexOf('Invoke #1 (cold)') > invokeStack.indexOf(stops[1].split(' ')[0]));
      for (const scope of ['Lambda: Event', 'Lambda: Context', 'Lambda: /tmp', 'Lambda: Last REPORT']) {
        assert.ok(invokeScopes.includes(scope), `${scope} in ${invokeScopes.join(', ')}`);
      }
      assert.ok(invokeScopes.indexOf('Lambda: Event') > 0, 'after the JavaScript scopes');
      assert.ok(initScopes.includes('Lambda: Context'), `Lambda scopes at Init: ${initScopes.join(', ')}`);

      // The state panel opens /tmp files from the environment's own folder.
      const tmp = await lambdaSession!.customRequest('lambda/tmpFolder', { environmentId: ended[0].environmentId });
      assert.ok(fs.existsSync(`${tmp.path}/orders-cache.json`), `${tmp.path} holds the function's /tmp`);
      const shown = await vscode.window.showTextDocument(vscode.Uri.file(`${tmp.path}/orders-cache.json`));
      assert.match(shown.document.getText(), /coffee beans/);

      await vscode.commands.executeCommand('lambdaLifecycle.invoke');
      await until('the warm invocation', () => ended.length >= 2 || undefined);
      assert.equal(ended[1].environmentId, ended[0].environmentId, 'Invoke reuses the warm environment');
      assert.deepEqual(warmHover, ['1   (after Invoke #1 (cold): 1)']);

      await vscode.commands.executeCommand('lambdaLifecycle.invokeCold');
      await until('the cold invocation', () => ended.length >= 3 || undefined, 60_000);
      assert.notEqual(ended[2].environmentId, ended[0].environmentId, 'Invoke cold starts a new environment');
      assert.ok(ordersProcesses().length >= 2);

      // Shut down an environment with the Shutdown phase breakpoint on: the session stops
      // (held by our adapter: with no extension registered, Lambda sends no SIGTERM).
      const lambda = lambdaSession;
      assert.ok(lambda, 'the lambda session');
      await lambda.customRequest('setExceptionBreakpoints', { filters: ['shutdown'] });
      const before = ordersProcesses().length;
      await vscode.commands.executeCommand('lambdaLifecycle.shutdown');
      await until('the Shutdown phase stop', () => lambdaStops.find((d) => d.includes('Shutdown')));
      await lambda.customRequest('continue', { threadId: lambdaStopThreads[lambdaStopThreads.length - 1] });
      await until('the environment to end', () => ordersProcesses().length === before - 1 || undefined);

      await vscode.debug.stopDebugging();
      await until('every environment process to end', () => ordersProcesses().length === 0 || undefined);
    } finally {
      for (const d of disposables) d.dispose();
    }
  });

  // Line breakpoints in an ES module and in TypeScript bind on the first cold start; the
  // TypeScript stop shows the .ts file's own line. A line breakpoint in the handler's own
  // module does not swallow the Init stop on its first statement (js-debug continues from
  // its own entry breakpoint in such a file, on the same statement). On Linux as root the
  // function runs in the kernel's sandbox (/var/task), mapped back to the workspace.
  for (const [fn, file, line, initLine] of [
    ['GreeterFunction', 'greeter/index.mjs', 4, 2],
    ['ReportFunction', 'report/src/report.ts', 12, 11],
  ] as const) {
    it(`stops at a line breakpoint in ${file} on the first invocation`, async () => {
      const uri = vscode.Uri.joinPath(folder().uri, file);
      const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(uri, new vscode.Position(line - 1, 0)));
      vscode.debug.addBreakpoints([breakpoint]);
      const stops: string[] = [];
      const names: string[] = [];
      const cwds: string[] = [];
      let ended = false;
      const disposables = [
        vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
          if (e.event === 'lambda/invocationEnded') ended = true;
        }),
        vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
          createDebugAdapterTracker: (session) => ({
            onDidSendMessage: (message: {
              type: string;
              event?: string;
              body?: { threadId: number; description?: string };
            }) =>
              void (async () => {
                if (message.type !== 'event' || message.event !== 'stopped') return;
                const threadId = message.body!.threadId;
                names.push(message.body!.description ?? '');
                const top = (await session.customRequest('stackTrace', { threadId, levels: 1 })).stackFrames[0];
                stops.push(`${top.source?.path ?? ''}:${top.line}`);
                const where = await session.customRequest('evaluate', {
                  expression: 'process.cwd()',
                  frameId: top.id,
                  context: 'repl',
                });
                cwds.push(String(where.result).replace(/^'|'$/g, ''));
                await session.customRequest('continue', { threadId });
                // A request cut short by the session ending (Canceled) is no failure of this
                // test: what it checks was collected above.
              })().catch(() => undefined),
          }),
        }),
      ];
      try {
        assert.ok(
          await vscode.debug.startDebugging(folder(), {
            type: 'lambda',
            request: 'launch',
            name: fn,
            template: 'template.yaml',
            function: fn,
          }),
        );
        await until(`the invocation of ${fn}`, () => ended || undefined, 60_000);
        assert.ok(
          stops.some((s) => s.endsWith(`${file}:${line}`)),
          `stopped at ${file}:${line}: ${stops.join(' | ')}`,
        );
        // Named after its phase, though js-debug reports it as its entry breakpoint in a file
        // with line breakpoints.
        assert.equal(names[0], 'Paused on Init (cold)', names.join(' | '));
        assert.ok(
          stops[0]?.endsWith(`${file}:${initLine}`),
          `Init stop first, at ${file}:${initLine}: ${stops.join(' | ')}`,
        );
        // Where the machine allows it, the function ran in the kernel's sandbox, at
        // /var/task: the breakpoint bound and the frame opened the workspace's file through
        // the path mapping.
        if (process.platform === 'linux' && process.getuid?.() === 0)
          assert.deepEqual([...new Set(cwds)], ['/var/task']);
        await vscode.debug.stopDebugging();
      } finally {
        vscode.debug.removeBreakpoints([breakpoint]);
        for (const d of disposables) d.dispose();
      }
    });
  }
});
