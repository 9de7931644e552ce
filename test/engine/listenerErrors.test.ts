// A listener of engine events that throws: the engine carries on, and the error is
// reported to `onListenerError` (by default, a line on stderr), never dropped.

import { strict as assert } from 'node:assert';
import { codeRoot, fn, withEngine } from '../support/engine';
import type { EngineEvent } from '../../src/protocol/engineEvents';

describe('a failing engine event listener', () => {
  const root = () => codeRoot({ 'index.js': 'exports.handler = async () => "ok";' });

  it('is reported to onListenerError, and the invocation goes on', async () => {
    const reported: Array<{ error: unknown; event: EngineEvent }> = [];
    await withEngine({ onListenerError: (error, event) => reported.push({ error, event }) }, async ({ engine }) => {
      engine.on((event) => {
        if (event.type === 'invocationStarted') throw new Error('listener broke');
      });
      const result = await engine.pool(fn(root(), 'index.handler')).invoke('{}');
      assert.equal(result.result, 'ok');
    });
    assert.equal(reported.length, 1);
    assert.equal((reported[0].error as Error).message, 'listener broke');
    assert.equal(reported[0].event.type, 'invocationStarted');
  });

  it('is written to stderr by default', async () => {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await withEngine({}, async ({ engine }) => {
        engine.on((event) => {
          if (event.type === 'invocationEnded') throw new Error('listener broke');
        });
        await engine.pool(fn(root(), 'index.handler')).invoke('{}');
      });
    } finally {
      process.stderr.write = write;
    }
    const lines = written.filter((line) => line.includes('listener broke'));
    assert.equal(lines.length, 1, written.join(''));
    assert.match(lines[0], /a listener failed on the invocationEnded event: Error: listener broke/);
  });
});
