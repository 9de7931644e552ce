// Checks an event against the shape @types/aws-lambda gives it: each table below must name
// every key of the type (the compiler refuses a missing or unknown key), marked true when
// AWS always sends it. `assertShape` then checks the required keys are there and that no
// key outside the type was sent.

import { strict as assert } from 'node:assert';

export type KeyTable<T> = Record<keyof T, boolean>;

export function assertShape<T>(value: unknown, table: KeyTable<T>, label: string): asserts value is T {
  assert.ok(typeof value === 'object' && value !== null, `${label} is an object`);
  const keys = Object.keys(value as object);
  for (const [key, required] of Object.entries(table)) {
    if (required) assert.ok(keys.includes(key), `${label}.${key} is missing`);
  }
  for (const key of keys) assert.ok(key in table, `${label}.${key} is not in the @types/aws-lambda type`);
}
