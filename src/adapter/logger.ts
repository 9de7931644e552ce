// What the adapter logs through, passed in by its host (as vscode-mock-debug passes its
// FileAccessor): the extension gives one backed by the "Lambda Lifecycle" output channel,
// the standalone adapter and tests a silent one. The adapter never imports vscode.

/** How much of the DAP traffic to log: nothing, the request/response/event names, or whole messages. */
export type DapTraceLevel = 'off' | 'messages' | 'verbose';

export interface AdapterLogger {
  /** How much DAP traffic to pass to `dap` (read when a session starts). */
  readonly dapTrace: DapTraceLevel;
  /** One DAP message (only called when dapTrace is not off). */
  dap(line: string): void;
  /** Whether `debug` lines are kept (building them can cost: the engine's events are large). */
  debugEnabled(): boolean;
  /** The engine's decisions, step by step (its events). */
  debug(message: string): void;
  info(message: string): void;
  /** A failure the adapter survives (a listener that threw, a request that failed). */
  error(message: string, error?: unknown): void;
}

export const silentLogger: AdapterLogger = {
  dapTrace: 'off',
  dap: () => undefined,
  debugEnabled: () => false,
  debug: () => undefined,
  info: () => undefined,
  error: () => undefined,
};

/** One line for a DAP message at the given level (null: not logged). */
export function describeDapMessage(
  direction: '→' | '←',
  message: { type?: string; command?: string; event?: string; seq?: number; success?: boolean },
  level: DapTraceLevel,
): string | null {
  if (level === 'off') return null;
  if (level === 'verbose') return `${direction} ${JSON.stringify(message)}`;
  const name = message.command ?? message.event ?? '?';
  const outcome = message.type === 'response' ? (message.success === false ? ' (failed)' : ' (ok)') : '';
  return `${direction} ${message.type ?? 'message'} ${name}${outcome}`;
}
