// The module state an environment carries, read after each invocation for the state
// panel: the variables the handler's module keeps (CommonJS and ES modules), what user
// code adds to globalThis, bounded previews for huge values, text only.

import { strict as assert } from 'node:assert';
import { codeRoot, fn, withEngine } from '../support/engine';
import { nextEvents, ofType } from '../support/waitFor';
import type { Engine } from '../../src/engine/engine';
import type { StateNode } from '../../src/protocol/sandbox';

const byName = (nodes: StateNode[]) => Object.fromEntries(nodes.map((n) => [n.name, n]));

/** The next `count` snapshots taken after an invocation (subscribe before invoking). */
const snapshots = (engine: Engine, count: number) =>
  nextEvents(
    engine,
    ofType('stateSnapshot', (e) => e.requestId !== null),
    count,
  );

describe('module state after each invocation', function () {
  this.timeout(30_000);

  it('shows the variables a CommonJS handler module keeps, growing warm, and globalThis additions as text', async () => {
    const root = codeRoot({
      'app.js': `
        let count = 0;
        const client = { connectedAt: 'at init', queries: 0 };
        const big = new Map();
        for (let i = 0; i < 100000; i++) big.set('k' + i, i);
        const long = 'x'.repeat(10 * 1024 * 1024);
        const unused = 'not kept by the handler';
        exports.handler = async () => {
          count++;
          client.queries++;
          globalThis.lastSeen = '<img src=x onerror=alert(1)>';
          return { count, size: big.size, length: long.length };
        };`,
    });
    await withEngine({ captureModuleState: true, prestart: false }, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'app.handler'));
      const taken = snapshots(engine, 2);
      await pool.invoke('{}');
      await pool.invoke('{}');
      const [first, second] = await taken;
      const one = byName(first.moduleState!.module);
      const two = byName(second.moduleState!.module);
      assert.equal(one.count.preview, '1');
      assert.equal(two.count.preview, '2');
      assert.equal(byName(two.client.children!).queries.preview, '2');
      assert.equal(two.big.preview, 'Map(100000)');
      assert.equal(two.big.children!.length, 100);
      assert.equal(two.big.more, 99900);
      assert.equal(two.long.size, 10 * 1024 * 1024);
      assert.ok(two.long.preview.length < 1100, 'a 10 MB string is cut');
      assert.equal(two.unused, undefined, 'variables the handler does not keep are not kept alive');
      assert.deepEqual(
        second.moduleState!.globals.map((g) => [g.name, g.preview]),
        [['globalThis.lastSeen', '"<img src=x onerror=alert(1)>"']],
      );
    });
  });

  it('reads an ES module handler too, and costs nothing when off', async () => {
    const root = codeRoot({ 'app.mjs': 'let hits = 0;\nexport const handler = async () => ({ hits: ++hits });\n' });
    await withEngine({ captureModuleState: true, prestart: false }, async ({ engine }) => {
      const taken = snapshots(engine, 1);
      await engine.pool(fn(root, 'app.handler')).invoke('{}');
      const [snapshot] = await taken;
      assert.equal(byName(snapshot.moduleState!.module).hits.preview, '1');
    });
    await withEngine({}, async ({ engine }) => {
      const taken = snapshots(engine, 1);
      await engine.pool(fn(root, 'app.handler', { name: 'off' })).invoke('{}');
      const [snapshot] = await taken;
      assert.equal(snapshot.moduleState, null);
    });
  });
});
