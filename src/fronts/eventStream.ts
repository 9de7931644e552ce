// AWS's event-stream encoding (application/vnd.amazon.eventstream), the framing of
// InvokeWithResponseStream: each message is a prelude (total length, headers length, the
// prelude's CRC32), headers (name, type 7 = string, value), the payload, and the CRC32 of
// everything before it. All integers are big-endian.

import * as zlib from 'node:zlib';

const STRING_TYPE = 7;

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    const head = Buffer.alloc(1 + nameBytes.length + 1 + 2);
    head.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(head, 1);
    head.writeUInt8(STRING_TYPE, 1 + nameBytes.length);
    head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    parts.push(head, valueBytes);
  }
  return Buffer.concat(parts);
}

/** One event-stream message. */
export function encodeEventMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const headerBytes = encodeHeaders(headers);
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(zlib.crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  payload.copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(zlib.crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** A PayloadChunk event of InvokeWithResponseStream. */
export function payloadChunk(bytes: Buffer): Buffer {
  return encodeEventMessage(
    { ':event-type': 'PayloadChunk', ':content-type': 'application/octet-stream', ':message-type': 'event' },
    bytes,
  );
}

/** The InvokeComplete event that ends an InvokeWithResponseStream response. */
export function invokeComplete(details: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string }): Buffer {
  return encodeEventMessage(
    { ':event-type': 'InvokeComplete', ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(details)),
  );
}
