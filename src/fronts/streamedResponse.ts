// A function URL with InvokeMode RESPONSE_STREAM, as bytes arrive: a response that starts
// with an HTTP prelude (awslambda.HttpResponseStream.from: JSON, then 8 zero bytes) sets the
// status and headers, and the body follows chunk by chunk to the client; without a prelude
// the bytes are an application/octet-stream 200. Nothing is sent before the head is known.

import type { ServerResponse } from 'node:http';
import { mapFunctionResult } from './apiResponses';

const DELIMITER = Buffer.alloc(8);

export class StreamedResponseWriter {
  private pending = Buffer.alloc(0);
  private headWritten = false;
  /** Why the prelude was refused, when it was (the caller answers 502). */
  malformed: string | null = null;

  constructor(
    private readonly res: ServerResponse,
    private readonly extraHeaders: Record<string, string>,
  ) {}

  get started(): boolean {
    return this.headWritten;
  }

  write(chunk: Buffer): void {
    if (this.malformed) return;
    if (this.headWritten) {
      this.res.write(chunk);
      return;
    }
    this.pending = Buffer.concat([this.pending, chunk]);
    if (this.pending[0] !== 0x7b) return this.writeHead(200, { 'Content-Type': ['application/octet-stream'] });
    const at = this.pending.indexOf(DELIMITER);
    if (at === -1) return; // the prelude is not complete yet
    let prelude: unknown;
    try {
      prelude = JSON.parse(this.pending.subarray(0, at).toString('utf8'));
    } catch {
      // JSON that is not a prelude: the stream is the body.
      return this.writeHead(200, { 'Content-Type': ['application/octet-stream'] });
    }
    const mapped = mapFunctionResult({ ...(prelude as object), body: '' }, '2.0');
    if (!mapped.ok) {
      this.malformed = mapped.reason;
      return;
    }
    this.pending = this.pending.subarray(at + DELIMITER.length);
    this.writeHead(mapped.response.statusCode, mapped.response.headers);
  }

  /** The stream ended; false when nothing was sent (the caller answers from the whole result). */
  end(): boolean {
    if (!this.headWritten) return false;
    this.res.end();
    return true;
  }

  private writeHead(statusCode: number, headers: Record<string, string[]>): void {
    const flat: string[] = [];
    for (const [name, values] of Object.entries(headers)) for (const v of values) flat.push(name, v);
    for (const [name, value] of Object.entries(this.extraHeaders)) flat.push(name, value);
    this.res.writeHead(statusCode, flat);
    this.headWritten = true;
    if (this.pending.length > 0) this.res.write(this.pending);
    this.pending = Buffer.alloc(0);
  }
}
