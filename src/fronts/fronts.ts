// Starts every front for a set of functions on loopback (or the host asked for): the Lambda
// Invoke API on one port, API Gateway routes and function URLs on another; says what is
// served where (the lines `serve` prints and the debug session's status bar shows); closes
// both servers and waits for background (Event) invocations. `serve` and debug sessions
// share it.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/engine';
import type { HttpTriggers } from '../config/httpEvents';
import { AsyncInvocations } from './asyncInvocations';
import { FUNCTION_URL_PREFIX, HttpFront } from './httpFront';
import { createInvokeApi } from './invokeApi';
import { ServedFunctions, type ServedFunction } from './servedFunctions';

export interface FrontsOptions {
  engine: Engine;
  functions: ServedFunction[];
  triggers: HttpTriggers;
  /** 0 picks a free port. */
  port: number;
  lambdaPort: number;
  host?: string;
  notice(line: string): void;
  integrationTimeoutMs?: number | null;
  asyncRetryDelaysMs?: readonly number[];
}

export interface ServedEndpoint {
  /** GET, ANY, … or URL for a function URL. */
  method: string;
  url: string;
  functionId: string;
}

export class RunningFronts {
  private constructor(
    readonly invokeApiUrl: string,
    readonly httpUrl: string,
    readonly endpoints: ServedEndpoint[],
    private readonly servers: http.Server[],
    private readonly background: AsyncInvocations,
  ) {}

  static async start(options: FrontsOptions): Promise<RunningFronts> {
    const host = options.host ?? '127.0.0.1';
    const served = new ServedFunctions(options.engine, options.functions);
    const background = new AsyncInvocations(served, { notice: options.notice }, options.asyncRetryDelaysMs);
    const front = new HttpFront(served, options.triggers, {
      notice: options.notice,
      integrationTimeoutMs: options.integrationTimeoutMs,
    });
    const invokeServer = http.createServer(createInvokeApi(served, background));
    const httpServer = http.createServer(front.handle);
    for (const server of [invokeServer, httpServer]) server.keepAliveTimeout = 60_000;
    const invokeApiUrl = await listen(invokeServer, options.lambdaPort, host);
    let httpUrl: string;
    try {
      httpUrl = await listen(httpServer, options.port, host);
    } catch (error) {
      invokeServer.close();
      throw error;
    }
    const endpoints: ServedEndpoint[] = [
      ...front.table.routes.map((r) => ({
        method: r.path === '$default' ? 'ANY' : r.method,
        url: r.path === '$default' ? `${httpUrl}/ ($default)` : `${httpUrl}${r.path}`,
        functionId: r.functionId,
      })),
      ...front.functionUrls.map((u) => ({
        method: 'URL',
        url: `${httpUrl}${FUNCTION_URL_PREFIX}${u.functionId}/`,
        functionId: u.functionId,
      })),
    ];
    return new RunningFronts(invokeApiUrl, httpUrl, endpoints, [invokeServer, httpServer], background);
  }

  /** The lines `serve` prints before "Ready.". */
  describe(): string[] {
    const width = Math.max(0, ...this.endpoints.map((e) => e.url.length));
    return [
      `Invoke API  ${this.invokeApiUrl}`,
      ...this.endpoints.map((e) => `${e.method.padEnd(7)} ${e.url.padEnd(width)} -> ${e.functionId}`),
    ];
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    await this.background.close();
  }
}

function listen(server: http.Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shown}:${address.port}`);
    });
  });
}
