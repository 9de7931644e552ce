// When a lambda session's Debug Console opens (src/ui/debugConsole.ts): where VS Code would
// open it as the window's first session starts, it opens once the stack of the session's
// first stop has gone to the workbench instead, still paused there; a launch that names its
// own `internalConsoleOptions`, a serving one, and a session that is not the window's first
// are VS Code's. A session that ends before any stop opens it as it ends, and an Init that
// fails before any stop (a syntax error) opens it on the error.
// (The end-to-end run sees the console open after F5's stop, the focus left in the editor.)

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DebugConsoleOpening, OPENS_DEBUG_CONSOLE } from '../../src/ui/debugConsole';
import { until } from './until';

interface DapMessage {
  type: string;
  event?: string;
  command?: string;
  body?: { threadId?: number };
}

/** Starts the Orders example with its launch taken over by `opening`, as the extension's
 * configuration provider takes over F5's launch; asserts the take-over. */
async function startOrders(
  opening: DebugConsoleOpening,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<vscode.DebugConfiguration> {
  const launch: vscode.DebugConfiguration = {
    type: 'lambda',
    request: 'launch',
    name,
    template: 'template.yaml',
    function: 'OrdersFunction',
    event: 'events/order.json',
    ...extra,
  };
  opening.takeOver(launch);
  assert.equal(launch.internalConsoleOptions, 'neverOpen');
  assert.equal(launch[OPENS_DEBUG_CONSOLE], true);
  assert.ok(await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], launch));
  return launch;
}

describe('the Debug Console of a lambda session', function () {
  this.timeout(120_000);

  it('opens after the first stop has reached the workbench, not as the session starts', async () => {
    const marks: string[] = [];
    // Only the first stop's stack opens it here: no fallback within the test's time.
    const opening = new DebugConsoleOpening(async () => void marks.push('console opened'), {
      afterStackMs: 100,
      afterStopMs: 600_000,
    });
    const stopped: Array<{ session: vscode.DebugSession; threadId: number }> = [];
    const disposables: vscode.Disposable[] = [
      opening,
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.event === 'lambda/invocationEnded') marks.push('invocation ended');
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: DapMessage) => {
            if (m.type === 'event' && m.event === 'stopped') {
              marks.push('stopped');
              stopped.push({ session, threadId: m.body?.threadId ?? 0 });
            }
          },
        }),
      }),
    ];
    try {
      // A launch naming its own console option is left as it is.
      const named = { type: 'lambda', request: 'launch', name: 'named', internalConsoleOptions: 'openOnSessionStart' };
      opening.takeOver(named);
      assert.deepEqual(named, {
        type: 'lambda',
        request: 'launch',
        name: 'named',
        internalConsoleOptions: 'openOnSessionStart',
      });

      // A serving session shows its addresses there long before any request: VS Code's.
      const serving = { type: 'lambda', request: 'launch', name: 'serving', serve: true };
      opening.takeOver(serving);
      assert.deepEqual(serving, { type: 'lambda', request: 'launch', name: 'serving', serve: true });

      // The window's first session (for this opener): VS Code's default opens the console as
      // it starts; the extension takes that over.
      await startOrders(opening, 'Orders (Debug Console)');

      // Paused at the Init stop: the console opens there, once (its stack has been asked for).
      await until('the console to open', () => marks.includes('console opened') || undefined, 60_000);
      assert.deepEqual(marks, ['stopped', 'console opened']);

      // Later stops and phases open nothing more: on to the end of the first invocation.
      while (!marks.includes('invocation ended')) {
        const stop = stopped.shift();
        if (stop) await stop.session.customRequest('continue', { threadId: stop.threadId });
        await until(
          'the next stop or the end',
          () => stopped.length > 0 || marks.includes('invocation ended') || undefined,
        );
      }
      assert.deepEqual(marks, ['stopped', 'console opened', 'stopped', 'invocation ended']);

      // A session after the window's first: VS Code's default leaves the console be, so does the extension.
      const next: vscode.DebugConfiguration = { type: 'lambda', request: 'launch', name: 'next' };
      opening.takeOver(next);
      assert.deepEqual(next, { type: 'lambda', request: 'launch', name: 'next' });
    } finally {
      await vscode.debug.stopDebugging().then(undefined, () => undefined);
      for (const d of disposables) d.dispose();
    }
  });

  it('opens when the session ends before its first stop (stopped at once)', async () => {
    const marks: string[] = [];
    const opening = new DebugConsoleOpening(async () => void marks.push('console opened'));
    const disposables: vscode.Disposable[] = [
      opening,
      vscode.debug.onDidStartDebugSession((session) => {
        if (session.type !== 'lambda') return;
        marks.push('started');
        void vscode.debug.stopDebugging(session).then(undefined, () => undefined);
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type === 'lambda') marks.push('ended');
      }),
    ];
    try {
      await startOrders(opening, 'Orders (stopped at once)');
      await until('the console to open', () => marks.includes('console opened') || undefined, 60_000);
      await new Promise((r) => setTimeout(r, 500));
      // (As it ends, or as its Init phase is cut short on the way: whichever the extension hears first.)
      assert.equal(marks.filter((m) => m === 'console opened').length, 1, marks.join(' | '));
    } finally {
      await vscode.debug.stopDebugging().then(undefined, () => undefined);
      for (const d of disposables) d.dispose();
    }
  });

  it("opens after the lambda session's own first stop (no JavaScript debugger on it)", async () => {
    const marks: string[] = [];
    const opening = new DebugConsoleOpening(async () => void marks.push('console opened'), {
      afterStackMs: 100,
      afterStopMs: 600_000,
    });
    const disposables: vscode.Disposable[] = [
      opening,
      vscode.debug.registerDebugAdapterTrackerFactory('lambda', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m: DapMessage) => {
            if (m.type === 'event' && m.event === 'stopped') marks.push('stopped');
          },
        }),
      }),
    ];
    try {
      // Without VS Code's JavaScript debugger the lambda session stops on its own thread.
      await startOrders(opening, 'Orders (lambda stops)', { lineDebugging: false });
      await until('the console to open', () => marks.includes('console opened') || undefined, 60_000);
      assert.deepEqual(marks, ['stopped', 'console opened']);
    } finally {
      await vscode.debug.stopDebugging().then(undefined, () => undefined);
      for (const d of disposables) d.dispose();
    }
  });

  it('opens with the error when the function fails its Init before any stop (a syntax error)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-debug-console-'));
    fs.writeFileSync(path.join(root, 'index.js'), 'exports.handler = async () => {;\n');
    const marks: string[] = [];
    let output = '';
    const opening = new DebugConsoleOpening(async () => void marks.push('console opened'));
    const disposables: vscode.Disposable[] = [
      opening,
      vscode.debug.registerDebugAdapterTrackerFactory('lambda', {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (m: DapMessage & { body?: { output?: string } }) => {
            if (m.type === 'event' && m.event === 'stopped') marks.push('stopped');
            if (m.type === 'event' && m.event === 'output') output += m.body?.output ?? '';
          },
        }),
      }),
    ];
    try {
      const launch: vscode.DebugConfiguration = {
        type: 'lambda',
        request: 'launch',
        name: 'syntax error',
        handler: 'index.handler',
        root,
      };
      opening.takeOver(launch);
      assert.ok(await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], launch));
      await until('the console to open', () => marks.includes('console opened') || undefined, 60_000);
      assert.deepEqual(marks, ['console opened']);
      // What it opens on says what to fix.
      assert.match(output, /SyntaxError/);
    } finally {
      await vscode.debug.stopDebugging().then(undefined, () => undefined);
      for (const d of disposables) d.dispose();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
