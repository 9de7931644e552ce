// `npm run bench`: cold and warm invocation latency of a trivial handler against a bare
// `node -e 0` start, and an idle environment's memory against a bare Node process, all
// measured side by side in one run. Reports medians (p50) and p99; never a pass/fail.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Engine } from '../src/engine/engine';
import { withDefaults } from '../src/config/functionConfig';

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const f = (n: number) => n.toFixed(2);
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-bench-'));
  fs.writeFileSync(path.join(root, 'index.js'), 'exports.handler = async (e) => e;');
  const config = withDefaults({ root, handler: 'index.handler' });

  const bare: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - t);
  }

  const coldWith: number[] = [];
  const coldWithout: number[] = [];
  const warm: number[] = [];
  const engine = new Engine({ prestart: true });
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

  const plain = new Engine({ prestart: false });
  const plainPool = plain.pool(config);
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await plainPool.invoke('{}', { cold: true });
    coldWithout.push(performance.now() - t);
  }
  // Idle memory: the environment after a few invocations vs a bare idle Node process.
  const idlePool = plain.pool({ ...config, name: 'idle' });
  const { environmentId } = await idlePool.invoke('{}');
  void environmentId;
  const idleRuntime = fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .find((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/environ`, 'utf8').includes('AWS_LAMBDA_FUNCTION_NAME=idle');
      } catch {
        return false;
      }
    });
  const bareIdle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)']);
  await new Promise((r) => setTimeout(r, 500));
  const envRss = rssOf(Number(idleRuntime));
  const bareRss = rssOf(bareIdle.pid!);
  bareIdle.kill();
  await plain.close();
  fs.rmSync(root, { recursive: true, force: true });

  const bareP50 = pct(bare, 50);
  console.log('Lambda Lifecycle Debugger benchmark (trivial handler; ms unless noted)\n');
  console.log(`bare node -e 0 start            p50 ${f(bareP50)}`);
  console.log(`cold invoke, spare pre-started  p50 ${f(pct(coldWith, 50))}  p99 ${f(pct(coldWith, 99))}  ratio to bare start ${f(pct(coldWith, 50) / bareP50)}x (goal <= 1.5x)`);
  console.log(`cold invoke, no spare           p50 ${f(pct(coldWithout, 50))}  p99 ${f(pct(coldWithout, 99))}  ratio to bare start ${f(pct(coldWithout, 50) / bareP50)}x`);
  console.log(`warm invoke (whole round trip)  p50 ${f(pct(warm, 50))}  p99 ${f(pct(warm, 99))}  (goal: p50 under 0.5 ms of engine overhead)`);
  console.log(`idle environment RSS            ${f(envRss)} MB vs bare idle node ${f(bareRss)} MB  ratio ${f(envRss / bareRss)}x (goal <= 1.2x)`);
}

void main();
