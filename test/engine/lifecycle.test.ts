// Engine tests of the lifecycle against real handlers in real processes: cold then warm
// reuse, the freeze between invocations, pending work, concurrency, provisioned and
// reserved concurrency, the sandbox's variables, and clean-up.

import { strict as assert } from 'node:assert';
import { codeRoot, fn, kernelSandbox, runtimeProcessesUsing, withEngine } from '../support/engine';
import { nextEvent, ofType } from '../support/waitFor';
import { InvokeRejectedError } from '../../src/engine/pool';

const counter = codeRoot({
  'index.js': `
    let count = 0;
    let timerRanAt = null;
    console.log('module loaded');
    exports.handler = async (event, context) => {
      count++;
      const startedAt = Date.now();
      setTimeout(() => { timerRanAt = Date.now(); }, 20);
      return {
        count, startedAt, timerRanAt, remaining: context.getRemainingTimeInMillis(),
        requestId: context.awsRequestId, arn: context.invokedFunctionArn, memory: context.memoryLimitInMB,
        env: process.env, tmpdir: require('os').tmpdir(),
      };
    };`,
});

describe('execution environment lifecycle', () => {
  it('runs cold once, then reuses the warm environment with its module state', async () => {
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(counter, 'index.handler', { name: 'counter' }));
      const first = await pool.invoke('{}');
      const second = await pool.invoke('{}');
      const third = await pool.invoke('{}');
      assert.equal(first.status, 'success');
      assert.equal((first.result as { count: number }).count, 1);
      assert.equal((third.result as { count: number }).count, 3);
      assert.equal(first.cold, true);
      assert.equal(second.cold, false);
      assert.equal(first.environmentId, third.environmentId);
      assert.ok(first.report.initDurationMs! > 0);
      assert.equal(second.report.initDurationMs, null);
      assert.match(first.logs, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
      assert.match(
        first.logs,
        /\nEND RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms\n$/,
      );
      assert.doesNotMatch(second.logs, /Init Duration/);
      assert.match(first.initLogs!, /\tundefined\tINFO\tmodule loaded/);
      // Since August 2025 Lambda bills a cold start's Init with its invocation.
      assert.equal(
        first.report.billedDurationMs,
        Math.ceil(first.report.durationMs + (first.report.initDurationMs ?? 0)),
      );
      assert.ok(
        first.report.maxMemoryUsedMB > 10 && first.report.maxMemoryUsedMB < 128,
        `${first.report.maxMemoryUsedMB} MB`,
      );
    });
  });

  it('freezes the environment between invocations: a timer runs only once the next invocation starts', async () => {
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(counter, 'index.handler'));
      const first = await pool.invoke('{}');
      await new Promise((r) => setTimeout(r, 200)); // the 20 ms timer would have fired if not frozen
      const beforeSecond = Date.now();
      const second = await pool.invoke('{}');
      const { timerRanAt } = second.result as { timerRanAt: number | null };
      assert.equal((first.result as { timerRanAt: null }).timerRanAt, null);
      assert.ok(timerRanAt !== null, 'the timer left by invocation 1 ran in invocation 2');
      assert.ok(
        timerRanAt >= beforeSecond,
        `the timer ran while frozen (${beforeSecond - timerRanAt} ms before the thaw)`,
      );
      const timer = first.pending.find((p) => p.kind === 'timer');
      assert.ok(timer, 'the pending timer is reported');
      assert.equal(timer.description, 'setTimeout 20 ms');
      assert.equal(timer.createdInRequestId, first.requestId);
      assert.equal(timer.site?.line, 8);
      assert.ok(timer.site?.file.endsWith('index.js'));
    });
  });

  it('gives the handler the context and the variables Lambda sets, and nothing of the host', async () => {
    process.env.LLD_HOST_SECRET = 'must-not-leak';
    try {
      await withEngine({ region: 'eu-west-1' }, async ({ engine }) => {
        const pool = engine.pool(
          fn(counter, 'index.handler', { name: 'orders', memorySizeMB: 256, environment: { TABLE: 't1' } }),
        );
        const { result } = await pool.invoke('{}');
        const r = result as {
          env: Record<string, string>;
          remaining: number;
          arn: string;
          memory: string;
          tmpdir: string;
          requestId: string;
        };
        assert.equal(r.env.LLD_HOST_SECRET, undefined);
        assert.equal(r.env.TABLE, 't1');
        assert.equal(r.env.AWS_LAMBDA_FUNCTION_NAME, 'orders');
        assert.equal(r.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
        assert.equal(r.env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
        assert.equal(r.env.AWS_REGION, 'eu-west-1');
        assert.equal(r.env.AWS_DEFAULT_REGION, 'eu-west-1');
        assert.equal(r.env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs22.x');
        assert.equal(r.env.AWS_LAMBDA_LOG_GROUP_NAME, '/aws/lambda/orders');
        assert.match(r.env.AWS_LAMBDA_LOG_STREAM_NAME, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
        assert.equal(r.env.AWS_LAMBDA_INITIALIZATION_TYPE, 'on-demand');
        assert.match(r.env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+$/);
        assert.equal(r.env.LAMBDA_TASK_ROOT, kernelSandbox() ? '/var/task' : counter);
        assert.equal(r.env._HANDLER, 'index.handler');
        assert.equal(r.env.TZ, ':UTC');
        assert.match(r.env._X_AMZN_TRACE_ID, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0/);
        assert.equal(r.env._LAMBDA_LIFECYCLE_SANDBOX, undefined);
        assert.equal(r.arn, 'arn:aws:lambda:eu-west-1:123456789012:function:orders');
        assert.equal(r.memory, '256');
        assert.equal(r.tmpdir, '/tmp');
        assert.ok(r.remaining > 2000 && r.remaining <= 3000, `remaining ${r.remaining}`);
      });
    } finally {
      delete process.env.LLD_HOST_SECRET;
    }
  });

  it('starts a new environment for each concurrent invocation, each cold', async () => {
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(counter, 'index.handler'));
      const results = await Promise.all([1, 2, 3].map(() => pool.invoke('{}')));
      assert.equal(new Set(results.map((r) => r.environmentId)).size, 3);
      assert.ok(results.every((r) => r.cold));
      const again = await pool.invoke('{}');
      assert.equal(again.cold, false);
      assert.equal(pool.list().length, 3);
    });
  });

  it('starts a new environment for every cold invocation', async () => {
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(counter, 'index.handler'));
      const a = await pool.invoke('{}', { cold: true });
      const b = await pool.invoke('{}', { cold: true });
      assert.notEqual(a.environmentId, b.environmentId);
      assert.ok(a.cold && b.cold);
      assert.equal((b.result as { count: number }).count, 1);
    });
  });

  it('throttles past reserved concurrency with TooManyRequestsException', async () => {
    const slow = codeRoot({
      'index.js': 'exports.handler = async () => { await new Promise(r => setTimeout(r, 300)); return 1; };',
    });
    await withEngine({ reservedConcurrency: 1 }, async ({ engine }) => {
      const pool = engine.pool(fn(slow, 'index.handler'));
      const outcomes = await Promise.allSettled([pool.invoke('{}'), pool.invoke('{}')]);
      const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
      assert.equal(rejected.length, 1);
      assert.ok(rejected[0].reason instanceof InvokeRejectedError);
      assert.equal(rejected[0].reason.errorType, 'TooManyRequestsException');
      assert.equal(rejected[0].reason.httpStatus, 429);
    });
  });

  it('initialises provisioned environments ahead; their invocations are not cold', async () => {
    await withEngine({ provisionedConcurrency: 2 }, async ({ engine, events }) => {
      const pool = engine.pool(fn(counter, 'index.handler'));
      await pool.whenProvisioned();
      assert.equal(events.filter((e) => e.type === 'phaseEnded' && e.phase === 'init').length, 2);
      const result = await pool.invoke('{}');
      assert.equal(result.cold, false);
      assert.equal(result.report.initDurationMs, null);
      assert.equal(
        (result.result as { env: Record<string, string> }).env.AWS_LAMBDA_INITIALIZATION_TYPE,
        'provisioned-concurrency',
      );
    });
  });

  it('retires warm environments on a configuration change: the next invocation is cold with the new settings', async () => {
    await withEngine({}, async ({ engine, events }) => {
      const config = fn(counter, 'index.handler');
      const pool = engine.pool(config);
      const before = await pool.invoke('{}');
      await pool.reconfigure({ ...config, memorySizeMB: 512 });
      const after = await pool.invoke('{}');
      assert.equal(after.cold, true);
      assert.notEqual(after.environmentId, before.environmentId);
      assert.equal(after.report.memorySizeMB, 512);
      assert.ok(events.some((e) => e.type === 'environmentGone' && e.environmentId === before.environmentId));
    });
  });

  it('shuts idle environments down after the idle time, running the Shutdown phase', async () => {
    await withEngine({ idleShutdownMs: 100 }, async ({ engine, events }) => {
      const pool = engine.pool(fn(counter, 'index.handler'));
      const { environmentId } = await pool.invoke('{}');
      // The idle timer starts as the invocation ends: nothing is gone before this subscribes.
      await nextEvent(
        engine,
        ofType('environmentGone', (e) => e.environmentId === environmentId),
      );
      assert.ok(
        events.some((e) => e.type === 'phaseEnded' && e.phase === 'shutdown' && e.environmentId === environmentId),
      );
      assert.equal(pool.list().length, 0);
    });
  });

  it('leaves no process and no folder behind when the engine closes', async () => {
    let base = '';
    await withEngine({}, async (t) => {
      base = t.base;
      const pool = t.engine.pool(fn(counter, 'index.handler'));
      await Promise.all([pool.invoke('{}'), pool.invoke('{}')]);
      assert.ok(runtimeProcessesUsing(base).length >= 2);
    });
    assert.deepEqual(runtimeProcessesUsing(base), []);
  });
});
