// How API Gateway and function URLs turn a function's result into an HTTP response:
// payload 1.0 needs a proxy response (`statusCode`, `headers`, `multiValueHeaders`, `body`,
// `isBase64Encoded`); payload 2.0 also takes `cookies`, and a result without `statusCode` is
// a 200 JSON response of that value. A response that breaks the rules is a 502 with a
// reason for the log. A streamed function URL response starts with an HTTP prelude (JSON,
// then 8 zero bytes) when the function used awslambda.HttpResponseStream.from.

export interface HttpResponseOut {
  statusCode: number;
  /** Header name → values (several for multi-value headers and Set-Cookie). */
  headers: Record<string, string[]>;
  body: Buffer;
}

export type MappedResponse = { ok: true; response: HttpResponseOut } | { ok: false; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function addHeader(headers: Record<string, string[]>, name: string, value: unknown) {
  (headers[name] ??= []).push(String(value));
}

function mapProxyResponse(value: Record<string, unknown>, format: '1.0' | '2.0'): MappedResponse {
  const status = value.statusCode;
  const statusCode = typeof status === 'string' && /^\d+$/.test(status) ? Number(status) : status;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599)
    return { ok: false, reason: `statusCode ${JSON.stringify(status)} is not an HTTP status code` };
  if (value.body !== undefined && value.body !== null && typeof value.body !== 'string')
    return {
      ok: false,
      reason: `body must be a string (got ${Array.isArray(value.body) ? 'array' : typeof value.body})`,
    };
  if (value.headers !== undefined && value.headers !== null && !isObj(value.headers))
    return { ok: false, reason: 'headers must be an object of strings' };
  if (value.multiValueHeaders !== undefined && value.multiValueHeaders !== null && !isObj(value.multiValueHeaders))
    return { ok: false, reason: 'multiValueHeaders must be an object of string arrays' };
  if (value.cookies !== undefined && !Array.isArray(value.cookies))
    return { ok: false, reason: 'cookies must be an array of strings' };
  const known = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded', 'cookies']);
  const extra = Object.keys(value).filter((k) => !known.has(k));
  if (format === '1.0' && extra.length > 0)
    return {
      ok: false,
      reason: `unexpected field${extra.length > 1 ? 's' : ''} ${extra.join(', ')} in a proxy response`,
    };

  const headers: Record<string, string[]> = {};
  for (const [name, v] of Object.entries(isObj(value.headers) ? value.headers : {})) {
    if (isObj(v) || Array.isArray(v)) return { ok: false, reason: `header ${name} must be a string` };
    addHeader(headers, name, v);
  }
  for (const [name, values] of Object.entries(isObj(value.multiValueHeaders) ? value.multiValueHeaders : {})) {
    if (!Array.isArray(values)) return { ok: false, reason: `multiValueHeaders.${name} must be an array` };
    // API Gateway merges both maps; a name in both keeps the multi-value list.
    headers[name] = values.map(String);
  }
  for (const cookie of Array.isArray(value.cookies) ? value.cookies : []) addHeader(headers, 'Set-Cookie', cookie);
  const body = typeof value.body === 'string' ? value.body : '';
  return {
    ok: true,
    response: {
      statusCode,
      headers,
      body: value.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
    },
  };
}

/** Maps a successful invocation's result (parsed JSON, or raw text when it is not JSON). */
export function mapFunctionResult(result: unknown, format: '1.0' | '2.0'): MappedResponse {
  if (format === '1.0') {
    if (!isObj(result)) return { ok: false, reason: `the result is ${describe(result)}, not a proxy response object` };
    return mapProxyResponse(result, format);
  }
  if (isObj(result) && 'statusCode' in result) return mapProxyResponse(result, format);
  // Payload 2.0 infers a response: 200, JSON, the value itself (a string as it is).
  const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return {
    ok: true,
    response: { statusCode: 200, headers: { 'Content-Type': ['application/json'] }, body: Buffer.from(body) },
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** A streamed response: the HTTP prelude when present, then the body bytes. */
export function splitStreamedResponse(bytes: Buffer): { prelude: Record<string, unknown> | null; body: Buffer } {
  const delimiter = Buffer.alloc(8);
  const at = bytes.indexOf(delimiter);
  if (at > 0 && bytes[0] === 0x7b) {
    try {
      const prelude = JSON.parse(bytes.subarray(0, at).toString('utf8')) as unknown;
      if (isObj(prelude)) return { prelude, body: bytes.subarray(at + 8) };
    } catch {
      // Not a prelude: the whole stream is the body.
    }
  }
  return { prelude: null, body: bytes };
}
