// Lambda's JSON log records for console output (LoggingConfig LogFormat JSON): one JSON
// object per call with `timestamp`, `level`, `requestId` and `message`; an Error logged alone
// becomes `{errorType, errorMessage, stackTrace}` as the message, and an Error among several
// arguments adds those three fields beside the formatted message, as the Node runtime does.

import * as util from 'node:util';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type Level = (typeof LOG_LEVELS)[number];

export interface JsonLogFormat {
  /** Calls below this level write nothing. */
  minimum: Level;
  record(level: Level, requestId: string | undefined, args: unknown[]): string;
}

/** The JSON format when AWS_LAMBDA_LOG_FORMAT says so (null for the text format). */
export function jsonLogFormat(format: string | undefined, level: string | undefined): JsonLogFormat | null {
  if (format?.toUpperCase() !== 'JSON') return null;
  const minimum = LOG_LEVELS.find((l) => l === level?.toUpperCase()) ?? 'INFO';
  return { minimum, record: jsonRecord };
}

const errorFields = (error: Error) => ({
  errorType: error.constructor?.name ?? 'UnknownError',
  errorMessage: error.message,
  stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
});

function replaceErrors(_key: string, value: unknown): unknown {
  return value instanceof Error ? { ...errorFields(value), ...value } : value;
}

function jsonRecord(level: Level, requestId: string | undefined, args: unknown[]): string {
  const record: Record<string, unknown> = { timestamp: new Date().toISOString(), level, requestId };
  if (args.length === 1) {
    record.message = args[0];
    try {
      return JSON.stringify(record, replaceErrors) + '\n';
    } catch {
      record.message = util.format(args[0]);
      return JSON.stringify(record) + '\n';
    }
  }
  record.message = util.format(...args);
  const error = args.find((a): a is Error => a instanceof Error);
  if (error) Object.assign(record, errorFields(error));
  return JSON.stringify(record) + '\n';
}
