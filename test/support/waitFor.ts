// Waiting in tests, shared by every suite (the extension-host tests bundle it too, so it
// imports nothing from the engine at run time). Wait for engine events with `nextEvent` /
// `nextEvents`; poll with `waitFor` (scripts/lib/waitFor.mjs, shared with the test
// runners) only for what sends no event: a file appearing, a process ending, a page's text.

import type { Engine } from '../../src/engine/engine';
import type { EngineEvent } from '../../src/protocol/engineEvents';

export { waitFor, type WaitOptions } from '../../scripts/lib/waitFor.mjs';

/** Resolves with the first engine event, from now on, that matches `predicate`; fails after
 * `timeoutMs`. Subscribe before doing what emits it. */
export function nextEvent<E extends EngineEvent>(
  engine: Engine,
  predicate: (event: EngineEvent) => event is E,
  timeoutMs?: number,
): Promise<E>;
export function nextEvent(
  engine: Engine,
  predicate: (event: EngineEvent) => boolean,
  timeoutMs?: number,
): Promise<EngineEvent>;
export function nextEvent(
  engine: Engine,
  predicate: (event: EngineEvent) => boolean,
  timeoutMs = 10_000,
): Promise<EngineEvent> {
  return nextEvents(engine, predicate, 1, timeoutMs).then(([event]) => event);
}

/** Resolves with the first `count` engine events, from now on, that match `predicate`. */
export function nextEvents<E extends EngineEvent>(
  engine: Engine,
  predicate: (event: EngineEvent) => event is E,
  count: number,
  timeoutMs?: number,
): Promise<E[]>;
export function nextEvents(
  engine: Engine,
  predicate: (event: EngineEvent) => boolean,
  count: number,
  timeoutMs?: number,
): Promise<EngineEvent[]>;
export function nextEvents(
  engine: Engine,
  predicate: (event: EngineEvent) => boolean,
  count: number,
  timeoutMs = 10_000,
): Promise<EngineEvent[]> {
  return new Promise((resolve, reject) => {
    const matched: EngineEvent[] = [];
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for engine events (${matched.length} of ${count})`));
    }, timeoutMs);
    const unsubscribe = engine.on((event) => {
      if (!predicate(event)) return;
      matched.push(event);
      if (matched.length < count) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(matched);
    });
  });
}

/** A predicate on the event type, narrowing it: `nextEvent(engine, ofType('stateSnapshot'))`. */
export function ofType<T extends EngineEvent['type']>(
  type: T,
  also: (event: Extract<EngineEvent, { type: T }>) => boolean = () => true,
): (event: EngineEvent) => event is Extract<EngineEvent, { type: T }> {
  return (event): event is Extract<EngineEvent, { type: T }> =>
    event.type === type && also(event as Extract<EngineEvent, { type: T }>);
}
