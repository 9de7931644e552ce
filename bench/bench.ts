// `npm run bench`: cold and warm invocation latency of a trivial handler against a bare
// `node -e 0` start, and an idle environment's memory against a bare Node process, all
// measured side by side in one run. Reports medians (p50) and p99; never a pass/fail.
// The warm baseline is the least any Runtime API over HTTP costs: a bare server hands an
// event to a bare Node client waiting in `next`, which posts it back; what the engine adds
// on top of that round trip is its overhead. Then the debugger (launch to the Init stop,
// Invoke to the Invoke stop), the language server (diagnostics after a change to a
// 5,000-line handler, its memory) and the state panel (reading a large module's state,
// rendering 300 invocations of it in Chromium, selecting one). Last, a soak: 20,000 warm
// invocations in one environment, its Max Memory Used and the engine's heap growth
// (`npm run bench -- soak` runs it alone). Cold starts on the runtime's own Node (fetched into
// the per-user cache) next to the host's, same run (`npm run bench -- node` runs them alone).
// The Init profile's own cost against the same cold starts without it is in bench/initProfile.ts
// (`npm run bench -- init` alone). The fronts' request latency (Invoke API, HTTP API
// route, a bare HTTP server) is in bench/fronts.ts (`npm run bench -- fronts` alone). F5 in
// code-server to the Init stop, rounds of ours next to VS Code's own node debugger
// (`npm run bench -- f5` alone).

/// <reference lib="dom" />
import { spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import ts from 'typescript';
import { LspClient } from '../test/support/lspClient';
import { processesWithVariable } from '../scripts/lib/processes.mjs';
import { WebviewHarness } from '../test/support/webviewHarness';
import { statePanelHtml } from '../src/ui/webviewPages';
import type { EngineEvent } from '../src/protocol/engineEvents';
import { Engine } from '../src/engine/engine';
import { withDefaults, type FunctionConfig } from '../src/config/functionConfig';
import { frontsLatency, printFronts } from './fronts';
import { cpuShareBench } from './cpuShare';
import { initProfileBench, printInitProfile } from './initProfile';

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const f = (n: number) => n.toFixed(2);
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** A client that waits in GET /next and posts each event back as its response. */
const BARE_RUNTIME_CLIENT = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const [host, port] = process.argv[1].split(':');
const call = (method, path, body) => new Promise((resolve) => {
  const req = http.request({ host, port, agent, method, path }, (res) => {
    let data = '';
    res.on('data', (c) => (data += c));
    res.on('end', () => resolve(data));
  });
  req.end(body);
});
(async () => { for (;;) await call('POST', '/response', await call('GET', '/next')); })();
`;

/** Warm round trips through a bare Runtime-API-like HTTP loop, the baseline for overhead. */
async function bareRuntimeApiLoop(count: number): Promise<number[]> {
  let waitingNext: http.ServerResponse | null = null;
  let nextArrived: (() => void) | null = null;
  let responded: (() => void) | null = null;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      waitingNext = res;
      nextArrived?.();
      return;
    }
    req.resume();
    req.on('end', () => {
      res.end('{}');
      responded?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const child = spawn(process.execPath, [
    '-e',
    BARE_RUNTIME_CLIENT,
    `127.0.0.1:${(server.address() as AddressInfo).port}`,
  ]);
  const invoke = async (payload: string) => {
    if (!waitingNext) await new Promise<void>((resolve) => (nextArrived = resolve));
    const res = waitingNext!;
    waitingNext = null;
    await new Promise<void>((resolve) => {
      responded = resolve;
      res.end(payload);
    });
  };
  const times: number[] = [];
  for (let i = 0; i < 50 + count; i++) {
    const t = performance.now();
    await invoke('{"n": 1}');
    if (i >= 50) times.push(performance.now() - t);
  }
  child.kill();
  server.closeAllConnections();
  server.close();
  return times;
}

/** Through the standalone debug adapter (DAP): from launch to the Init phase stop (a cold
 * environment), and from an Invoke request to the Invoke phase stop on a warm one. */
async function debuggerStops(root: string, rounds: number): Promise<{ firstStop: number[]; warmStop: number[] }> {
  const firstStop: number[] = [];
  const warmStop: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dc = new DebugClient(process.execPath, path.join(__dirname, '..', 'dist', 'debugAdapter.js'), 'lambda');
    await dc.start();
    await dc.initializeRequest({ adapterID: 'lambda', pathFormat: 'path' });
    const t = performance.now();
    const stopped = dc.waitForEvent('stopped', 30_000);
    const launched = dc.launchRequest({ handler: 'index.handler', root, runtime: 'nodejs20.x', cpu: 'full' } as never);
    await dc.setExceptionBreakpointsRequest({ filters: ['init', 'invoke'] });
    await dc.configurationDoneRequest();
    await launched;
    const init = await stopped;
    firstStop.push(performance.now() - t);
    const threadId = init.body.threadId;
    const invokeStop = dc.waitForEvent('stopped', 30_000);
    await dc.continueRequest({ threadId });
    await dc.continueRequest({ threadId: (await invokeStop).body.threadId });
    await new Promise((r) => setTimeout(r, 100));
    for (let j = 0; j < 5; j++) {
      const warm = dc.waitForEvent('stopped', 30_000);
      const w = performance.now();
      await dc.customRequest('lambda/invoke', {});
      const stop = await warm;
      warmStop.push(performance.now() - w);
      await dc.continueRequest({ threadId: stop.body.threadId });
      await new Promise((r) => setTimeout(r, 50));
    }
    await dc.disconnectRequest({});
    await dc.stop();
  }
  return { firstStop, warmStop };
}

/** Warm invocations of a module holding a 100,000-entry Map and a 10 MB string, with and
 * without reading its state for the state panel after each one. */
async function moduleStateCost(): Promise<{ withState: number[]; without: number[] }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-bench-state-'));
  fs.writeFileSync(
    path.join(root, 'index.js'),
    "const big = new Map(); for (let i = 0; i < 100000; i++) big.set('k' + i, { i });\nconst text = 'x'.repeat(10 * 1024 * 1024);\nlet n = 0;\nexports.handler = async () => ({ n: ++n, size: big.size, length: text.length });\n",
  );
  const measure = async (captureModuleState: boolean) => {
    const engine = new Engine({ prestart: false, captureModuleState, cpu: 'full' });
    const pool = engine.pool(
      withDefaults({
        root,
        handler: 'index.handler',
        memorySizeMB: 512,
        name: captureModuleState ? 'state' : 'nostate',
      }),
    );
    for (let i = 0; i < 10; i++) await pool.invoke('{}');
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      await pool.invoke('{}');
      times.push(performance.now() - t);
    }
    await engine.close();
    return times;
  };
  const without = await measure(false);
  const withState = await measure(true);
  fs.rmSync(root, { recursive: true, force: true });
  return { withState, without };
}

/** The state panel in Chromium fed 300 invocations, each snapshot holding a 100,000-entry
 * Map and a 10 MB string (as the runtime pages them): time until it has rendered them all,
 * and then the time to select another invocation. */
async function panelResponsiveness(): Promise<{ renderMs: number; selectMs: number[] }> {
  const big = (n: number) => ({
    name: 'cache',
    type: 'map',
    preview: 'Map(100000)',
    size: 100000,
    more: 99900,
    children: Array.from({ length: 100 }, (_, i) => ({ name: `k${i}`, type: 'number', preview: String(i + n) })),
  });
  const events: EngineEvent[] = [
    {
      type: 'environmentCreated',
      environmentId: 'env-1',
      environmentNumber: 1,
      functionName: 'f',
      memorySizeMB: 128,
      timeoutSeconds: 3,
      ephemeralStorageMB: 512,
      initializationType: 'on-demand',
      logStreamName: 's',
    },
  ];
  for (let i = 1; i <= 300; i++) {
    const requestId = `r${i}`;
    events.push({ type: 'invocationStarted', environmentId: 'env-1', requestId, cold: i === 1, event: {} });
    events.push({
      type: 'invocationEnded',
      environmentId: 'env-1',
      result: {
        requestId,
        environmentId: 'env-1',
        cold: i === 1,
        status: 'success',
        result: null,
        responseBody: null,
        error: null,
        logs: '',
        pending: [],
        report: {
          requestId,
          durationMs: 1,
          billedDurationMs: 1,
          memorySizeMB: 128,
          maxMemoryUsedMB: 50,
          initDurationMs: null,
          status: 'success',
          errorType: null,
        },
      },
    } as unknown as EngineEvent);
    events.push({
      type: 'stateSnapshot',
      environmentId: 'env-1',
      requestId,
      pending: [],
      resumed: [],
      tmp: [],
      tmpUsedBytes: 0,
      moduleState: {
        module: [big(i), { name: 'text', type: 'string', preview: '"xxxx…"', size: 10485760 }],
        globals: [],
      },
    } as EngineEvent);
  }
  const harness = await WebviewHarness.start(statePanelHtml, 'statePanel.js', 'statePanel.css');
  try {
    const { page } = await harness.open('light');
    const renderMs = await page.evaluate(async (all: EngineEvent[]) => {
      const t = window.performance.now();
      window.postMessage(
        { type: 'session', fn: { functionName: 'f', memorySizeMB: 128, ephemeralStorageMB: 512, timeoutSeconds: 3 } },
        '*',
      );
      for (const event of all) window.postMessage({ type: 'engine', event }, '*');
      while (!document.body.innerText.includes('Invoke #300 (warm)')) await new Promise((r) => setTimeout(r, 5));
      return window.performance.now() - t;
    }, events);
    const selectMs: number[] = [];
    for (let i = 1; i <= 10; i++) {
      selectMs.push(
        await page.evaluate((n: number) => {
          const t = window.performance.now();
          const button = Array.from(document.querySelectorAll('.timeline button')).find((b) =>
            b.textContent?.startsWith(`Invoke #${n} `),
          ) as HTMLButtonElement;
          button.click();
          return window.performance.now() - t;
        }, i * 25),
      );
    }
    return { renderMs, selectMs };
  } finally {
    await harness.stop();
  }
}

/** A 5,000-line handler file: diagnostics after each change, and the server's memory. */
async function languageServer(): Promise<{ afterChange: number[]; parseOnly: number[]; rssMB: number }> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-bench-ls-'));
  const body = Array.from(
    { length: 4990 },
    (_, i) => `  const v${i} = await db.get('k${i}', process.env.TABLE_${i % 10});`,
  ).join('\n');
  const text = `const db = require('./db');\nexports.handler = async (event) => {\n${body}\n  return event;\n};\n`;
  const file = path.join(ws, 'big.js');
  fs.writeFileSync(file, text);
  const client = await LspClient.start(ws);
  await client.open(file, text);
  const afterChange: number[] = [];
  const parseOnly: number[] = [];
  for (let i = 0; i < 15; i++) {
    const changed = text.replace("'k0'", `'k0-${i}'`);
    const t = performance.now();
    await client.open(file, changed);
    afterChange.push(performance.now() - t);
    const p = performance.now();
    ts.createSourceFile(file, changed, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    parseOnly.push(performance.now() - p);
  }
  const rssMB = rssOf(client.process.pid!);
  await client.stop();
  fs.rmSync(ws, { recursive: true, force: true });
  return { afterChange, parseOnly, rssMB };
}

/** 20,000 warm invocations of a trivial handler in one environment, as a load would run
 * them: Max Memory Used first, after V8 has sized its heap, and at the end; the engine's
 * own heap growth over the same stretch (after a forced GC); any crash or warning. */
async function soak(count = 20_000, warmUp = 2_000) {
  v8.setFlagsFromString('--expose-gc');
  const gc = ((globalThis as { gc?: () => void }).gc ?? vm.runInNewContext('gc')) as () => void;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-bench-soak-'));
  fs.writeFileSync(path.join(root, 'index.js'), 'let n = 0;\nexports.handler = async () => ++n;\n');
  const engine = new Engine({ prestart: false, cpu: 'full' });
  const pool = engine.pool(withDefaults({ root, handler: 'index.handler', memorySizeMB: 128, name: 'soak' }));
  const t = performance.now();
  const first = await pool.invoke('{}');
  let environmentId = first.environmentId;
  let memoryAfterWarmUp = 0;
  let heapAfterWarmUp = 0;
  let crashes = first.status === 'success' ? 0 : 1;
  let warnings = 0;
  let last = first;
  for (let i = 1; i < count; i++) {
    last = await pool.invoke('{}');
    if (last.status !== 'success' || last.environmentId !== environmentId) crashes++;
    if (last.logs.includes('Warning')) warnings++;
    environmentId = last.environmentId;
    if (i === warmUp) {
      memoryAfterWarmUp = last.report.maxMemoryUsedMB;
      gc();
      heapAfterWarmUp = process.memoryUsage().heapUsed;
    }
  }
  gc();
  const engineHeapGrowthMB = (process.memoryUsage().heapUsed - heapAfterWarmUp) / 1024 / 1024;
  const seconds = (performance.now() - t) / 1000;
  await engine.close();
  fs.rmSync(root, { recursive: true, force: true });
  return {
    count,
    warmUp,
    firstMB: first.report.maxMemoryUsedMB,
    memoryAfterWarmUp,
    endMB: last.report.maxMemoryUsedMB,
    engineHeapGrowthMB,
    crashes,
    warnings,
    seconds,
    lastResult: last.result,
  };
}

function printSoak(s: Awaited<ReturnType<typeof soak>>) {
  const n = (x: number) => x.toLocaleString('en-US');
  const growth = s.endMB - s.memoryAfterWarmUp;
  console.log(
    `soak: ${n(s.count)} warm invocations, 128 MB   Max Memory Used ${s.firstMB} MB first, ${s.memoryAfterWarmUp} MB after ${n(s.warmUp)} (V8 sizing its heap), ${s.endMB} MB at the end: ${growth >= 0 ? '+' : ''}${growth} MB`,
  );
  console.log(
    `soak: engine heap growth ${f(s.engineHeapGrowthMB)} MB; crashes ${s.crashes}; runs with a warning in the log ${s.warnings}; last result ${JSON.stringify(s.lastResult)}; ${f(s.seconds)} s (goal: flat within 5 MB, no crash)`,
  );
}

/** Cold starts (no spare) on the runtime's own Node (nodejs22.x: Node 22, found or fetched
 * into the per-user cache) next to the host's Node, interleaved so that the machine's load
 * weighs on both alike: whole invocation and Init Duration. */
async function coldStartByNode(config: FunctionConfig) {
  const runtimeNode = new Engine({ prestart: false, cpu: 'full' });
  const hostNode = new Engine({ prestart: false, nodeExecutable: 'host', cpu: 'full' });
  const node = await runtimeNode.runtimeNode(config);
  const sides = [
    { engine: runtimeNode, wall: [] as number[], init: [] as number[] },
    { engine: hostNode, wall: [] as number[], init: [] as number[] },
  ];
  const pools = sides.map((side) => side.engine.pool(config));
  for (const pool of pools) await pool.invoke('{}'); // each side's first start (Node's own disk cache)
  for (let i = 0; i < 15; i++) {
    for (const [index, side] of sides.entries()) {
      const t = performance.now();
      const result = await pools[index].invoke('{}', { cold: true });
      side.wall.push(performance.now() - t);
      side.init.push(result.report.initDurationMs ?? 0);
    }
  }
  await Promise.all(sides.map((side) => side.engine.close()));
  const bare = (executable: string) => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      spawnSync(executable, ['-e', '0']);
      times.push(performance.now() - t);
    }
    return times;
  };
  return { node, runtime: sides[0], host: sides[1], bareRuntime: bare(node.path) };
}

function printByNode(byNode: Awaited<ReturnType<typeof coldStartByNode>>) {
  const { node, runtime, host, bareRuntime } = byNode;
  console.log(
    `cold invoke, no spare, ${node.version} (${node.source})  p50 ${f(pct(runtime.wall, 50))}  Init Duration p50 ${f(pct(runtime.init, 50))}  (bare ${node.version} start p50 ${f(pct(bareRuntime, 50))})`,
  );
  console.log(
    `cold invoke, no spare, host ${process.version}  p50 ${f(pct(host.wall, 50))}  Init Duration p50 ${f(pct(host.init, 50))}  (same run, interleaved)`,
  );
}

async function main() {
  // `npm run bench -- soak` (or `node --import tsx bench/bench.ts soak`): the soak alone.
  if (process.argv.includes('soak')) {
    printSoak(await soak());
    return;
  }
  // `npm run bench -- fronts`: the fronts' request latency alone.
  if (process.argv.includes('fronts')) {
    printFronts(await frontsLatency(), pct);
    return;
  }
  // `npm run bench -- init [name]`: the Init profile's own cost alone (bench/initProfile.ts),
  // of the cases whose name contains `name` (e.g. `orders`) when given.
  const initAt = process.argv.indexOf('init');
  if (initAt >= 0) {
    printInitProfile(await initProfileBench(undefined, process.argv[initAt + 1]));
    return;
  }
  // `npm run bench -- f5`: F5 in code-server against VS Code's own node debugger alone.
  if (process.argv.includes('f5')) {
    printF5(f5AgainstFloor());
    return;
  }
  // `npm run bench -- cpu`: the CPU share alone (bench/cpuShare.ts).
  if (process.argv.includes('cpu')) {
    for (const line of await cpuShareBench()) console.log(line);
    return;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-bench-'));
  fs.writeFileSync(path.join(root, 'index.js'), 'exports.handler = async (e) => e;');
  const config = withDefaults({ root, handler: 'index.handler' });
  // `npm run bench -- node`: the cold starts on the runtime's Node and the host's alone.
  if (process.argv.includes('node')) {
    printByNode(await coldStartByNode(config));
    fs.rmSync(root, { recursive: true, force: true });
    return;
  }

  const bare: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
  }

  const coldWith: number[] = [];
  const coldWithout: number[] = [];
  const warm: number[] = [];
  const engine = new Engine({ prestart: true, cpu: 'full' });
  const pool = engine.pool(config);
  await pool.invoke('{}');
  for (let i = 0; i < 15; i++) {
    await new Promise((r) => setTimeout(r, 150)); // let the spare finish booting, as between real requests
    const t = performance.now();
    await pool.invoke('{}', { cold: true });
    coldWith.push(performance.now() - t);
  }
  for (let i = 0; i < 50; i++) await pool.invoke('{}');
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    await pool.invoke('{"n": 1}');
    warm.push(performance.now() - t);
  }
  await engine.close();

  const plain = new Engine({ prestart: false, cpu: 'full' });
  const plainPool = plain.pool(config);
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await plainPool.invoke('{}', { cold: true });
    coldWithout.push(performance.now() - t);
  }
  // Idle memory: the environment after a few invocations vs a bare idle Node process.
  const idlePool = plain.pool({ ...config, name: 'idle' });
  await idlePool.invoke('{}');
  const [idleRuntime] = processesWithVariable('AWS_LAMBDA_FUNCTION_NAME', 'idle');
  const bareIdle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)']);
  await new Promise((r) => setTimeout(r, 500));
  const envRss = rssOf(Number(idleRuntime));
  const bareRss = rssOf(bareIdle.pid!);
  bareIdle.kill();
  await plain.close();
  const byNode = await coldStartByNode(config);
  const baseline = await bareRuntimeApiLoop(500);
  const stops = await debuggerStops(root, 5);
  const ls = await languageServer();
  const state = await moduleStateCost();
  const panel = await panelResponsiveness();
  const fronts = await frontsLatency();
  const soaked = await soak();
  fs.rmSync(root, { recursive: true, force: true });

  const bareP50 = pct(bare, 50);
  const overhead = pct(warm, 50) - pct(baseline, 50);
  console.log('Lambda Lifecycle Debugger benchmark (trivial handler; ms unless noted)\n');
  console.log(`bare node -e 0 start            p50 ${f(bareP50)}`);
  console.log(
    `cold invoke, spare pre-started  p50 ${f(pct(coldWith, 50))}  p99 ${f(pct(coldWith, 99))}  ratio to bare start ${f(pct(coldWith, 50) / bareP50)}x (goal <= 1.5x)`,
  );
  console.log(
    `cold invoke, no spare           p50 ${f(pct(coldWithout, 50))}  p99 ${f(pct(coldWithout, 99))}  ratio to bare start ${f(pct(coldWithout, 50) / bareP50)}x`,
  );
  printByNode(byNode);
  console.log(`warm invoke (whole round trip)  p50 ${f(pct(warm, 50))}  p99 ${f(pct(warm, 99))}`);
  console.log(`bare Runtime API loop (baseline) p50 ${f(pct(baseline, 50))}  p99 ${f(pct(baseline, 99))}`);
  console.log(`warm engine overhead            p50 ${f(overhead)} (warm p50 minus baseline p50; goal < 0.5)`);
  console.log(
    `debugger: launch to Init stop     p50 ${f(pct(stops.firstStop, 50))}  p99 ${f(pct(stops.firstStop, 99))}`,
  );
  console.log(
    `debugger: Invoke to Invoke stop (warm) p50 ${f(pct(stops.warmStop, 50))}  p99 ${f(pct(stops.warmStop, 99))}`,
  );
  console.log(
    `language server: diagnostics after a change to a 5,000-line handler p50 ${f(pct(ls.afterChange, 50))}  p99 ${f(pct(ls.afterChange, 99))} (goal < 100; TypeScript parse alone p50 ${f(pct(ls.parseOnly, 50))})`,
  );
  console.log(`language server RSS after that  ${f(ls.rssMB)} MB`);
  console.log(
    `state panel: warm invoke of a module with a 100,000-entry Map and a 10 MB string p50 ${f(pct(state.withState, 50))} with its state read vs ${f(pct(state.without, 50))} without`,
  );
  console.log(
    `state panel: 300 invocations of that state rendered in ${f(panel.renderMs)}; selecting an invocation p50 ${f(pct(panel.selectMs, 50))}  p99 ${f(pct(panel.selectMs, 99))}`,
  );
  console.log(
    `idle environment RSS            ${f(envRss)} MB vs bare idle node ${f(bareRss)} MB  ratio ${f(envRss / bareRss)}x (goal <= 1.2x)`,
  );
  printFronts(fronts, pct);
  printSoak(soaked);
  for (const line of await cpuShareBench()) console.log(line);
  printInitProfile(await initProfileBench());
  printF5(f5AgainstFloor());
  const steps = f5Steps();
  if (steps) {
    const shown = [
      'lambda adapter created',
      'lambda: launch response',
      'lambda: configurationDone request',
      'engine: environmentCreated',
      'engine: inspectorOpened',
      'js-parent session created',
      'js-parent: attach request',
      'js-child session created',
      'js-child: configurationDone request',
      'js-child: stopped event',
    ];
    console.log('debugger: where F5 (vscode.debug.startDebugging) to the Init stop goes, median ms since F5:');
    for (const step of steps.filter((s) => shown.includes(s.name)))
      console.log(`  ${f(step.ms).padStart(8)}  ${step.name}`);
  }
}

/** Where F5's time goes in a real VS Code: the extension-host suite's F5 profile
 * (test/vscode/f5Profile.test.ts), each step's median over its runs, as the extension host
 * sees it; null without code-server. */
function f5Steps(): Array<{ name: string; ms: number }> | null {
  const root = path.join(__dirname, '..');
  if (!fs.existsSync(path.join(root, '.vscode-test', 'code-server'))) return null;
  const file = path.join(os.tmpdir(), `lld-f5-profile-${process.pid}.json`);
  spawnSync(process.execPath, [path.join(root, 'scripts', 'vscode-tests.mjs'), '--grep', 'F5 profile'], {
    encoding: 'utf8',
    cwd: root,
    env: { ...process.env, LLD_F5_PROFILE: file },
  });
  if (!fs.existsSync(file)) return null;
  const { medians } = JSON.parse(fs.readFileSync(file, 'utf8')) as { medians: Array<{ name: string; ms: number }> };
  fs.rmSync(file, { force: true });
  return medians;
}

/** Rounds of F5 in code-server, ours and the floor's, interleaved. */
const F5_ROUNDS = 3;

interface F5Figures {
  ours: number[];
  floorFirst: number[];
  floorWarm: number[];
}

/** F5 in a real VS Code (code-server in Chromium), the function picked, to the Init stop on
 * the module's first line, as the end-to-end run measures it (scripts/e2e.mjs), each round
 * next to the floor under it: VS Code's own `node` debugger launching a file that stops at a
 * `debugger` statement, measured the same way (scripts/f5Floor.mjs): the first F5 of its
 * window, and warm ones. Null without code-server. */
function f5AgainstFloor(): F5Figures | null {
  const root = path.join(__dirname, '..');
  if (!fs.existsSync(path.join(root, '.vscode-test', 'code-server'))) return null;
  const run = (script: string) =>
    spawnSync(process.execPath, [path.join(root, 'scripts', script)], { encoding: 'utf8', cwd: root }).stdout ?? '';
  const figures: F5Figures = { ours: [], floorFirst: [], floorWarm: [] };
  for (let round = 0; round < F5_ROUNDS; round++) {
    const ours = /F5 \(function picked\) to the Init stop: (\d+) ms/.exec(run('e2e.mjs'));
    if (ours) figures.ours.push(Number(ours[1]));
    const floor = /F5 to the stop: first (\d+) ms, warm (\d+) ms/.exec(run('f5Floor.mjs'));
    if (floor) {
      figures.floorFirst.push(Number(floor[1]));
      figures.floorWarm.push(Number(floor[2]));
    }
  }
  return figures;
}

function printF5(figures: F5Figures | null): void {
  if (!figures || figures.ours.length === 0) {
    console.log(
      'debugger: F5 in code-server to the Init stop  (not measured: needs .vscode-test/code-server, see REAL-VSCODE)',
    );
    return;
  }
  const median = (values: number[]) => pct(values, 50);
  console.log(
    `debugger: F5 in code-server (function picked) to the Init stop, end to end in Chromium, median of ${figures.ours.length} ${f(median(figures.ours))} (${figures.ours.join(', ')}; goal < 1000)`,
  );
  if (figures.floorFirst.length > 0)
    console.log(
      `debugger: the floor, VS Code's own node F5 to a debugger statement in the same code-server, same rounds: first of the window ${f(median(figures.floorFirst))} (${figures.floorFirst.join(', ')}), warm ${f(median(figures.floorWarm))}; ours ${(median(figures.ours) / median(figures.floorFirst)).toFixed(2)}x the first`,
    );
}

void main().then(() => process.exit(0));
