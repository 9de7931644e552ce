// The engine's side of debugging, with a real inspector client attached as VS Code's
// JavaScript debugger would (CDP over WebSocket, our runtime blackboxed like skipFiles):
// the environment waits for the debugger, phase stops land on the user's own first lines,
// a line breakpoint set before the cold start binds, and time paused in the debugger
// counts toward no limit (getRemainingTimeInMillis() agrees).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { attachDebuggers, onUserPauses, type Paused } from '../support/cdp';
import { codeRoot, fn, runtimeProcessesUsing, withEngine } from '../support/engine';
import { waitFor } from '../support/waitFor';
import type { NodeRuntimeId } from '../../src/config/functionConfig';
import type { PhaseGate } from '../../src/engine/options';
import type { EngineEvent } from '../../src/protocol/engineEvents';

describe('debugging an environment', function () {
  this.timeout(60_000);

  // On each runtime's own Node major (the inspector and the phase stops behave alike).
  for (const runtime of ['nodejs22.x', 'nodejs24.x'] as const) {
    it(`${runtime}: waits for the debugger, stops on the module first line (Init) and the handler first line (Invoke), a line breakpoint binds on the first cold start; paused time counts toward no limit`, async () => {
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
          const debuggers = attachDebuggers(engine, async (cdp, event) => {
            // A pause in a skipped file (Node's internals, our runtime): js-debug steps on.
            onUserPauses(
              cdp,
              (url) => url.startsWith('node:') || url.includes('/dist/runtime/'),
              async (paused, url) => {
                const top = paused.callFrames[0];
                stops.push(`${top.functionName} ${path.basename(url)}:${top.location.lineNumber + 1}`);
                if (url.endsWith('app.js') && top.functionName === 'exports.handler') {
                  // Paused at a line breakpoint in the handler longer than the timeout: the clock stands still.
                  engine.debuggerPaused(event.environmentId, true);
                  await new Promise((r) => setTimeout(r, 1500));
                  engine.debuggerPaused(event.environmentId, false);
                }
                await cdp.send('Debugger.resume');
              },
            );
            await cdp.send('Debugger.enable');
            // As VS Code's skipFiles: our runtime's own code is skipped when stepping.
            await cdp.send('Debugger.setBlackboxPatterns', { patterns: ['/dist/runtime/', '^node:'] });
            // A line breakpoint set before the environment runs on binds on the first cold start.
            await cdp.send('Debugger.setBreakpointByUrl', {
              urlRegex: `${root.replace(/[.]/g, '\\.')}/app\\.js$`,
              lineNumber: 2,
            });
          });

          const result = await engine.pool(fn(root, 'app.handler', { timeoutSeconds: 1, runtime })).invoke('{}');
          debuggers.close();
          assert.equal(result.status, 'success', stops.join(' | '));
          // The user's code only: the module's first line (Init) and the handler's (Invoke),
          // where the line breakpoint also is.
          assert.deepEqual(stops, [' app.js:1', 'exports.handler app.js:3']);
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
          // Node's own notices about its inspector are not the function's output (on every major).
          const logged = events.flatMap((e) => (e.type === 'log' ? [e.line] : []));
          assert.ok(logged.length > 0);
          assert.deepEqual(
            logged.filter((line) => /Debugger listening|For help, see|Debugger attached/.test(line)),
            [],
          );
          // The inspector's event names the Node the environment runs (js-debug's version hint).
          const opened = events.find((e) => e.type === 'inspectorOpened');
          assert.ok(opened?.type === 'inspectorOpened');
          assert.match(opened.nodeVersion ?? '', /^v\d+\./);
          assert.equal(opened.nodeVersion, result.nodeVersion);
        },
      );
    });
  }
  // Each module kind, its handler in a nested folder: where the phase stops land, as the
  // text of the paused line of the script V8 runs (TypeScript: esbuild's output, whose
  // source map js-debug follows to the same statement).
  const kinds: Array<{ kind: string; files: Record<string, string>; handler: string; runtime?: NodeRuntimeId }> = [
    {
      kind: 'CommonJS',
      handler: 'src/fns/app.handler',
      files: {
        'src/fns/app.js': [
          "const greeting = 'hello'; // first statement",
          'process.on("SIGTERM", () => {',
          "  console.log('bye'); // shutdown listener",
          '});',
          'exports.handler = async (event, context) => {',
          '  const seen = [event, context.awsRequestId]; // handler body',
          '  return { greeting, seen: seen.length };',
          '};',
        ].join('\n'),
      },
    },
    {
      kind: 'ES module',
      handler: 'src/fns/app.handler',
      files: {
        'src/fns/app.mjs': [
          "import * as path from 'node:path';",
          '',
          "const greeting = 'hello' + path.sep.length; // first statement",
          "process.on('SIGTERM', () => {",
          "  console.log('bye'); // shutdown listener",
          '});',
          'export const handler = async (event, context) => {',
          '  const seen = [event, context.awsRequestId]; // handler body',
          '  return { greeting, seen: seen.length };',
          '};',
        ].join('\n'),
      },
    },
    {
      kind: 'TypeScript (CommonJS)',
      handler: 'src/fns/app.handler',
      files: {
        'src/fns/app.ts': [
          'interface Event { n?: number }',
          "const greeting: string = 'hello'; // first statement",
          "process.on('SIGTERM', () => {",
          "  console.log('bye'); // shutdown listener",
          '});',
          'export const handler = async (event: Event, context: { awsRequestId: string }) => {',
          '  const seen = [event, context.awsRequestId]; // handler body',
          '  return { greeting, seen: seen.length };',
          '};',
        ].join('\n'),
      },
    },
    {
      kind: 'TypeScript (ES module)',
      handler: 'src/fns/app.handler',
      files: {
        'src/fns/app.mts': [
          "import { sep } from 'node:path';",
          'interface Event { n?: number }',
          "const greeting: string = 'hello' + sep.length; // first statement",
          "process.on('SIGTERM', () => {",
          "  console.log('bye'); // shutdown listener",
          '});',
          'export const handler = async (event: Event, context: { awsRequestId: string }) => {',
          '  const seen = [event, context.awsRequestId]; // handler body',
          '  return { greeting, seen: seen.length };',
          '};',
        ].join('\n'),
      },
    },
  ];
  // Where Node has no in-thread loader hooks (before 22.15), they run in Node's loader thread.
  const tsEsm = kinds.find((k) => k.kind === 'TypeScript (ES module)')!;
  kinds.push({ ...tsEsm, kind: 'TypeScript (ES module) on nodejs20.x', runtime: 'nodejs20.x' });
  for (const { kind, files, handler, runtime } of kinds)
    for (const initProfile of [false, true]) {
      it(`${kind}${initProfile ? ', with the Init profile' : ''}: Init stops on the module's first statement, Invoke (cold and warm) on the handler's, none of our files on the stack`, async () => {
        const root = codeRoot(files);
        await withEngine(
          { inspect: true, prestart: false, initProfile, beforePhase: () => true },
          async ({ engine }) => {
            const stops: string[] = [];
            const workers: string[] = [];
            const debuggers = attachDebuggers(engine, async (cdp) => {
              // As VS Code's JavaScript debugger does: it continues from the entry breakpoint it
              // sets in a file with line breakpoints, and steps on from a pause in a skipped file.
              let stepping = false;
              let entryBreakpoint = '';
              cdp.on('Debugger.paused', (paused: Paused) => {
                void (async () => {
                  const top = paused.callFrames[0];
                  const url = cdp.scriptUrl(top.location.scriptId);
                  if (!stepping && paused.hitBreakpoints?.includes(entryBreakpoint)) {
                    // js-debug removes its entry breakpoint at its first hit.
                    await cdp.send('Debugger.removeBreakpoint', { breakpointId: entryBreakpoint });
                    await cdp.send('Debugger.resume');
                    return;
                  }
                  if (url.includes('/dist/runtime/') || url.startsWith('node:')) {
                    stepping = true;
                    await cdp.send('Debugger.stepInto');
                    return;
                  }
                  stepping = false;
                  const { scriptSource } = await cdp.send<{ scriptSource: string }>('Debugger.getScriptSource', {
                    scriptId: top.location.scriptId,
                  });
                  const line = scriptSource.split('\n')[top.location.lineNumber] ?? '';
                  // The Init profile's enter mark (profileHooks.ts) leads an ES module's first line.
                  const mark = /^globalThis\[Symbol\.for\("lambda-lifecycle\.initProfile"\)\]\?\.enter\(.*?\);/;
                  stops.push(`${path.basename(url)}: ${line.replace(mark, '').trim()}`);
                  await cdp.send('Debugger.resume');
                })();
              });
              await cdp.send('Debugger.enable');
              await cdp.send('Debugger.setBlackboxPatterns', { patterns: ['/dist/runtime/', '^node:'] });
              // Threads of our own would show under the environment (esbuild's, the loader's).
              cdp.on('NodeWorker.attachedToWorker', (worker: { workerInfo: { url: string } }) =>
                workers.push(worker.workerInfo.url),
              );
              await cdp.send('NodeWorker.enable', { waitForDebuggerOnStart: false });
              // A line breakpoint in a JavaScript handler's file, and js-debug's entry breakpoint
              // with it, on the module's first statement as the Init stop is.
              await cdp.send('Debugger.setBreakpointByUrl', { urlRegex: '/fns/app\\.m?js$', lineNumber: 40 });
              ({ breakpointId: entryBreakpoint } = await cdp.send<{ breakpointId: string }>(
                'Debugger.setBreakpointByUrl',
                { urlRegex: '/fns/app\\.m?js$', lineNumber: 0, columnNumber: 0 },
              ));
            });
            const pool = engine.pool(fn(root, handler, runtime ? { runtime } : {}));
            const cold = await pool.invoke('{}');
            const warm = await pool.invoke('{}');
            assert.equal(cold.status, 'success', JSON.stringify(cold.error));
            assert.equal(warm.cold, false);
            // The handler's module heads its profile, also when the Init stop evaluated it.
            if (initProfile) {
              const head = cold.initProfile?.[0];
              assert.equal(head?.depth, 0, JSON.stringify(cold.initProfile));
              assert.equal(head?.resolved, `/var/task/${Object.keys(files)[0]}`);
            }
            assert.ok(await pool.shutdownEnvironment(cold.environmentId));
            debuggers.close();
            const file = Object.keys(files)[0];
            const name = path.basename(file);
            // No Shutdown stop: as on Lambda, SIGTERM only comes with an extension registered.
            assert.equal(stops.length, 3, stops.join(' | '));
            assert.match(stops[0], new RegExp(`^${name.replace('.', '\\.')}: const greeting`), stops.join(' | '));
            assert.match(stops[1], /const seen = /);
            assert.match(stops[2], /const seen = /);
            // No thread of ours (the JavaScript debugger would list it under the environment),
            // but Node's loader thread for a TypeScript ES module's hooks on a Node with no
            // in-thread hooks (before 22.15).
            assert.equal(workers.length, runtime === 'nodejs20.x' ? 1 : 0, workers.join(', '));
          },
        );
      });
    }
  it('Shutdown stops on the first statement of the SIGTERM listener the user registered (with an extension registered, as Lambda sends SIGTERM then)', async () => {
    const layer = idleExtensionLayer();
    const gates: string[] = [];
    const root = codeRoot({
      'index.js': [
        "process.on('SIGTERM', () => {",
        "  const bye = 'closing connections'; // shutdown listener",
        '  process.exit(0);',
        '});',
        "exports.handler = async () => 'ok';",
      ].join('\n'),
    });
    await withEngine(
      {
        inspect: true,
        prestart: false,
        beforePhase: (gate) => {
          if (gate.phase === 'shutdown') gates.push(`${gate.sigterm} ${gate.runtimeCanPause}`);
          return gate.phase === 'shutdown';
        },
      },
      async ({ engine }) => {
        const stops: string[] = [];
        const debuggers = attachDebuggers(engine, async (cdp) => {
          cdp.on('Debugger.paused', (paused: Paused) => {
            void (async () => {
              const top = paused.callFrames[0];
              const { scriptSource } = await cdp.send<{ scriptSource: string }>('Debugger.getScriptSource', {
                scriptId: top.location.scriptId,
              });
              const url = cdp.scriptUrl(top.location.scriptId);
              stops.push(`${path.basename(url)}: ${scriptSource.split('\n')[top.location.lineNumber]?.trim()}`);
              await cdp.send('Debugger.resume');
            })();
          });
          await cdp.send('Debugger.enable');
          await cdp.send('Debugger.setBlackboxPatterns', { patterns: ['/dist/runtime/', '^node:'] });
        });
        const pool = engine.pool(fn(root, 'index.handler', { layers: [layer] }));
        const { environmentId, status } = await pool.invoke('{}');
        assert.equal(status, 'success');
        assert.ok(await pool.shutdownEnvironment(environmentId));
        debuggers.close();
        assert.deepEqual(stops, ["index.js: const bye = 'closing connections'; // shutdown listener"]);
        assert.deepEqual(gates, ['listener true']);
      },
    );
  });

  it('Shutdown with an extension registered but no SIGTERM listener: the gate says so, and the runtime cannot stop in user code (whoever answers holds the stop)', async () => {
    const layer = idleExtensionLayer();
    const root = codeRoot({ 'index.js': "exports.handler = async () => 'ok';" });
    const gates: string[] = [];
    await withEngine(
      {
        inspect: true,
        prestart: false,
        beforePhase: (gate) => {
          gates.push(`${gate.phase} ${gate.sigterm} ${gate.runtimeCanPause}`);
          return false;
        },
      },
      async ({ engine }) => {
        const debuggers = attachDebuggers(engine);
        const pool = engine.pool(fn(root, 'index.handler', { layers: [layer] }));
        const { environmentId, status } = await pool.invoke('{}');
        assert.equal(status, 'success');
        assert.ok(await pool.shutdownEnvironment(environmentId));
        debuggers.close();
        assert.equal(gates[gates.length - 1], 'shutdown noListener false');
        assert.match(gates[0], /^init null true$/);
      },
    );
  });
});

/** A layer with an external extension that registers for SHUTDOWN (so Lambda sends the runtime SIGTERM). */
function idleExtensionLayer(): string {
  return codeRoot(
    {
      'extensions/idle': `#!/usr/bin/env node
const http = require('http');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const call = (method, path, headers, body) => new Promise((resolve, reject) => {
  const req = http.request('http://' + api + path, { method, headers }, (res) => {
  let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => resolve({ headers: res.headers, body: data }));
  });
  req.on('error', reject); req.end(body);
});
(async () => {
  const reg = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'idle' }, JSON.stringify({ events: ['SHUTDOWN'] }));
  const id = reg.headers['lambda-extension-identifier'];
  for (;;) {
  const event = JSON.parse((await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': id })).body);
  if (event.eventType === 'SHUTDOWN') process.exit(0);
  }
})();
`,
    },
    ['extensions/idle'],
  );
}

describe('debugging with processes started ahead', function () {
  this.timeout(60_000);
  it('a process started ahead opens its inspector only when an environment claims it: one debugger per environment, none for the spare', async () => {
    const root = codeRoot({ 'app.js': "exports.handler = async () => 'ok';" });
    await withEngine({ inspect: true }, async ({ engine, events }) => {
      const debuggers = attachDebuggers(engine);
      const pool = engine.pool(fn(root, 'app.handler'));
      const first = await pool.invoke('{}');
      assert.equal(first.status, 'success');
      // A spare is started for the next cold start, with no inspector: the engine says
      // nothing of it, and a debugger would have nothing to attach to.
      await waitFor(() => runtimeProcessesUsing(root).length >= 2 || undefined, {
        message: 'the spare process',
        timeoutMs: 20_000,
      });
      // Only the first environment's process listens (its inspector); the spare does not yet.
      const listening = runtimeProcessesUsing(root).filter((pid) => listensOnTcp(pid));
      assert.equal(listening.length, 1, `processes with an inspector listening: ${listening.join(', ')}`);
      const second = await pool.invoke('{}', { cold: true });
      assert.equal(second.status, 'success');
      assert.notEqual(second.environmentId, first.environmentId);
      debuggers.close();
      const opened = events.filter((e) => e.type === 'inspectorOpened').map((e) => e.environmentId);
      assert.deepEqual(opened, [first.environmentId, second.environmentId]);
    });
  });
});

describe('console call sites while debugging', function () {
  this.timeout(60_000);
  for (const [name, files, handler, expected] of [
    [
      'CommonJS',
      { 'app.js': "// first line\nexports.handler = async () => {\n  console.log('hello');\n  return 1;\n};\n" },
      'app.handler',
      'app.js:3:11',
    ],
    [
      'ES module',
      { 'app.mjs': "// first line\nexport const handler = async () => {\n  console.warn('hello');\n  return 1;\n};\n" },
      'app.handler',
      'app.mjs:3:11',
    ],
    [
      'TypeScript (through its source map)',
      {
        'app.ts':
          "// first line\ninterface E {\n  a: number;\n}\nexport const handler = async (e: E) => {\n  console.error('hello', e.a);\n  return 1;\n};\n",
      },
      'app.handler',
      'app.ts:6:11',
    ],
  ] as const) {
    it(`${name}: each console line carries the user's line that logged it`, async () => {
      const root = codeRoot(files);
      await withEngine({ inspect: true, prestart: false }, async ({ engine }) => {
        const sites: string[] = [];
        engine.on((event) => {
          if (event.type === 'log' && /hello/.test(event.line) && event.site)
            sites.push(`${path.relative(root, event.site.file)}:${event.site.line}:${event.site.column}`);
        });
        const debuggers = attachDebuggers(engine);
        const pool = engine.pool(fn(root, handler));
        assert.equal((await pool.invoke('{"a": 1}')).status, 'success');
        debuggers.close();
        assert.deepEqual(sites, [expected]);
      });
    });
  }
});

/** Whether a process has a listening TCP socket (Linux: its fds against /proc/net/tcp*). */
function listensOnTcp(pid: number): boolean {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      fs
        .readdirSync(`/proc/${pid}/fd`)
        .map((fd) => /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1])
        .filter((inode): inode is string => inode !== undefined),
    );
  } catch {
    return false;
  }
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((table) =>
    fs
      .readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .some((fields) => fields[3] === '0A' && inodes.has(fields[9])),
  );
}

describe('stepping in the debugger during Init', function () {
  this.timeout(60_000);

  for (const runtime of ['nodejs20.x', 'nodejs22.x'] as const) {
    it(`${runtime}: the time the debugger steps from the Init stop through the module, unreported by the debugger, is in no part of Init`, async () => {
      // Each pause in the module lasts STEP_MS before the debugger steps on: three steps and a
      // resume, all paused time the engine hears nothing of (no debuggerPaused calls).
      const STEP_MS = 400;
      const root = codeRoot({
        'app.js': [
          'const a = 1;',
          'const b = 2;',
          'const c = 3;',
          'const d = 4;',
          'exports.handler = async () => a + b + c + d;',
        ].join('\n'),
      });
      await withEngine(
        { inspect: true, prestart: false, beforePhase: (gate) => gate.phase === 'init' },
        async ({ engine, events }) => {
          const userPauses: number[] = [];
          const debuggers = attachDebuggers(engine, async (cdp) => {
            // A pause in a skipped file (our runtime's): step on into the user's code.
            onUserPauses(
              cdp,
              (url) => url.includes('/dist/runtime/') || url.startsWith('node:'),
              async (paused) => {
                userPauses.push(paused.callFrames[0].location.lineNumber);
                await new Promise((r) => setTimeout(r, STEP_MS));
                await cdp.send(userPauses.length < 4 ? 'Debugger.stepOver' : 'Debugger.resume');
              },
            );
            await cdp.send('Debugger.enable');
            await cdp.send('Debugger.setBlackboxPatterns', { patterns: ['/dist/runtime/', '^node:'] });
          });
          const cold = await engine.pool(fn(root, 'app.handler', { runtime })).invoke('{}');
          debuggers.close();
          assert.equal(cold.status, 'success', JSON.stringify(cold.error));
          // Stopped at Init on line 1, then stepped over lines 1, 2 and 3.
          assert.deepEqual(userPauses, [0, 1, 2, 3]);
          const end = events.find(
            (e): e is Extract<EngineEvent, { type: 'phaseEnded' }> => e.type === 'phaseEnded' && e.phase === 'init',
          );
          const pausedMs = 4 * STEP_MS;
          // Four lines of constants take well under one pause; the pauses are the debugger's.
          assert.ok((cold.initPhases?.functionMs ?? Infinity) < STEP_MS, JSON.stringify(cold.initPhases));
          assert.ok((end?.durationMs ?? Infinity) < pausedMs, `Init Duration ${end?.durationMs} ms`);
          assert.ok((end?.ownWork?.debuggerMs ?? 0) >= pausedMs - 50, JSON.stringify(end?.ownWork));
        },
      );
    });
  }
});
