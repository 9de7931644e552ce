// The keeper's end of the control channel: unlike the Node runtime it never blocks
// (it must stay responsive to stop and continue the bootstrap), so it reads fd 3 as a
// stream. End of stream means the engine is gone.

import * as net from 'node:net';
import { CONTROL_FD, EngineToRuntime, RuntimeToEngine, encodeMessage } from '../../protocol/sandbox';

const channel = new net.Socket({ fd: CONTROL_FD, readable: true, writable: true });
let buffer = '';
const queue: EngineToRuntime[] = [];
let waiter: ((m: EngineToRuntime) => void) | null = null;
let gone: () => void = () => process.exit(137);

channel.setEncoding('utf8');
channel.on('data', (text: string) => {
  buffer += text;
  let newline: number;
  while ((newline = buffer.indexOf('\n')) >= 0) {
    const message = JSON.parse(buffer.slice(0, newline)) as EngineToRuntime;
    buffer = buffer.slice(newline + 1);
    if (waiter) {
      const w = waiter;
      waiter = null;
      w(message);
    } else queue.push(message);
  }
});
channel.on('end', () => gone());
channel.on('error', () => gone());

export function onEngineGone(action: () => void): void {
  gone = action;
}

export function send(message: RuntimeToEngine): void {
  channel.write(encodeMessage(message));
}

export function waitForMessageAsync(): Promise<EngineToRuntime> {
  const queued = queue.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise((resolve) => (waiter = resolve));
}
