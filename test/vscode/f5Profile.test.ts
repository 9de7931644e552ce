// Where the time of F5 goes, for `npm run bench` (scripts/vscode-tests.mjs with
// LLD_F5_PROFILE=<file>; skipped otherwise): the Orders function launched several times
// through vscode.debug, each step of the way to the JavaScript debugger's Init stop marked
// as the extension host sees it (the lambda adapter's DAP traffic, its engine events, and
// the JavaScript debugger's two sessions: js-parent, the one the bridge starts, js-child,
// the one js-debug starts under it for the process), and the medians written to the file.
// Not a test of speed: it asserts only that each run reached the stop. LLD_F5_CPU=full runs
// the function at the machine's full speed instead of its memory's CPU share (to see what
// the share costs).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { until } from './until';

const RUNS = 5;

interface DapMessage {
  type: string;
  command?: string;
  event?: string;
  body?: { type?: string };
}

describe('F5 profile', function () {
  this.timeout(RUNS * 90_000);
  before(function () {
    if (!process.env.LLD_F5_PROFILE) this.skip();
  });

  it('marks each step from F5 to the Init stop', async () => {
    // LLD_F5_BREAKPOINT=<line>: a line breakpoint in orders/app.js (js-debug then sets its
    // module entry breakpoint there too), as the end-to-end run has.
    const breakpoints = process.env.LLD_F5_BREAKPOINT
      ? [
          new vscode.SourceBreakpoint(
            new vscode.Location(
              vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'orders', 'app.js'),
              new vscode.Position(Number(process.env.LLD_F5_BREAKPOINT) - 1, 0),
            ),
          ),
        ]
      : [];
    vscode.debug.addBreakpoints(breakpoints);
    const runs: Array<Record<string, number>> = [];
    for (let run = 0; run < RUNS; run++) {
      const marks: Record<string, number> = {};
      const start = performance.now();
      const mark = (name: string) => {
        if (!(name in marks)) marks[name] = Math.round(performance.now() - start);
      };
      const disposables = [
        vscode.debug.registerDebugAdapterTrackerFactory('lambda', {
          createDebugAdapterTracker: () => {
            mark('lambda adapter created');
            return {
              onWillReceiveMessage: (m: DapMessage) => {
                if (m.type === 'request') mark(`lambda: ${m.command} request`);
              },
              onDidSendMessage: (m: DapMessage) => {
                if (m.type === 'response') mark(`lambda: ${m.command} response`);
                if (m.type === 'event' && m.event === 'lambda/engineEvent') mark(`engine: ${m.body?.type}`);
                else if (m.type === 'event' && m.event !== 'output') mark(`lambda: ${m.event} event`);
              },
            };
          },
        }),
        vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
          createDebugAdapterTracker: (session) => {
            const who = session.parentSession?.type === 'lambda' ? 'js-parent' : 'js-child';
            mark(`${who} session created`);
            return {
              onWillReceiveMessage: (m: DapMessage) => {
                if (m.type === 'request') mark(`${who}: ${m.command} request`);
              },
              onDidSendMessage: (m: DapMessage) => {
                if (m.type === 'response') mark(`${who}: ${m.command} response`);
                if (m.type === 'event' && m.event !== 'output') mark(`${who}: ${m.event} event`);
              },
            };
          },
        }),
      ];
      try {
        const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders![0], {
          type: 'lambda',
          request: 'launch',
          name: 'Orders (profile)',
          template: 'template.yaml',
          function: 'OrdersFunction',
          event: 'events/order.json',
          ...(process.env.LLD_F5_CPU ? { cpu: process.env.LLD_F5_CPU } : {}),
        });
        assert.ok(started);
        await until('the Init stop', () => marks['js-child: stopped event'] !== undefined || undefined, 60_000);
        runs.push(marks);
        // (Stop can be answered "Canceled" while a child session is still ending.)
        await vscode.debug.stopDebugging().then(undefined, () => undefined);
        await new Promise((r) => setTimeout(r, 1000));
      } finally {
        for (const d of disposables) d.dispose();
      }
    }
    vscode.debug.removeBreakpoints(breakpoints);
    const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)];
    };
    const medians = names
      .map((name) => ({ name, ms: median(runs.map((r) => r[name]).filter((v) => v !== undefined)) }))
      .sort((a, b) => a.ms - b.ms);
    fs.writeFileSync(process.env.LLD_F5_PROFILE!, JSON.stringify({ runs, medians }, null, 2));
  });
});
