// Engine tests of a long-lived warm environment: thousands of invocations leave nothing
// behind, neither in the runtime (its listeners, its memory: Max Memory Used stays flat
// once V8 has sized its heap) nor in the engine (its heap), and no warning of our
// runtime's own reaches the function's log, while a warning user code causes still does;
// the per-invocation trace id never goes into the real environment (where it would leak).

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { codeRoot, fn, withEngine } from '../support/engine';
import { raisedByRuntime } from '../../src/runtimes/node/runtimeWarnings';

/** While V8 sizes its young generation, Max Memory Used climbs (the soak at 128 MB: 51 MB
 * first, 63-64 at 2,000, 66-67 at 20,000 warm invocations; the young generation reaches its
 * cap, the semi-space size Lambda gives 128 MB, near 35,000: 75 MB). */
const WARM_UP = 3000;
const AFTER_WARM_UP = 2000;

function forcedGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

describe('a long-lived environment', () => {
  it(`stays flat over ${WARM_UP + AFTER_WARM_UP} warm invocations: listeners, Max Memory Used, the engine's heap`, async function () {
    this.timeout(60_000);
    const root = codeRoot({
      'index.js': `
        let n = 0;
        exports.handler = async () => ({ n: ++n, beforeExit: process.listenerCount('beforeExit') });`,
    });
    const gc = forcedGc();
    await withEngine({}, async ({ engine, events }) => {
      const pool = engine.pool(fn(root, 'index.handler', { memorySizeMB: 128 }));
      let listenersAtStart = -1;
      let memoryAfterWarmUp = 0;
      let engineHeapAfterWarmUp = 0;
      let last = await pool.invoke('{}');
      for (let i = 1; i <= WARM_UP + AFTER_WARM_UP; i++) {
        last = await pool.invoke('{}');
        assert.equal(last.status, 'success', JSON.stringify(last.error));
        assert.ok(!last.logs.includes('Warning'), last.logs);
        const { beforeExit } = last.result as { n: number; beforeExit: number };
        if (i === 1) listenersAtStart = beforeExit;
        else assert.equal(beforeExit, listenersAtStart, `beforeExit listeners at invocation ${i + 1}`);
        // The test's own record of events is no part of the engine's memory.
        events.length = 0;
        if (i === WARM_UP) {
          memoryAfterWarmUp = last.report.maxMemoryUsedMB;
          gc();
          engineHeapAfterWarmUp = process.memoryUsage().heapUsed;
        }
      }
      gc();
      const engineHeapGrowthMB = (process.memoryUsage().heapUsed - engineHeapAfterWarmUp) / 1024 / 1024;
      assert.equal((last.result as { n: number }).n, WARM_UP + AFTER_WARM_UP + 1);
      assert.equal(pool.list().length, 1, 'one warm environment served them all');
      assert.ok(listenersAtStart <= 1, `${listenersAtStart} beforeExit listeners`);
      assert.ok(
        last.report.maxMemoryUsedMB - memoryAfterWarmUp <= 5,
        `Max Memory Used ${memoryAfterWarmUp} MB after warm-up, ${last.report.maxMemoryUsedMB} MB at the end`,
      );
      // A record kept per invocation (~0.5 KB each) would show as 1 MB over these.
      assert.ok(engineHeapGrowthMB < 1.5, `the engine's heap grew ${engineHeapGrowthMB.toFixed(2)} MB`);
    });
  });

  it("promotes next to nothing of a warm invocation into V8's old generation (the 3.x context's accessor included)", async function () {
    this.timeout(60_000);
    // Bytes that survive a young-generation GC into the old generation stay there until a
    // full GC, and the old generation (so Max Memory Used) grows meanwhile. V8's own figures
    // (GCProfiler): old space used before and after each scavenge.
    const root = codeRoot({
      'index.js': `
        const v8 = require('node:v8');
        let profiler = null;
        exports.handler = async (event, context) => {
          if (event.start) {
            profiler = new v8.GCProfiler();
            profiler.start();
            return null;
          }
          if (event.stop) {
            const old = (gc) => gc.heapSpaceStatistics.find((s) => s.spaceName === 'old_space').spaceUsedSize;
            const scavenges = profiler.stop().statistics.filter((s) => s.gcType === 'Scavenge');
            return { scavenges: scavenges.length, promoted: scavenges.reduce((sum, s) => sum + old(s.afterGC) - old(s.beforeGC), 0) };
          }
          return context.callbackWaitsForEmptyEventLoop;
        };`,
    });
    await withEngine({}, async ({ engine, events }) => {
      const pool = engine.pool(fn(root, 'index.handler', { memorySizeMB: 128 }));
      for (let i = 0; i < 500; i++) await pool.invoke('{}');
      await pool.invoke('{"start":true}');
      const count = 2000;
      for (let i = 0; i < count; i++) {
        const result = await pool.invoke('{}');
        assert.equal(result.result, true);
        events.length = 0;
      }
      const { scavenges, promoted } = (await pool.invoke('{"stop":true}')).result as {
        scavenges: number;
        promoted: number;
      };
      assert.equal(pool.list().length, 1, 'one warm environment served them all');
      assert.ok(scavenges >= 5, `${scavenges} scavenges: too few to say`);
      // Measured: ~35 bytes; ~2,500 when each context had accessors of its own.
      assert.ok(promoted / count < 500, `${(promoted / count).toFixed(0)} bytes promoted per invocation`);
    });
  });

  it('gives each invocation its _X_AMZN_TRACE_ID without writing it into the real environment', async () => {
    const root = codeRoot({
      'index.js': `
        const { execFileSync } = require('node:child_process');
        exports.handler = async () => ({
          traceId: process.env._X_AMZN_TRACE_ID,
          listed: Object.keys(process.env).includes('_X_AMZN_TRACE_ID'),
          child: execFileSync(process.execPath, ['-e', 'process.stdout.write(process.env._X_AMZN_TRACE_ID)']).toString(),
          // The diagnostic report reads the process's real (C library) environment.
          inRealEnvironment: '_X_AMZN_TRACE_ID' in process.report.getReport().environmentVariables,
        });`,
    });
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler'));
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const result = await pool.invoke('{}');
        const r = result.result as { traceId: string; listed: boolean; child: string; inRealEnvironment: boolean };
        assert.match(r.traceId, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0/);
        assert.equal(r.listed, true);
        assert.equal(r.child, r.traceId, 'a child process started with process.env gets it');
        // glibc's setenv would keep every value it replaces: the real environment never holds it.
        assert.equal(r.inRealEnvironment, false);
        seen.add(r.traceId);
      }
      assert.equal(seen.size, 3, 'a new trace id per invocation');
    });
  });

  it("shows a warning user code causes, and keeps the runtime's own warnings out of the log", async () => {
    const root = codeRoot({
      'index.js': `
        exports.handler = async () => {
          for (let i = 0; i < 11; i++) process.on('beforeExit', () => {});
          process.emitWarning('a warning of the function');
          return 'ok';
        };`,
    });
    await withEngine({}, async ({ engine }) => {
      const result = await engine.pool(fn(root, 'index.handler')).invoke('{}');
      assert.equal(result.status, 'success');
      assert.match(result.logs, /\tERROR\t\(node:\d+\) MaxListenersExceededWarning: .* 11 beforeExit listeners/);
      assert.match(result.logs, /\tERROR\t\(node:\d+\) Warning: a warning of the function/);
    });

    // Which stacks count as the runtime's: only those that name no file but its own.
    const runtimeDir = path.join(path.sep, 'ext', 'dist', 'runtime', 'node');
    const bootstrap = path.join(runtimeDir, 'bootstrap.js');
    const user = path.join(path.sep, 'var', 'task', 'index.js');
    const ours = [
      'MaxListenersExceededWarning: Possible EventEmitter memory leak detected.',
      '    at _addListener (node:events:591:17)',
      '    at process.once (node:events:635:8)',
      `    at eventLoopDrained (${bootstrap}:1090:51)`,
      `    at async main (${bootstrap}:1513:5)`,
    ].join('\n');
    assert.equal(raisedByRuntime(ours, runtimeDir), true);
    const users = [ours, `    at exports.handler (${user}:3:19)`].join('\n');
    assert.equal(raisedByRuntime(users, runtimeDir), false);
    assert.equal(raisedByRuntime('Warning\n    at emitWarning (node:internal/process/warning:1:1)', runtimeDir), false);
  });
});
