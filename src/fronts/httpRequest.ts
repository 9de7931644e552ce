// One HTTP request as the fronts see it, taken once from Node's IncomingMessage: method, raw
// path and query, headers in arrival order with their original case, body, client address
// and the time it arrived. The API Gateway and function URL event builders read only this.

import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface HttpRequestInfo {
  method: string;
  /** The path as sent, still percent-encoded. */
  rawPath: string;
  /** The query string without `?`, as sent. */
  rawQueryString: string;
  /** [name as sent, value] pairs in arrival order. */
  headers: [string, string][];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  time: Date;
  requestId: string;
}

export function requestInfo(req: IncomingMessage, body: Buffer): HttpRequestInfo {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    rawPath: q === -1 ? url : url.slice(0, q),
    rawQueryString: q === -1 ? '' : url.slice(q + 1),
    headers,
    body,
    sourceIp: address.startsWith('::ffff:') ? address.slice(7) : address,
    protocol: `HTTP/${req.httpVersion}`,
    time: new Date(),
    requestId: randomUUID(),
  };
}

export function headerValue(request: HttpRequestInfo, name: string): string | undefined {
  const lower = name.toLowerCase();
  return request.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Query parameters in order, decoded as API Gateway decodes them (`+` is a space). */
export function queryPairs(rawQueryString: string): [string, string][] {
  if (rawQueryString === '') return [];
  return rawQueryString
    .split('&')
    .filter((p) => p !== '')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const [k, v] = eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
      return [decodeQuery(k), decodeQuery(v)];
    });
}

function decodeQuery(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestTime`: `25/Nov/2026:17:49:35 +0000`. */
export function requestTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

/** Bodies a text-only front passes as text; anything else is base64 with isBase64Encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    /[/+](json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|yaml|csv)$/.test(type) ||
    type === 'application/x-www-form-urlencoded'
  );
}
