// A function URL with AuthType AWS_IAM: Lambda accepts only requests signed with Signature
// Version 4 for the `lambda` service. Locally there is no IAM to ask for the caller's secret
// key, so the signature itself cannot be verified: what is checked is everything a request
// needs to be a well-formed SigV4 request for this URL (the Authorization header or a
// presigned query, the credential scope's region and service, X-Amz-Date within Lambda's
// 15 minutes of skew). A request that fails is answered 403 as Lambda answers an unsigned
// one; one that passes carries `requestContext.authorizer.iam` with its access key.

import type { HttpRequestInfo } from './httpRequest';
import { headerValue, queryPairs } from './httpRequest';

export type IamCheck = { ok: true; accessKey: string } | { ok: false; reason: string };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MAX_SKEW_MS = 15 * 60_000;

export function checkSigV4(request: HttpRequestInfo, region: string, now = Date.now()): IamCheck {
  const query = new Map(queryPairs(request.rawQueryString));
  let accessKey: string,
    day: string,
    scopeRegion: string,
    service: string,
    signedHeaders: string,
    date: string | undefined;
  const header = headerValue(request, 'authorization');
  if (header !== undefined) {
    const m = AUTHORIZATION.exec(header.trim());
    if (!m) return { ok: false, reason: 'the Authorization header is not an AWS4-HMAC-SHA256 signature' };
    [, accessKey, day, scopeRegion, service, signedHeaders] = m;
    date = headerValue(request, 'x-amz-date');
  } else if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    const credential = /^([^/]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/.exec(
      query.get('X-Amz-Credential') ?? '',
    );
    if (!credential || !/^[0-9a-f]{64}$/.test(query.get('X-Amz-Signature') ?? ''))
      return { ok: false, reason: 'the presigned query has no valid X-Amz-Credential or X-Amz-Signature' };
    [, accessKey, day, scopeRegion, service] = credential;
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    date = query.get('X-Amz-Date');
  } else {
    return { ok: false, reason: 'the request is not signed (no Authorization header)' };
  }
  if (service !== 'lambda') return { ok: false, reason: `the credential is scoped to ${service}, not lambda` };
  if (scopeRegion !== region) return { ok: false, reason: `the credential is scoped to ${scopeRegion}, not ${region}` };
  if (!signedHeaders.split(';').includes('host'))
    return { ok: false, reason: 'the signed headers do not include host' };
  const d = AMZ_DATE.exec(date ?? '');
  if (!d) return { ok: false, reason: 'X-Amz-Date is missing or malformed' };
  if (`${d[1]}${d[2]}${d[3]}` !== day) return { ok: false, reason: "X-Amz-Date is not the credential scope's day" };
  const signedAt = Date.UTC(+d[1], +d[2] - 1, +d[3], +d[4], +d[5], +d[6]);
  if (Math.abs(now - signedAt) > MAX_SKEW_MS)
    return { ok: false, reason: 'the signature is expired (X-Amz-Date is more than 15 minutes off)' };
  return { ok: true, accessKey };
}
