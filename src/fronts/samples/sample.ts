// What a sample event template is: a service and a type, the fields a user may set on the
// command line (`--bucket my-bucket`), each with a default, and a builder that derives the
// rest as AWS does (ARNs in the region and account, the SQS body's MD5, base64 and gzip
// where AWS encodes). Shared helpers for the builders live here too.

import { createHash, randomUUID } from 'node:crypto';

export interface SampleContext {
  region: string;
  accountId: string;
  now: Date;
}

export interface SampleTemplate {
  service: string;
  type: string;
  description: string;
  /** Field name (as the option without `--`) → default value. */
  fields: Record<string, string>;
  build(fields: Record<string, string>, ctx: SampleContext): unknown;
}

export const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
export const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
export const uuid = (): string => randomUUID();
export const hex = (bytes: number): string =>
  Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');
export const isoTime = (ctx: SampleContext): string => ctx.now.toISOString();
/** ISO time without milliseconds, as EventBridge and CloudFormation write it. */
export const isoSeconds = (ctx: SampleContext): string => ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
export const epochSeconds = (ctx: SampleContext): number => Math.floor(ctx.now.getTime() / 1000);

/** JSON when the text parses, else the text itself. */
export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
