// Lambda's JSON log records (LoggingConfig LogFormat JSON) made readable in the Debug Console
// and the state panel (one rule for both):
// a short line (the level and the message, or the platform record's type and request id)
// with the whole record behind it, foldable.

/** A JSON log record shown as one readable line; null for other lines. */
export function readableJsonLog(line: string): { text: string; record: Record<string, unknown> } | null {
  if (!line.startsWith('{')) return null;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return null;
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return null;
  const r = record as Record<string, unknown>;
  if (typeof r.level === 'string' && 'message' in r) {
    const message = typeof r.message === 'string' ? r.message : JSON.stringify(r.message);
    const error = typeof r.errorType === 'string' ? ` (${r.errorType}: ${String(r.errorMessage)})` : '';
    return { text: `${r.level.padEnd(5)} ${message}${error}`, record: r };
  }
  if (typeof r.type === 'string' && r.type.startsWith('platform.') && typeof r.record === 'object' && r.record) {
    const inner = r.record as Record<string, unknown>;
    const id = typeof inner.requestId === 'string' ? ` ${inner.requestId}` : '';
    const status = typeof inner.status === 'string' ? ` ${inner.status}` : '';
    const errorType = typeof inner.errorType === 'string' ? ` (${inner.errorType})` : '';
    return { text: `${r.type}${id}${status}${errorType}`, record: r };
  }
  return null;
}
