// The platform's lines as Lambda writes them with LogFormat JSON: START, END, REPORT and
// INIT_REPORT become `platform.start`, `platform.runtimeDone`, `platform.report` and
// `platform.initReport` records ({time, type, record}), each with the system log level that
// SystemLogLevel filters on. Other platform lines (timeouts, runtime exits) stay as they are.

import type { LoggingConfig } from '../config/functionConfig';

const SYSTEM_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;
type SystemLevel = (typeof SYSTEM_LEVELS)[number];

interface PlatformRecord {
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

/** How platform lines are written for a function: as they are (Text), or as JSON records
 * with those below SystemLogLevel left out (null: not written). */
export function platformLineWriter(logging: LoggingConfig | undefined): (line: string) => string | null {
  if (logging?.format !== 'JSON') return (line) => line;
  const minimum = SYSTEM_LEVELS.indexOf(logging.systemLogLevel ?? 'INFO');
  return (line) => {
    const json = platformRecord(line);
    if (!json) return line;
    if (SYSTEM_LEVELS.indexOf(json.level) < minimum) return null;
    return JSON.stringify({ time: new Date().toISOString(), type: json.type, record: json.record });
  };
}
