// Each Node runtime runs on a Node of its own major version (found on the machine or in
// the per-user cache; scripts/setup.mjs fetches 18, 22 and 24 there), the spare pre-started
// process too; the invocation result says which Node ran; `host` runs on the engine's own
// Node with one warning.

import { strict as assert } from 'node:assert';
import { codeRoot, fn, withEngine } from '../support/engine';
import type { RuntimeId } from '../../src/config/functionConfig';

const versionHandler = {
  'app.js': 'exports.handler = async () => ({ version: process.version, env: process.env.AWS_EXECUTION_ENV });',
};

describe('the Node.js a runtime runs on', function () {
  this.timeout(60_000);

  for (const runtime of ['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as RuntimeId[]) {
    const major = runtime.replace(/^nodejs(\d+)\.x$/, '$1');
    it(`runs ${runtime} on Node.js ${major}, in the first environment and in the pre-started one`, async () => {
      const root = codeRoot(versionHandler);
      await withEngine({ prestart: true }, async ({ engine }) => {
        const pool = engine.pool(fn(root, 'app.handler', { runtime }));
        const first = await pool.invoke('{}');
        // The second, forced cold, runs in the spare process started ahead.
        const second = await pool.invoke('{}', { cold: true });
        for (const result of [first, second]) {
          assert.equal(result.status, 'success', JSON.stringify(result.error));
          const body = result.result as { version: string; env: string };
          assert.match(body.version, new RegExp(`^v${major}\\.`));
          assert.equal(body.env, `AWS_Lambda_${runtime}`);
          assert.equal(result.nodeVersion, body.version);
        }
      });
    });
  }

  it('runs on the engine’s own Node with `host`, and warns once that it is not the runtime’s', async () => {
    const root = codeRoot(versionHandler);
    await withEngine({ nodeExecutable: 'host', prestart: false }, async ({ engine, events }) => {
      const pool = engine.pool(fn(root, 'app.handler', { runtime: 'nodejs24.x' }));
      await pool.invoke('{}');
      const result = await pool.invoke('{}', { cold: true });
      assert.equal((result.result as { version: string }).version, process.version);
      assert.equal(result.nodeVersion, process.version);
      const warnings = events.filter((e) => e.type === 'provisioning' && e.stage === 'warning');
      assert.equal(warnings.length, process.version.startsWith('v24.') ? 0 : 1);
    });
  });

  it('reports Max Memory Used of the function alone, however large the engine was when it started it', async () => {
    // The engine's process holds 300 MB when the environment is started (as after a Node
    // download, or in VS Code's extension host); a forked child must not count it.
    const ballast = Buffer.alloc(300 * 1024 * 1024, 1);
    const root = codeRoot(versionHandler);
    await withEngine({ prestart: false }, async ({ engine }) => {
      const result = await engine.pool(fn(root, 'app.handler', { memorySizeMB: 512 })).invoke('{}');
      assert.equal(result.status, 'success');
      assert.ok(result.report.maxMemoryUsedMB < 150, `${result.report.maxMemoryUsedMB} MB`);
    });
    assert.equal(ballast[ballast.length - 1], 1);
  });
});
