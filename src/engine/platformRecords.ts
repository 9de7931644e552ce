// The platform's lines as Lambda writes them with LogFormat JSON, the records of its Telemetry
// API ({time, type, record}; shapes as in AWS's runtime interface emulator): each Init starts
// with `platform.initStart`; START, END, REPORT and INIT_REPORT become `platform.start`,
// `platform.runtimeDone` (its status `success`, `error` or `timeout`, the error type),
// `platform.report` and `platform.initReport`; each has the system log level that
// SystemLogLevel filters on. A timeout's and a runtime exit's text lines have no record of their
// own: the runtimeDone, report and initReport records say it. Our own notes stay text.

import type { InitializationType, InvocationStatus } from '../protocol/engineEvents';
import type { FunctionConfig, LoggingConfig } from '../config/functionConfig';

const SYSTEM_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;
type SystemLevel = (typeof SYSTEM_LEVELS)[number];

export interface PlatformRecord {
  level: SystemLevel;
  type: string;
  record: Record<string, unknown>;
}

/** Splits `Duration: 9.48 ms\tBilled Duration: 10 ms...` into its fields. */
function fields(line: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of line.split('\t')) {
    const colon = part.indexOf(': ');
    if (colon > 0) map.set(part.slice(0, colon).trim(), part.slice(colon + 2).trim());
  }
  return map;
}
const number = (value: string | undefined) => (value === undefined ? undefined : parseFloat(value));

/** The JSON record of one of our platform lines (logFormat.ts), or null for lines that have none. */
export function platformRecord(line: string): PlatformRecord | null {
  let match = /^START RequestId: (\S+) Version: (\S+)/.exec(line);
  if (match) return { level: 'INFO', type: 'platform.start', record: { requestId: match[1], version: match[2] } };
  match = /^END RequestId: (\S+)/.exec(line);
  if (match) return { level: 'DEBUG', type: 'platform.runtimeDone', record: { requestId: match[1] } };
  if (line.startsWith('REPORT RequestId: ')) {
    const f = fields(line.slice('REPORT '.length));
    const metrics: Record<string, number | undefined> = {
      durationMs: number(f.get('Duration')),
      billedDurationMs: number(f.get('Billed Duration')),
      memorySizeMB: number(f.get('Memory Size')),
      maxMemoryUsedMB: number(f.get('Max Memory Used')),
    };
    if (f.has('Init Duration')) metrics.initDurationMs = number(f.get('Init Duration'));
    const status = f.get('Status') ?? 'success';
    const record: Record<string, unknown> = { requestId: f.get('RequestId'), metrics, status };
    if (f.has('Error Type')) record.errorType = f.get('Error Type');
    return { level: 'INFO', type: 'platform.report', record };
  }
  if (line.startsWith('INIT_REPORT ')) {
    const f = fields(line.slice('INIT_REPORT '.length));
    const record: Record<string, unknown> = {
      initializationType: 'on-demand',
      phase: f.get('Phase'),
      status: f.get('Status'),
      metrics: { durationMs: number(f.get('Init Duration')) },
    };
    if (f.has('Error Type')) record.errorType = f.get('Error Type');
    return { level: 'INFO', type: 'platform.initReport', record };
  }
  return null;
}

/** An Init starting (phase `invoke`: Init run again inside an invocation). No text line. */
export function initStartRecord(
  config: FunctionConfig,
  initializationType: InitializationType,
  phase: 'init' | 'invoke',
  instanceId: string,
): PlatformRecord {
  return {
    level: 'INFO',
    type: 'platform.initStart',
    record: {
      initializationType,
      phase,
      functionName: config.name,
      functionVersion: '$LATEST',
      instanceId,
      instanceMaxMemory: config.memorySizeMB * 1024 * 1024,
    },
  };
}

export function startRecord(requestId: string, functionArn: string): PlatformRecord {
  return { level: 'INFO', type: 'platform.start', record: { requestId, functionArn, version: '$LATEST' } };
}

/** The runtime done with an invocation: how (a function error or a runtime exit is `error`,
 * with its type), how long it took and how much it answered. */
export function runtimeDoneRecord(figures: {
  requestId: string;
  status: InvocationStatus;
  errorType: string | null;
  durationMs: number;
  producedBytes: number;
}): PlatformRecord {
  const status = figures.status === 'success' ? 'success' : figures.status === 'timeout' ? 'timeout' : 'error';
  const record: Record<string, unknown> = {
    requestId: figures.requestId,
    status,
    metrics: { durationMs: Number(figures.durationMs.toFixed(3)), producedBytes: figures.producedBytes },
  };
  if (status !== 'success' && figures.errorType) record.errorType = figures.errorType;
  return { level: 'DEBUG', type: 'platform.runtimeDone', record };
}

/** What the JSON log writes for a platform line: a record of its own, none (null: a text line
 * the JSON log has no record for), or the record derived from the line (undefined). */
export type JsonForm = PlatformRecord | null | undefined;

/** How platform lines are written for a function: as they are (Text), or as JSON records
 * with those below SystemLogLevel left out (null: not written). */
export function platformLineWriter(
  logging: LoggingConfig | undefined,
): (line: string | null, json?: JsonForm) => string | null {
  if (logging?.format !== 'JSON') return (line) => line;
  const minimum = SYSTEM_LEVELS.indexOf(logging.systemLogLevel ?? 'INFO');
  return (line, json) => {
    const record = json === undefined ? (line === null ? null : platformRecord(line)) : json;
    // A line with no record of Lambda's (our own notes) stays as it is.
    if (record === null) return json === null ? null : line;
    if (SYSTEM_LEVELS.indexOf(record.level) < minimum) return null;
    return JSON.stringify({ time: new Date().toISOString(), type: record.type, record: record.record });
  };
}
