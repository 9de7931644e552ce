// The Node runtime's HTTP client of the Lambda Runtime API at $AWS_LAMBDA_RUNTIME_API:
// ask for the next event, post a response (whole or streamed) or an error.

import * as http from 'node:http';
import { Headers as H, RuntimePaths } from '../../protocol/runtimeApi';
import type { LambdaError } from '../../protocol/engineEvents';

export interface NextInvocation {
  body: string;
  headers: http.IncomingHttpHeaders;
}

export class RuntimeClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly host: string;
  private readonly port: number;

  constructor(runtimeApi: string) {
    const [host, port] = runtimeApi.split(':');
    this.host = host;
    this.port = Number(port);
  }

  async nextInvocation(): Promise<NextInvocation> {
    const { body, headers } = await this.request('GET', RuntimePaths.next, {}, undefined);
    return { body, headers };
  }

  async postResponse(requestId: string, body: string): Promise<void> {
    await this.request('POST', RuntimePaths.response(requestId), { 'content-type': 'application/json' }, body);
  }

  async postError(requestId: string | null, error: LambdaError): Promise<void> {
    const path = requestId === null ? RuntimePaths.initError : RuntimePaths.error(requestId);
    await this.request(
      'POST',
      path,
      { 'content-type': 'application/json', [H.functionErrorType]: error.errorType },
      JSON.stringify(error),
    );
  }

  /** Opens a streamed response: the returned request is the body being written. */
  openResponseStream(requestId: string, highWaterMark: number | undefined): {
    request: http.ClientRequest;
    done: Promise<void>;
  } {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const request = http.request({
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
    });
    request.on('response', (res) => {
      res.resume();
      res.on('end', resolve);
    });
    request.on('error', reject);
    return { request, done };
  }

  private request(
    method: string,
    path: string,
    headers: http.OutgoingHttpHeaders,
    body: string | undefined,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.host, port: this.port, agent: this.agent, method, path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
