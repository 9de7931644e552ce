// A listener of the engine's events that throws does not break the engine, and its error
// reaches whoever asked (the adapter logs it to the "Lambda Lifecycle" output).

import { strict as assert } from 'node:assert';
import { Engine } from '../../src/engine/engine';
import type { EngineEvent } from '../../src/protocol/engineEvents';

describe("the engine's listener errors", () => {
  it('go to onListenerError with the event, and the other listeners still hear it', async () => {
    const reported: Array<[unknown, EngineEvent]> = [];
    const engine = new Engine({ onListenerError: (error, event) => reported.push([error, event]) });
    const heard: EngineEvent[] = [];
    engine.on(() => {
      throw new Error('listener bug');
    });
    engine.on((event) => heard.push(event));
    const event = { type: 'environmentReset', environmentId: 'env-1' } as unknown as EngineEvent;
    engine['emit'](event);
    await engine.close();
    assert.equal(heard.length, 1);
    assert.equal(reported.length, 1);
    assert.match(String(reported[0][0]), /listener bug/);
    assert.equal(reported[0][1], event);
  });
});
