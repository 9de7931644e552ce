// The "Lambda Lifecycle" log (a LogOutputChannel, as rust-analyzer and vscode-eslint keep
// one): the extension's own messages, the language client's, and for each debug session
// an AdapterLogger writing the adapter's DAP traffic (at the `lambdaLifecycle.trace`
// setting's level) and the engine's decisions (at the channel's Debug level).

import * as vscode from 'vscode';
import type { AdapterLogger, DapTraceLevel } from '../adapter/logger';
import { LOG_NAME } from './contributions';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel(LOG_NAME, { log: true });
}

/** The logger one adapter session writes through. */
export function adapterLogger(log: Log, dapTrace: DapTraceLevel, sessionName: string): AdapterLogger {
  const prefix = `[${sessionName}]`;
  return {
    dapTrace,
    // The setting asked for the traffic: shown at the channel's default level.
    dap: (line) => log.info(`${prefix} ${line}`),
    debugEnabled: () => log.logLevel !== vscode.LogLevel.Off && log.logLevel <= vscode.LogLevel.Debug,
    debug: (message) => log.debug(`${prefix} ${message}`),
    info: (message) => log.info(`${prefix} ${message}`),
    error: (message, error) =>
      error === undefined ? log.error(`${prefix} ${message}`) : log.error(`${prefix} ${message}`, error),
  };
}
