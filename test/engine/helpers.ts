// Moved to test/support/engine.ts (shared by the engine, CLI, adapter and webview suites).
// This re-export stays only while branches written against the old path are merged
// (test/engine/longLived.test.ts, test/adapter/launchErrors.test.ts); remove it after.

export * from '../support/engine';
