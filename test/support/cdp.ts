// A minimal Chrome DevTools Protocol client over WebSocket (Node's global WebSocket,
// enabled for tests with --experimental-websocket): enough to attach to an environment's
// inspector the way VS Code's JavaScript debugger does, and to step.

import type { EngineEvent } from '../../src/protocol/engineEvents';

export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly listeners = new Map<string, Array<(params: never) => void>>();
  /** Each parsed script's URL by its id (Debugger.scriptParsed, once the debugger is enabled). */
  private readonly scripts = new Map<string, string>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data));
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result);
      } else {
        if (message.method === 'Debugger.scriptParsed') this.scripts.set(message.params.scriptId, message.params.url);
        for (const listener of this.listeners.get(message.method) ?? []) listener(message.params as never);
      }
    });
  }

  /** The URL of a script the debugger has parsed ('' if none such). */
  scriptUrl(scriptId: string): string {
    return this.scripts.get(scriptId) ?? '';
  }

  static connect(url: string): Promise<CdpClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(new CdpClient(socket)));
      socket.addEventListener('error', () => reject(new Error(`Cannot connect to ${url}`)));
    });
  }

  send<T = unknown>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }

  on<T>(method: string, listener: (params: T) => void): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), listener]);
  }

  /** The next event of this kind. */
  next<T = unknown>(method: string): Promise<T> {
    return new Promise((resolve) => {
      const once = (params: T) => {
        this.listeners.set(
          method,
          (this.listeners.get(method) ?? []).filter((l) => l !== once),
        );
        resolve(params);
      };
      this.on(method, once);
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** A Debugger.paused notification (the parts the tests read). */
export interface Paused {
  reason: string;
  hitBreakpoints?: string[];
  callFrames: Array<{ functionName: string; location: { scriptId: string; lineNumber: number } }>;
}

/** On each pause: in a file `skipped` names (Node's internals, our runtime), steps on into
 * the user's code, as js-debug's skipFiles and smartStep do; anywhere else, `handle` (given
 * the pause and its top frame's script URL) decides what the debugger does next. */
export function onUserPauses(
  cdp: CdpClient,
  skipped: (url: string) => boolean,
  handle: (paused: Paused, url: string) => Promise<void>,
): void {
  cdp.on('Debugger.paused', (paused: Paused) => {
    const url = cdp.scriptUrl(paused.callFrames[0].location.scriptId);
    void (skipped(url) ? cdp.send('Debugger.stepInto') : handle(paused, url));
  });
}

/** The engine's announcement of an environment's inspector. */
export type InspectorOpened = Extract<EngineEvent, { type: 'inspectorOpened' }>;

/** Attaches a debugger to each environment whose inspector the engine opens, as VS Code's
 * JavaScript debugger does: `prepare` (domains, pause handlers, breakpoints) runs before the
 * runtime is let go on (Runtime.runIfWaitingForDebugger). `close` ends every connection. */
export function attachDebuggers(
  engine: { on(listener: (event: EngineEvent) => void): unknown },
  prepare: (cdp: CdpClient, event: InspectorOpened) => Promise<void> | void = () => undefined,
): { close(): void } {
  const clients: CdpClient[] = [];
  engine.on((event) => {
    if (event.type !== 'inspectorOpened') return;
    void (async () => {
      const cdp = await CdpClient.connect(event.url);
      clients.push(cdp);
      await prepare(cdp, event);
      await cdp.send('Runtime.runIfWaitingForDebugger');
    })();
  });
  return { close: () => clients.forEach((cdp) => cdp.close()) };
}
