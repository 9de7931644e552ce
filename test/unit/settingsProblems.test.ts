// The Configuration view's checks (settingsProblems) are Lambda's checks of src/config:
// the same rules as a launch or a template, keyed by the field to show them at.

import { strict as assert } from 'node:assert';
import { settingsProblems, type FunctionSettings } from '../../src/config/settingsEdit';
import { ConfigError, validateFunctionConfig, withDefaults } from '../../src/config/functionConfig';

const fine: FunctionSettings = {
  memorySize: 512,
  timeout: 30,
  ephemeralStorage: 512,
  environment: { TABLE: 'orders' },
  runtime: 'nodejs22.x',
};

describe('settings problems', () => {
  it('finds none in settings Lambda accepts', () => {
    assert.deepEqual(settingsProblems(fine), {});
  });

  it('keys each problem by its field, one variable at a time', () => {
    const problems = settingsProblems({
      memorySize: 64,
      timeout: 1.5,
      ephemeralStorage: 20000,
      environment: { AWS_REGION: 'eu-west-1', '9lives': 'x' },
      runtime: 'nodejs8.10',
    });
    assert.deepEqual(Object.keys(problems).sort(), [
      'environment.9lives',
      'environment.AWS_REGION',
      'ephemeralStorage',
      'memorySize',
      'runtime',
      'timeout',
    ]);
    assert.match(problems.memorySize, /from 128 to 10240 MB/);
    assert.match(problems['environment.AWS_REGION'], /reserved/);
    assert.match(settingsProblems({ ...fine, environment: { BIG: 'x'.repeat(4100) } }).environment, /4 KB/);
  });

  it('says what validateFunctionConfig says for the same values', () => {
    const settings = { ...fine, memorySize: 64, environment: { AWS_REGION: 'x' } };
    const config = withDefaults({
      root: '/code',
      handler: 'index.handler',
      memorySizeMB: settings.memorySize,
      environment: settings.environment,
    });
    assert.throws(
      () => validateFunctionConfig(config),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        for (const message of Object.values(settingsProblems(settings))) assert.ok(error.message.includes(message));
        return true;
      },
    );
  });
});

describe('LoggingConfig in the sidebar settings', () => {
  const base = { memorySize: 128, timeout: 3, ephemeralStorage: 512, runtime: 'nodejs22.x', environment: {} };
  it('accepts Text (its levels are ignored, as on Lambda) and JSON with levels; names the field otherwise', () => {
    assert.deepEqual(settingsProblems({ ...base, logFormat: 'Text', applicationLogLevel: 'DEBUG' }), {});
    assert.deepEqual(
      settingsProblems({ ...base, logFormat: 'JSON', applicationLogLevel: 'TRACE', systemLogLevel: 'WARN' }),
      {},
    );
    assert.match(
      settingsProblems({ ...base, logFormat: 'JSON', systemLogLevel: 'TRACE' }).logFormat,
      /SystemLogLevel 'TRACE' is not one of: DEBUG, INFO, WARN/,
    );
  });
});
