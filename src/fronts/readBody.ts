// Reads an HTTP request's body, up to a limit: past it the rest is drained and the caller
// learns the body was too large (the client still gets an answer, not a reset).

import type { IncomingMessage } from 'node:http';

export type BodyRead = { ok: true; body: Buffer } | { ok: false; size: number };

export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= limitBytes ? { ok: true, body: Buffer.concat(chunks) } : { ok: false, size }));
    req.on('error', reject);
  });
}
