// CORS as API Gateway and function URLs apply a template's rules: a preflight (OPTIONS with
// Origin and Access-Control-Request-Method) is answered by the front itself, without calling
// the function; HTTP APIs and function URLs also add Access-Control-Allow-Origin (and
// Expose-Headers, Allow-Credentials) to the function's responses. A REST API's `Cors` only
// creates the OPTIONS method: the function's own responses carry whatever headers it sets.

import type { CorsRules } from '../config/httpEvents';

function allowedOrigin(rules: CorsRules, origin: string): string | null {
  if (rules.allowOrigins.includes('*')) return rules.allowCredentials ? origin : '*';
  return rules.allowOrigins.includes(origin) ? origin : null;
}

export function isPreflight(method: string, headers: Record<string, string | undefined>): boolean {
  return method === 'OPTIONS' && !!headers['origin'] && !!headers['access-control-request-method'];
}

/** The preflight answer's headers; null when the origin is not allowed. */
export function preflightHeaders(
  rules: CorsRules,
  origin: string,
  requestHeaders: string | undefined,
): Record<string, string> | null {
  const allowOrigin = allowedOrigin(rules, origin);
  if (!allowOrigin) return null;
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': allowOrigin,
    'Access-Control-Allow-Methods': rules.allowMethods.includes('*')
      ? 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'
      : rules.allowMethods.join(','),
  };
  const allowHeaders = rules.allowHeaders.includes('*') ? (requestHeaders ?? '') : rules.allowHeaders.join(',');
  if (allowHeaders) headers['Access-Control-Allow-Headers'] = allowHeaders;
  if (rules.allowCredentials) headers['Access-Control-Allow-Credentials'] = 'true';
  if (rules.maxAgeSeconds !== null) headers['Access-Control-Max-Age'] = String(rules.maxAgeSeconds);
  if (allowOrigin !== '*') headers['Vary'] = 'Origin';
  return headers;
}

/** Headers an HTTP API or function URL adds to a response for a request with Origin. */
export function responseCorsHeaders(rules: CorsRules, origin: string | undefined): Record<string, string> {
  if (!origin) return {};
  const allowOrigin = allowedOrigin(rules, origin);
  if (!allowOrigin) return {};
  const headers: Record<string, string> = { 'Access-Control-Allow-Origin': allowOrigin };
  if (rules.exposeHeaders.length > 0) headers['Access-Control-Expose-Headers'] = rules.exposeHeaders.join(',');
  if (rules.allowCredentials) headers['Access-Control-Allow-Credentials'] = 'true';
  if (allowOrigin !== '*') headers['Vary'] = 'Origin';
  return headers;
}
