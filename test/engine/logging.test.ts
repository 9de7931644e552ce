// LoggingConfig as Lambda applies it for the Node runtime: the text format, Lambda's JSON
// records for console output (every ApplicationLogLevel), the platform records filtered by
// SystemLogLevel, and the AWS_LAMBDA_LOG_FORMAT / AWS_LAMBDA_LOG_LEVEL variables. Field by
// field as Lambda's "Configuring JSON and plain text log formats" documentation shows them.

import { strict as assert } from 'node:assert';
import { APPLICATION_LOG_LEVELS, type LoggingConfig } from '../../src/config/functionConfig';
import { codeRoot, fn, withEngine } from '../support/engine';

const root = codeRoot({
  'app.js': `exports.handler = async () => {
  console.trace('at trace'); console.debug('at debug'); console.log('at %s', 'info', 7); console.info({ kind: 'object' });
  console.warn('at warn'); console.error(new TypeError('bad thing')); console.error('context', new RangeError('out')); console.fatal('at fatal');
  return { format: process.env.AWS_LAMBDA_LOG_FORMAT ?? null, level: process.env.AWS_LAMBDA_LOG_LEVEL ?? null };
};`,
});

async function run(logging: LoggingConfig | undefined) {
  return withEngine({}, async ({ engine }) => {
    const result = await engine.pool(fn(root, 'app.handler', logging ? { logging } : {})).invoke('{}');
    const lines = result.logs.trim().split('\n');
    return { result, lines };
  });
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('LoggingConfig', () => {
  it('Text (the default): tab-separated lines with every level, START / END / REPORT lines, no variables', async () => {
    const { result, lines } = await run(undefined);
    assert.deepEqual(result.result, { format: null, level: null });
    assert.match(lines[0], /^START RequestId: \S+ Version: \$LATEST$/);
    assert.match(lines[1], new RegExp(`^\\S+\\t${result.requestId}\\tTRACE\\tat trace$`));
    assert.ok(lines.some((l) => l.endsWith('\tINFO\tat info 7')));
    assert.ok(lines.some((l) => /^END RequestId/.test(l)));
    assert.ok(lines.some((l) => /^REPORT RequestId/.test(l)));
  });

  it('JSON: records with timestamp, level, requestId and message; errors as errorType / errorMessage / stackTrace', async () => {
    const { result, lines } = await run({ format: 'JSON', applicationLogLevel: 'TRACE' });
    assert.deepEqual(result.result, { format: 'JSON', level: 'TRACE' });
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const app = records.filter((r) => 'level' in r);
    assert.deepEqual(
      app.map((r) => r.level),
      ['TRACE', 'DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR', 'ERROR', 'FATAL'],
    );
    for (const r of app) {
      assert.match(String(r.timestamp), ISO);
      assert.equal(r.requestId, result.requestId);
    }
    assert.equal(app[2].message, 'at info 7');
    assert.deepEqual(app[3].message, { kind: 'object' });
    const alone = app[5].message as Record<string, unknown>;
    assert.equal(alone.errorType, 'TypeError');
    assert.equal(alone.errorMessage, 'bad thing');
    assert.ok(Array.isArray(alone.stackTrace) && String(alone.stackTrace[0]).startsWith('TypeError: bad thing'));
    assert.match(String(app[6].message), /^context RangeError: out/);
    assert.equal(app[6].errorType, 'RangeError');
    assert.equal(app[6].errorMessage, 'out');
    assert.ok(Array.isArray(app[6].stackTrace));
  });

  it('JSON: platform.start and platform.report records (platform.runtimeDone only at DEBUG)', async () => {
    const info = (await run({ format: 'JSON' })).lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const platform = info.filter((r) => 'type' in r);
    assert.deepEqual(
      platform.map((r) => r.type),
      ['platform.start', 'platform.report'],
    );
    const [start, report] = platform as Array<{ time: string; record: Record<string, unknown> }>;
    assert.match(start.time, ISO);
    assert.deepEqual(Object.keys(start.record), ['requestId', 'functionArn', 'version']);
    assert.equal(start.record.version, '$LATEST');
    assert.equal(start.record.functionArn, 'arn:aws:lambda:us-east-1:123456789012:function:app');
    assert.equal(report.record.status, 'success');
    const metrics = report.record.metrics as Record<string, number>;
    assert.deepEqual(Object.keys(metrics), [
      'durationMs',
      'billedDurationMs',
      'memorySizeMB',
      'maxMemoryUsedMB',
      'initDurationMs',
    ]);
    assert.equal(metrics.memorySizeMB, 128);
    assert.ok(metrics.billedDurationMs >= metrics.durationMs);

    const debug = (await run({ format: 'JSON', systemLogLevel: 'DEBUG' })).lines.map((l) => JSON.parse(l));
    const debugPlatform = debug.filter((r: Record<string, unknown>) => 'type' in r);
    assert.deepEqual(
      debugPlatform.map((r: { type: string }) => r.type),
      ['platform.start', 'platform.runtimeDone', 'platform.report'],
    );
    const done = debugPlatform[1].record as { status: string; metrics: Record<string, number> };
    assert.equal(done.status, 'success');
    assert.deepEqual(Object.keys(done.metrics), ['durationMs', 'producedBytes']);
    assert.equal(done.metrics.producedBytes, JSON.stringify({ format: 'JSON', level: 'INFO' }).length);
    const warn = (await run({ format: 'JSON', systemLogLevel: 'WARN' })).lines.map((l) => JSON.parse(l));
    assert.equal(warn.filter((r: Record<string, unknown>) => 'type' in r).length, 0);
  });

  it('JSON: every ApplicationLogLevel writes that level and those above it only (INFO by default)', async () => {
    const all = ['TRACE', 'DEBUG', 'INFO', 'INFO', 'WARN', 'ERROR', 'ERROR', 'FATAL'];
    const rank = (l: string) => APPLICATION_LOG_LEVELS.indexOf(l as (typeof APPLICATION_LOG_LEVELS)[number]);
    for (const level of [...APPLICATION_LOG_LEVELS, undefined]) {
      const { result, lines } = await run({ format: 'JSON', applicationLogLevel: level });
      const levels = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .flatMap((r) => (r.level ? [r.level] : []));
      const minimum = level ?? 'INFO';
      assert.deepEqual(
        levels,
        all.filter((l) => rank(l) >= rank(minimum)),
        `ApplicationLogLevel ${minimum}`,
      );
      assert.equal((result.result as { level: string }).level, minimum);
    }
  });

  it('JSON: each Init starts with a platform.initStart record (none in the text log)', async () => {
    const json = (await run({ format: 'JSON' })).result.initLogs!.trim().split('\n');
    const initStart = JSON.parse(json[0]) as { time: string; type: string; record: Record<string, unknown> };
    assert.equal(initStart.type, 'platform.initStart');
    assert.match(initStart.time, ISO);
    assert.deepEqual(initStart.record, {
      initializationType: 'on-demand',
      phase: 'init',
      functionName: 'app',
      functionVersion: '$LATEST',
      instanceId: initStart.record.instanceId,
      instanceMaxMemory: 128 * 1024 * 1024,
    });
    assert.match(initStart.record.instanceId as string, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    const text = (await run(undefined)).result.initLogs ?? '';
    assert.doesNotMatch(text, /initStart|INIT_START/);
  });

  it('JSON: a timeout and a runtime exit are records (runtimeDone and report say timeout / error), never a text line', async () => {
    const failing = codeRoot({
      'app.js': `exports.handler = async (event) => {
  if (event.exit) process.exit(3);
  console.log('waiting');
  await new Promise((resolve) => setTimeout(resolve, 5000));
};`,
    });
    const logging: LoggingConfig = { format: 'JSON', systemLogLevel: 'DEBUG' };
    const { timedOut, crashed, textTimeout } = await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(failing, 'app.handler', { logging, timeoutSeconds: 1 }));
      const textPool = engine.pool(fn(failing, 'app.handler', { name: 'text', timeoutSeconds: 1 }));
      return {
        timedOut: await pool.invoke('{}'),
        crashed: await pool.invoke('{"exit": true}'),
        textTimeout: await textPool.invoke('{}'),
      };
    });
    assert.match(textTimeout.logs, /Task timed out after 1\.00 seconds/, 'the text log keeps its line');
    const records = (logs: string) =>
      logs
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const platform = (logs: string) =>
      records(logs).filter((r) => 'type' in r) as Array<{ type: string; record: Record<string, unknown> }>;

    assert.equal(timedOut.status, 'timeout');
    const t = platform(timedOut.logs);
    assert.deepEqual(
      t.map((r) => r.type),
      ['platform.start', 'platform.runtimeDone', 'platform.report'],
    );
    assert.equal(t[1].record.status, 'timeout');
    assert.equal(t[1].record.errorType, 'Sandbox.Timedout');
    assert.equal(t[2].record.status, 'timeout');

    assert.equal(crashed.status, 'crash');
    const c = platform(crashed.logs);
    assert.deepEqual(
      c.map((r) => r.type),
      ['platform.start', 'platform.runtimeDone', 'platform.report'],
    );
    assert.deepEqual([c[1].record.status, c[1].record.errorType], ['error', 'Runtime.ExitError']);
    assert.deepEqual([c[2].record.status, c[2].record.errorType], ['error', 'Runtime.ExitError']);
    // The Init that follows the timeout's reset starts again with its record.
    assert.equal(platform(crashed.initLogs!)[0].type, 'platform.initStart');
  });

  it('JSON: an Init that fails is an initReport record with its status and error type, never a text line', async () => {
    const broken = codeRoot({ 'app.js': 'process.exit(2);' });
    const result = await withEngine({}, ({ engine }) =>
      engine.pool(fn(broken, 'app.handler', { logging: { format: 'JSON' } })).invoke('{}'),
    );
    const lines = `${result.initLogs ?? ''}${result.logs}`.trim().split('\n');
    const records = lines.map((l) => JSON.parse(l) as { type?: string; record?: Record<string, unknown> });
    const reports = records.filter((r) => r.type === 'platform.initReport');
    assert.ok(reports.length >= 1, lines.join('\n'));
    assert.equal(reports[0].record!.status, 'error');
    assert.equal(reports[0].record!.errorType, 'Runtime.ExitError');
  });
});
