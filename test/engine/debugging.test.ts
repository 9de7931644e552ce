// The engine's side of debugging, with a real inspector client attached as VS Code's
// JavaScript debugger would (CDP over WebSocket, our runtime blackboxed like skipFiles):
// the environment waits for the debugger, phase stops land on the labelled phase points,
// a line breakpoint set before the cold start binds, and time paused in the debugger
// counts toward no limit (getRemainingTimeInMillis() agrees).

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { CdpClient } from '../support/cdp';
import { codeRoot, fn, withEngine } from '../support/engine';
import type { PhaseGate } from '../../src/engine/options';
import type { EngineEvent } from '../../src/protocol/engineEvents';

interface Paused {
  reason: string;
  callFrames: Array<{ functionName: string; location: { scriptId: string; lineNumber: number } }>;
}

describe('debugging an environment', function () {
  this.timeout(60_000);

  // On each runtime's own Node major (the inspector and the phase points behave alike).
  for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
    it(`${runtime}: waits for the debugger, stops on the Init and Invoke phase points, Step Into enters the module and the handler, a line breakpoint binds on the first cold start; paused time counts toward no limit`, async () => {
      const root = codeRoot({
        'app.js': [
          "const client = { connected: true }; // line 1: the module's top level",
          'exports.handler = async (event, context) => {',
          '  return { client, remaining: context.getRemainingTimeInMillis() };',
          '};',
        ].join('\n'),
      });
      const gates: PhaseGate[] = [];
      await withEngine(
        {
          inspect: true,
          prestart: false,
          beforePhase: (gate) => {
            gates.push(gate);
            return gate.phase !== 'shutdown';
          },
        },
        async ({ engine, events }) => {
          const stops: string[] = [];
          const clients: CdpClient[] = [];
          const attach = async (event: EngineEvent) => {
            if (event.type !== 'inspectorOpened') return;
            const cdp = await CdpClient.connect(event.url);
            clients.push(cdp);
            const scripts = new Map<string, string>();
            cdp.on('Debugger.scriptParsed', (script: { scriptId: string; url: string }) =>
              scripts.set(script.scriptId, script.url),
            );
            const onPaused = async (paused: Paused) => {
              const top = paused.callFrames[0];
              const url = scripts.get(top.location.scriptId) ?? '';
              if (url.startsWith('node:')) {
                // Node's internals (<node_internals> in skipFiles): stepped out of, back to the stepping.
                await cdp.send('Debugger.stepOut');
                return;
              }
              stops.push(`${top.functionName} ${path.basename(url)}:${top.location.lineNumber + 1}`);
              if (url.endsWith('phases.js')) {
                // Step Into (F11) from the phase point, as a user would.
                await cdp.send('Debugger.stepInto');
                return;
              }
              if (url.endsWith('app.js') && top.functionName === 'exports.handler') {
                // Paused at a line breakpoint in the handler longer than the timeout: the clock stands still.
                engine.debuggerPaused(event.environmentId, true);
                await new Promise((r) => setTimeout(r, 1500));
                engine.debuggerPaused(event.environmentId, false);
              }
              await cdp.send('Debugger.resume');
            };
            cdp.on('Debugger.paused', (paused: Paused) => void onPaused(paused));
            await cdp.send('Debugger.enable');
            // As VS Code's skipFiles: our runtime's own code is skipped when stepping.
            await cdp.send('Debugger.setBlackboxPatterns', { patterns: ['/dist/runtime/node/bootstrap\\.js$'] });
            // A line breakpoint set before the environment runs on binds on the first cold start.
            await cdp.send('Debugger.setBreakpointByUrl', {
              urlRegex: `${root.replace(/[.]/g, '\\.')}/app\\.js$`,
              lineNumber: 2,
            });
            await cdp.send('Runtime.runIfWaitingForDebugger');
          };
          engine.on((event) => void attach(event));

          const result = await engine.pool(fn(root, 'app.handler', { timeoutSeconds: 1, runtime })).invoke('{}');
          for (const cdp of clients) cdp.close();
          assert.equal(result.status, 'success', stops.join(' | '));
          // Each phase point, its call line, then the user's code: the module's first line
          // (Init) and the handler's (Invoke), where the line breakpoint also is.
          assert.deepEqual(stops, [
            'lambdaInitPhase phases.js:29',
            'lambdaInitPhase phases.js:30',
            ' app.js:1',
            'lambdaInvokePhase phases.js:33',
            'lambdaInvokePhase phases.js:34',
            'exports.handler app.js:3',
          ]);
          const remaining = (result.result as { remaining: number }).remaining;
          assert.ok(remaining > 500, `time paused is added back to getRemainingTimeInMillis(): ${remaining}`);
          assert.ok(result.report.durationMs < 1000, `Duration excludes the pause: ${result.report.durationMs}`);
          assert.deepEqual(
            gates.map((g) => [g.phase, g.cold, g.runtimeCanPause]),
            [
              ['init', true, true],
              ['invoke', true, true],
            ],
          );
          assert.ok(events.some((e) => e.type === 'inspectorOpened'));
        },
      );
    });
  }
});
