// Types of waitFor.mjs for the TypeScript tests (through test/support/waitFor.ts).
export interface WaitOptions {
  /** Default 10,000 ms. */
  timeoutMs?: number;
  /** What is waited for, for the failure message (a function: read at failure time). */
  message?: string | (() => string);
  /** Between checks. Default 25 ms. */
  intervalMs?: number;
}
export declare function waitFor<T>(
  condition: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options?: WaitOptions,
): Promise<T>;
