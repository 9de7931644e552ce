// The Node runtime's HTTP client of the Lambda Runtime API at $AWS_LAMBDA_RUNTIME_API:
// ask for the next event, post a response (whole or streamed) or an error.

import * as http from 'node:http';
import { Headers as H, RuntimePaths } from '../../protocol/runtimeApi';
import type { LambdaError } from '../../protocol/engineEvents';
import { asRuntimeRequest, asRuntimeWork } from './pendingWork';

export interface NextInvocation {
  body: string;
  headers: http.IncomingHttpHeaders;
}

export class RuntimeClient {
  /** Two connections: one waits in `next` while the other posts the outcome. */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  private outstandingNext: { sent: Promise<void>; next: Promise<NextInvocation> } | null = null;
  /** Cancels a scheduled prefetch once `next` has been asked for directly. */
  private prefetchToken = 0;
  private stopped = false;
  private readonly host: string;
  private readonly port: number;

  constructor(runtimeApi: string) {
    const [host, port] = runtimeApi.split(':');
    this.host = host;
    this.port = Number(port);
  }

  /** Asks for the next event. `sent` resolves once the request is on the wire: the process
   * then freezes while the engine holds the request, as Lambda's runtime waits in `next`,
   * and the answer is already there when the environment is thawed. */
  requestNext(): { sent: Promise<void>; next: Promise<NextInvocation> } {
    this.prefetchToken++;
    const outstanding = this.outstandingNext ?? this.sendNext();
    this.outstandingNext = null;
    return outstanding;
  }

  /** Asks for the next event as soon as an outcome is on the wire, while the Runtime API
   * acknowledges the outcome: the phase ends one round trip sooner. */
  /** The runtime is ending: a scheduled prefetch of `next` is not sent. */
  stop(): void {
    this.stopped = true;
  }

  private prefetchNext(): void {
    // One turn of the event loop later, as the AWS client schedules its next iteration: an
    // unhandled rejection the handler left behind ends the runtime before it asks for more.
    const token = ++this.prefetchToken;
    asRuntimeWork(() =>
      setImmediate(() => {
        if (token !== this.prefetchToken || this.stopped) return;
        this.outstandingNext ??= this.sendNext();
        // Nobody may ever await it (the process can end first): never an unhandled rejection.
        this.outstandingNext.next.catch(() => undefined);
      }),
    );
  }

  private sendNext(): { sent: Promise<void>; next: Promise<NextInvocation> } {
    let sent!: Promise<void>;
    const next = this.request('GET', RuntimePaths.next, {}, undefined, (req) => {
      sent = new Promise((resolve, reject) => {
        req.once('finish', resolve);
        req.once('error', reject);
      });
    }).then(({ body, headers }) => ({ body, headers }));
    return { sent, next };
  }

  async postResponse(requestId: string, body: string): Promise<void> {
    await this.post(RuntimePaths.response(requestId), { 'content-type': 'application/json' }, body);
  }

  /** `final`: the runtime ends right after (a fatal error), so it asks for no next event and
   * the Runtime API sees the process end with the invocation, as with the AWS client. */
  async postError(requestId: string | null, error: LambdaError, final = false): Promise<void> {
    const path = requestId === null ? RuntimePaths.initError : RuntimePaths.error(requestId);
    await (final ? this.postOnly.bind(this) : this.post.bind(this))(
      path,
      {
        'content-type': 'application/json',
        // A type no header can carry (a control character) goes in the body only.
        ...(/^[\t\x20-\x7e\x80-\xff]*$/.test(error.errorType) ? { [H.functionErrorType]: error.errorType } : {}),
      },
      JSON.stringify(error),
    );
  }

  private postOnly(path: string, headers: http.OutgoingHttpHeaders, body: string): Promise<unknown> {
    return this.request('POST', path, headers, body);
  }

  private post(path: string, headers: http.OutgoingHttpHeaders, body: string): Promise<unknown> {
    const acknowledged = this.request('POST', path, headers, body);
    this.prefetchNext();
    return acknowledged;
  }

  /** Opens a streamed response: the returned request is the body being written. */
  openResponseStream(
    requestId: string,
    highWaterMark: number | undefined,
  ): {
    request: http.ClientRequest;
    done: Promise<void>;
  } {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const request = asRuntimeRequest(() =>
      http.request({
        host: this.host,
        port: this.port,
        agent: this.agent,
        method: 'POST',
        path: RuntimePaths.response(requestId),
        ...(highWaterMark ? { highWaterMark } : {}),
        headers: {
          [H.responseMode]: 'streaming',
          'transfer-encoding': 'chunked',
          trailer: [H.functionErrorType, H.functionErrorBody].join(', '),
          'content-type': 'application/octet-stream',
        },
      }),
    );
    request.on('response', (res) => {
      res.resume();
      res.on('end', resolve);
    });
    request.on('error', reject);
    request.once('finish', () => this.prefetchNext());
    return { request, done };
  }

  private request(
    method: string,
    path: string,
    headers: http.OutgoingHttpHeaders,
    body: string | undefined,
    onRequest?: (req: http.ClientRequest) => void,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const req = asRuntimeRequest(() =>
        http.request({ host: this.host, port: this.port, agent: this.agent, method, path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        }),
      );
      req.on('error', reject);
      onRequest?.(req);
      asRuntimeWork(() => req.end(body));
    });
  }
}
