// Waiting in the extension-host tests: `until(what, check)` is the shared waitFor
// (test/support/waitFor.ts) in the words these tests use — polls a check (sync or async)
// until it gives a value (anything but undefined, null or false), or fails saying what it
// waited for.

import { waitFor } from '../support/waitFor';

export function until<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
): Promise<T> {
  return waitFor(check, { message: what, timeoutMs, intervalMs: 50 });
}
