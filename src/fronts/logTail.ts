// `X-Amz-Log-Type: Tail`: Lambda returns the last 4 KB of the invocation's log, base64-encoded,
// in `X-Amz-Log-Result`.

export const LOG_TAIL_BYTES = 4096;

export function logTail(logs: string): string {
  const bytes = Buffer.from(logs, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}
