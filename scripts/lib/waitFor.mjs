// The one polling wait of the project's tests and test runners (test/support/waitFor.ts
// re-exports it, beside the event waits). Poll only for what tells nothing when it
// happens: a file appearing, a process ending, a server's log line, a page's text.

/**
 * Checks `condition` (sync or async) until it gives a value other than undefined, null or
 * false, and resolves with that value; fails after `timeoutMs` saying what it waited for.
 * @template T
 * @param {() => T | undefined | null | false | Promise<T | undefined | null | false>} condition
 * @param {{ timeoutMs?: number, message?: string | (() => string), intervalMs?: number }} [options]
 * @returns {Promise<T>}
 */
export async function waitFor(condition, options = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const started = Date.now();
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() - started > timeoutMs) {
      const message = typeof options.message === 'function' ? options.message() : options.message;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message ?? 'a condition'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}
