// The fronts' part of `npm run bench`: warm request latency through the Lambda Invoke API
// and through an HTTP API route of a running front, against a bare Node HTTP server
// answering the same request in the same run (the least an HTTP round trip costs here).
// One keep-alive connection, sequential requests, after a warm-up. `npm run bench -- fronts`
// runs it alone.

import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { withDefaults } from '../src/config/functionConfig';
import { Engine } from '../src/engine/engine';
import { RunningFronts } from '../src/fronts/fronts';
import { apiRoute } from '../src/config/httpEvents';

export interface FrontsLatency {
  invokeApi: number[];
  httpApi: number[];
  bare: number[];
}

async function timeRequests(
  agent: http.Agent,
  url: string,
  method: string,
  body: string,
  count: number,
): Promise<number[]> {
  const target = new URL(url);
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname + target.search, method, agent },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  for (let i = 0; i < 50; i++) await once(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  return times;
}

export async function frontsLatency(count = 500): Promise<FrontsLatency> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-bench-fronts-'));
  fs.writeFileSync(
    path.join(root, 'index.js'),
    "exports.handler = async (e) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{\"ok\":true}' });",
  );
  const config = withDefaults({ root, handler: 'index.handler', name: 'Bench' });
  const engine = new Engine({ cpu: 'full' });
  const fronts = await RunningFronts.start({
    engine,
    functions: [{ id: 'Bench', config }],
    triggers: {
      routes: [apiRoute('Bench', { method: 'GET', path: '/bench/{id}' })],
      urls: [],
      warnings: [],
    },
    port: 0,
    lambdaPort: 0,
    notice: () => undefined,
  });
  const bareServer = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  bareServer.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => bareServer.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/bench/1`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const invokeApi = await timeRequests(
      agent,
      `${fronts.invokeApiUrl}/2015-03-31/functions/Bench/invocations`,
      'POST',
      '{}',
      count,
    );
    const httpApi = await timeRequests(agent, `${fronts.httpUrl}/bench/1?x=1`, 'GET', '', count);
    const bare = await timeRequests(agent, bareUrl, 'GET', '', count);
    return { invokeApi, httpApi, bare };
  } finally {
    agent.destroy();
    bareServer.close();
    await fronts.close();
    await engine.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function printFronts(l: FrontsLatency, pct: (values: number[], p: number) => number): void {
  const f = (n: number) => n.toFixed(2);
  const line = (label: string, v: number[]) => `${label.padEnd(32)} p50 ${f(pct(v, 50))}  p99 ${f(pct(v, 99))}`;
  console.log(line('warm request, Invoke API', l.invokeApi));
  console.log(line('warm request, HTTP API route', l.httpApi));
  console.log(line('bare Node HTTP server (baseline)', l.bare));
}
