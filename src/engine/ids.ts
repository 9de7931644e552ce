// Identifiers in Lambda's formats: request ids, environment ids, per-environment log stream names,
// X-Ray trace ids, function ARNs.

import { randomBytes, randomUUID } from 'node:crypto';

export const newRequestId = (): string => randomUUID();

/** `env-<n>`: an execution environment's id, from its number in the engine. */
export const environmentIdOf = (number: number): string => `env-${number}`;

/** `YYYY/MM/DD/[$LATEST]<32 hex>`, one per execution environment. */
export function newLogStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/** `Root=1-<8 hex epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0;Lineage=…` */
export function newTraceId(now = Date.now()): string {
  const epoch = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/** A function's ARN; with a qualifier (a version or an alias), the qualified ARN. */
export function functionArn(region: string, accountId: string, functionName: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${functionName}${qualifier ? `:${qualifier}` : ''}`;
}
