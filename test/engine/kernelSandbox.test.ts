// The kernel side of the sandbox on these machines (Linux, root, cgroups): the CPU share
// held by a cgroup quota and by the portable duty cycle (a loose check; the ratios are in
// `npm run bench -- cpu`), which sandbox each environment reports, and no cgroup left
// behind after a session or by an engine that crashed.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeRoot, fn, withEngine } from '../support/engine';
import { waitFor } from '../support/waitFor';
import { attachDebuggers, onUserPauses } from '../support/cdp';
import { detectCgroups, sweepCgroups } from '../../src/engine/sandbox/cgroups';
import { namespacesAvailable } from '../../src/engine/sandbox/namespaces';
import { Engine } from '../../src/engine/engine';
import { cacheDirectory } from '../../src/provision/cache';
import { cachedOutputPath } from '../../src/provision/typescriptCache';
import type { EngineEvent } from '../../src/protocol/engineEvents';

const cgroups = detectCgroups();
const ourGroups = () =>
  Object.values(cgroups?.dirs ?? {}).flatMap((base) =>
    fs.readdirSync(base).filter((name) => name.startsWith(`${process.pid}-`)),
  );

/** A loop that reports the CPU time it got: CPU ms per ms of Duration is the vCPUs it had. */
const LOOP = `exports.handler = async () => {
  const start = process.cpuUsage();
  let x = 0;
  for (let i = 0; i < 20_000_000; i++) x = (x + i * 7) % 1_000_003;
  const used = process.cpuUsage(start);
  return { x, cpuMs: (used.user + used.system) / 1000 };
};`;

/** Runs with the npm registry out of reach: the runtime's SDK comes from the cache alone. */
async function offline<T>(body: () => Promise<T>): Promise<T> {
  const saved = process.env.npm_config_registry;
  process.env.npm_config_registry = 'http://127.0.0.1:9/';
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.npm_config_registry;
    else process.env.npm_config_registry = saved;
  }
}

const created = (events: EngineEvent[]) =>
  events.find((e): e is Extract<EngineEvent, { type: 'environmentCreated' }> => e.type === 'environmentCreated')!;

describe('kernel sandbox: CPU share and cgroups', function () {
  this.timeout(120_000);
  const root = codeRoot({ 'index.js': LOOP });

  for (const sandbox of ['auto', 'portable'] as const) {
    it(`holds a 128 MB function to about 7 % of a vCPU (${sandbox})`, async () => {
      await withEngine({ cpu: 'share', sandbox }, async ({ engine, events }) => {
        const pool = engine.pool(fn(root, 'index.handler', { memorySizeMB: 128, timeoutSeconds: 60 }));
        const { report, result } = await pool.invoke('{}');
        const obtained = (result as { cpuMs: number }).cpuMs / report.durationMs;
        // Lambda: 128 / 1,769 = 0.072 vCPU; the machine may give less (it is shared), never much more.
        assert.ok(obtained < 0.12, `obtained ${obtained.toFixed(3)} vCPU`);
        const env = created(events);
        assert.equal(env.cpu?.vcpus.toFixed(3), (128 / 1769).toFixed(3));
        if (sandbox === 'portable' || !cgroups) {
          assert.equal(env.sandbox, 'portable');
          assert.equal(env.cpu?.enforcedBy, 'dutyCycle');
        } else {
          assert.equal(env.sandbox, namespacesAvailable() ? 'namespaces+cgroup' : 'cgroup');
          assert.equal(env.cpu?.enforcedBy, 'cgroup');
          assert.equal(ourGroups().length > 0, true);
        }
      });
      assert.deepEqual(ourGroups(), [], 'no cgroup left after the session');
    });
  }

  it('runs at full speed with cpu: full', async () => {
    await withEngine({ cpu: 'full' }, async ({ engine, events }) => {
      const pool = engine.pool(fn(root, 'index.handler', { memorySizeMB: 128, timeoutSeconds: 60 }));
      const { report, result } = await pool.invoke('{}');
      const obtained = (result as { cpuMs: number }).cpuMs / report.durationMs;
      assert.ok(obtained > 0.15, `obtained ${obtained.toFixed(3)} vCPU`);
      assert.equal(created(events).cpu?.enforcedBy, 'none');
    });
  });

  (cgroups?.dirs.cpu ? it : it.skip)(
    "lifts the CPU quota while a debugger holds the environment (attaching to it, paused in it), the function's own work held to its share",
    async () => {
      const small = codeRoot({ 'index.js': 'exports.handler = async () => 1;' });
      const cpuBase = cgroups!.dirs.cpu!;
      const quotaLifted = () => {
        const group = fs.readdirSync(cpuBase).find((name) => name.startsWith(`${process.pid}-`));
        const file = cgroups!.version === 'v1' ? 'cpu.cfs_quota_us' : 'cpu.max';
        return /^(-1|max)\b/.test(fs.readFileSync(path.join(cpuBase, group!, file), 'utf8'));
      };
      await withEngine(
        { cpu: 'share', sandbox: 'auto', inspect: true, prestart: false, beforePhase: async () => false },
        async ({ engine }) => {
          const lifted: Array<[string, boolean]> = [];
          engine.on((event) => {
            if (event.type !== 'inspectorOpened') return;
            lifted.push(['attaching', quotaLifted()]);
          });
          const debuggers = attachDebuggers(engine);
          const pool = engine.pool(fn(small, 'index.handler', { memorySizeMB: 128 }));
          const { environmentId, status } = await pool.invoke('{}');
          assert.equal(status, 'success');
          lifted.push(['running', quotaLifted()]);
          engine.debuggerPaused(environmentId, true);
          lifted.push(['paused', quotaLifted()]);
          engine.debuggerPaused(environmentId, false);
          lifted.push(['resumed', quotaLifted()]);
          debuggers.close();
          assert.deepEqual(lifted, [
            ['attaching', true],
            ['running', false],
            ['paused', true],
            ['resumed', false],
          ]);
        },
      );
    },
  );

  (cgroups ? it : it.skip)(
    "keeps apart the environments of two engines in one process (both number theirs from 1): closing one ends none of the other's",
    async () => {
      const small = codeRoot({ 'index.js': 'exports.handler = async () => process.pid;' });
      // (No spare: each engine's one environment is its env-1.)
      await withEngine({ sandbox: 'auto', prestart: false }, async ({ engine: first }) => {
        await withEngine({ sandbox: 'auto', prestart: false }, async ({ engine: second }) => {
          const one = await first.pool(fn(small, 'index.handler')).invoke('{}');
          const pool = second.pool(fn(small, 'index.handler'));
          const other = await pool.invoke('{}');
          assert.equal(one.environmentId, other.environmentId);
          await first.close();
          const again = await pool.invoke('{}');
          assert.equal(again.status, 'success', JSON.stringify(again.error));
          assert.equal(again.cold, false);
          assert.equal(again.result, other.result, 'the same runtime process');
        });
      });
    },
  );

  (cgroups ? it : it.skip)('sweeps the cgroups of an engine that is gone at the next engine start', async () => {
    const orphan = path.join(Object.values(cgroups!.dirs)[0], '999999999-orphan');
    fs.mkdirSync(orphan);
    sweepCgroups();
    assert.equal(fs.existsSync(orphan), false);
    // An engine's start sweeps too.
    fs.mkdirSync(orphan);
    const engine = new Engine({ tempBaseDir: path.dirname(root) });
    await engine.close();
    assert.equal(fs.existsSync(orphan), false);
  });
});

describe('kernel sandbox: memory and freeze through the cgroup', function () {
  this.timeout(120_000);
  const root = codeRoot({
    'child.js': `const { execFileSync } = require('node:child_process');
exports.handler = async () => execFileSync(process.execPath, ['-e', 'const b = Buffer.alloc(100 * 1024 * 1024, 1); console.log(b.length)']).toString().trim();`,
    'ticker.js': `const { spawn } = require('node:child_process');
exports.handler = async (e) => {
  if (e.start) spawn('sh', ['-c', 'while :; do echo x >> "$0"; sleep 0.02; done', e.file], { stdio: 'ignore' });
  if (e.start) return process.pid;
  // Thawed, the ticker runs again: wait for two more ticks.
  // (Through a child process: the host's /tmp path, not the environment's.)
  const size = () => Number(require('node:child_process').execFileSync('wc', ['-c', e.file]).toString().split(' ')[0]);
  const before = e.start ? 0 : size();
  while (!e.start && size() < before + 4) await new Promise((r) => setTimeout(r, 5));
  return 'ok';
};`,
    'grow.js': `exports.handler = async () => { const keep = []; for (;;) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setImmediate(r)); } };`,
  });
  const memory = cgroups?.dirs.memory ? it : it.skip;
  const freezer = cgroups?.dirs.freezer ? it : it.skip;

  memory('counts the memory of the processes the handler starts in Max Memory Used', async () => {
    await withEngine({ sandbox: 'auto' }, async ({ engine }) => {
      const result = await engine.pool(fn(root, 'child.handler', { memorySizeMB: 512 })).invoke('{}');
      assert.equal(result.status, 'success', JSON.stringify(result.error));
      assert.ok(result.report.maxMemoryUsedMB >= 100, `${result.report.maxMemoryUsedMB} MB`);
    });
  });

  memory('ends the environment as Lambda does when the kernel kills it past the limit', async () => {
    await withEngine({ sandbox: 'auto' }, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'grow.handler', { memorySizeMB: 128, timeoutSeconds: 20 }));
      const result = await pool.invoke('{}');
      assert.equal(result.status, 'crash');
      assert.equal(result.error?.errorType, 'Runtime.ExitError');
      assert.match(result.error!.errorMessage, /signal: killed/);
      assert.equal(result.report.maxMemoryUsedMB, 128);
      assert.equal((await pool.invoke('{}', { cold: false })).cold, true);
    });
  });

  freezer('freezes the processes the handler started between invocations', async () => {
    const reference = path.join(codeRoot({}), 'reference');
    const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').length / 2 : 0);
    await withEngine({ sandbox: 'auto' }, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'ticker.handler', { memorySizeMB: 1769 }));
      // The ticker writes in the environment's /tmp (the kernel's or the host's), which the
      // host sees through the runtime's /proc root.
      const started = await pool.invoke(JSON.stringify({ start: true, file: '/tmp/ticks' }));
      const ticks = `/proc/${started.result as number}/root/tmp/ticks`;
      const frozenAt = lines(ticks);
      // A ticker outside the sandbox says how much time passed.
      const { spawn } = await import('node:child_process');
      const outside = spawn('sh', ['-c', 'while :; do echo x >> "$0"; sleep 0.02; done', reference], {
        stdio: 'ignore',
      });
      try {
        await waitFor(() => lines(reference) >= 15, { timeoutMs: 20_000 });
      } finally {
        outside.kill('SIGKILL');
      }
      assert.ok(lines(ticks) <= frozenAt + 1, `${lines(ticks) - frozenAt} ticks while frozen`);
      const thawed = await pool.invoke(JSON.stringify({ start: false, file: '/tmp/ticks' }));
      assert.equal(thawed.result, 'ok', JSON.stringify([thawed.error, thawed.logs]));
    });
  });
});

const namespaces = namespacesAvailable() && cgroups ? describe : describe.skip;

namespaces("kernel sandbox: Lambda's filesystem in a mount namespace", function () {
  this.timeout(120_000);
  const root = codeRoot({
    'index.js': `const { execSync } = require('node:child_process');
const fs = require('node:fs');
exports.handler = async (e) => {
  if (e.fill) {
    try { fs.writeFileSync('/tmp/big', Buffer.alloc(e.fill * 1024 * 1024)); return 'written'; } catch (error) { return error.code; }
  }
  if (e.read) return fs.readFileSync('/tmp/keep', 'utf8');
  if (e.hang) await new Promise((r) => setTimeout(r, 60_000));
  let shell;
  try { shell = execSync("sh -c 'echo x > /tmp/f; cat /tmp/f; echo y > /var/task/g' 2>&1").toString(); } catch (error) { shell = String(error.stdout); }
  fs.writeFileSync('/tmp/keep', 'still here');
  return { shell, cwd: process.cwd(), taskRoot: process.env.LAMBDA_TASK_ROOT, stack: new Error('here').stack, optFile: fs.readFileSync('/opt/layer.txt', 'utf8') };
};`,
  });
  const layerOne = codeRoot({ 'layer.txt': 'one', 'only-one.txt': '1' });
  const layerTwo = codeRoot({ 'layer.txt': 'two' });

  it("gives the handler and every process it starts Lambda's filesystem, the host untouched", async () => {
    const hostTmp = fs.readdirSync('/tmp');
    await withEngine({ sandbox: 'auto' }, async ({ engine, events }) => {
      const pool = engine.pool(fn(root, 'index.handler', { layers: [layerOne, layerTwo] }));
      const { result, status } = await pool.invoke('{}');
      assert.equal(status, 'success');
      const r = result as { shell: string; cwd: string; taskRoot: string; stack: string; optFile: string };
      assert.match(r.shell, /^x\n.*\/var\/task\/g: Read-only file system/s);
      assert.equal(r.cwd, '/var/task');
      assert.equal(r.taskRoot, '/var/task');
      assert.match(r.stack, /at exports\.handler \(\/var\/task\/index\.js:\d+:\d+\)/);
      assert.equal(r.optFile, 'two', 'a later layer wins at /opt');
      assert.equal(created(events).sandbox, 'namespaces+cgroup');
      assert.deepEqual(
        pool
          .list()[0]
          .listTmp()
          .entries.map((entry: { path: string }) => entry.path)
          .sort(),
        ['/tmp/f', '/tmp/keep'].sort(),
      );
    });
    assert.equal(fs.existsSync(path.join(root, 'g')), false);
    assert.deepEqual(
      fs.readdirSync('/tmp').filter((name) => !hostTmp.includes(name) && (name === 'f' || name === 'keep')),
      [],
    );
  });

  it('runs a TypeScript handler, the runtime loading esbuild from the host outside /var/runtime', async () => {
    const ts = codeRoot({
      'app.ts': `export const handler = async (event: { name: string }): Promise<string> => \`hello \${event.name} from \${process.cwd()}\`;`,
    });
    await withEngine({ sandbox: 'auto' }, async ({ engine, events }) => {
      const result = await engine.pool(fn(ts, 'app.handler')).invoke('{"name": "ts"}');
      assert.equal(result.status, 'success', JSON.stringify(result.error));
      assert.equal(result.result, 'hello ts from /var/task');
      assert.equal(created(events).sandbox, 'namespaces+cgroup');
    });
  });

  it('answers ENOSPC past the ephemeral storage size, from the kernel', async () => {
    await withEngine({ sandbox: 'auto' }, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler', { ephemeralStorageMB: 512, memorySizeMB: 1024 }));
      assert.equal((await pool.invoke(JSON.stringify({ fill: 100 }))).result, 'written');
      assert.equal((await pool.invoke(JSON.stringify({ fill: 600 }))).result, 'ENOSPC');
    });
  });

  it('shows the per-user cache even when it is under /tmp: transpiled TypeScript and the AWS SDK, read-only', async () => {
    // A cache in the host's /tmp, which the environment's own /tmp hides: its Node binaries
    // and the runtime's AWS SDK as the real cache has them (scripts/setup.mjs filled it).
    const realCache = cacheDirectory();
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-ns-cache-'));
    fs.symlinkSync(path.join(realCache, 'node'), path.join(cache, 'node'));
    fs.cpSync(path.join(realCache, 'aws-sdk'), path.join(cache, 'aws-sdk'), { recursive: true });
    const saved = process.env.LLD_CACHE_DIR;
    process.env.LLD_CACHE_DIR = cache;
    const sdkRoot = codeRoot({
      'app.ts': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as fs from 'node:fs';
export const handler = async (): Promise<Record<string, unknown>> => {
  const client = new DynamoDBClient({ region: 'us-west-2' });
  let write: string;
  try { fs.writeFileSync('/var/lld-cache/typescript/mine', 'x'); write = 'written'; } catch (error) { write = (error as NodeJS.ErrnoException).code ?? 'failed'; }
  return { client: client.constructor.name, region: await client.config.region(), from: require.resolve('@aws-sdk/client-dynamodb'), transpiled: fs.readdirSync('/var/lld-cache/typescript').length, write };
};`,
      'esm.mjs': `import { S3Client } from '@aws-sdk/client-s3';
export const handler = async () => ({ client: new S3Client({ region: 'eu-west-1' }).constructor.name });`,
    });
    try {
      await offline(() =>
        withEngine({ sandbox: 'auto', prestart: false }, async ({ engine, events }) => {
          const cjs = await engine.pool(fn(sdkRoot, 'app.handler', { name: 'ts-sdk' })).invoke('{}');
          assert.equal(cjs.status, 'success', JSON.stringify([cjs.error, cjs.logs]));
          assert.equal(created(events).sandbox, 'namespaces+cgroup');
          assert.deepEqual(cjs.result, {
            client: 'DynamoDBClient',
            region: 'us-west-2',
            from: '/var/lld-cache/aws-sdk/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js',
            transpiled: fs.readdirSync(path.join(cache, 'typescript')).length,
            write: 'EROFS',
          });
          // Transpiled ahead under the path the runtime loads it from (read-only to it).
          const source = fs.readFileSync(path.join(sdkRoot, 'app.ts'), 'utf8');
          assert.ok(fs.existsSync(cachedOutputPath(cache, source, '/var/task/app.ts', 'cjs')));
          const esm = await engine.pool(fn(sdkRoot, 'esm.handler', { name: 'esm-sdk' })).invoke('{}');
          assert.equal(esm.status, 'success', JSON.stringify([esm.error, esm.logs]));
          assert.deepEqual(esm.result, { client: 'S3Client' });
        }),
      );
    } finally {
      if (saved === undefined) delete process.env.LLD_CACHE_DIR;
      else process.env.LLD_CACHE_DIR = saved;
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it("runs a custom runtime's bootstrap and an external extension in the environment: its filesystem, its cgroup, its memory", async () => {
    // The extension holds 96 MB, notes where it runs in /tmp, then registers; the bootstrap
    // answers with what it sees and what the extension noted.
    const layer = codeRoot(
      {
        'extensions/noter': `#!/usr/bin/env node
const http = require('http');
const fs = require('fs');
const held = Buffer.alloc(96 * 1024 * 1024, 1);
function call(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request('http://' + process.env.AWS_LAMBDA_RUNTIME_API + path, { method, headers }, (res) => {
      let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => resolve({ headers: res.headers, body: data }));
    });
    req.on('error', reject); req.end(body);
  });
}
(async () => {
  fs.writeFileSync('/tmp/extension.json', JSON.stringify({ file: __filename, cwd: process.cwd(), taskRoot: process.env.LAMBDA_TASK_ROOT, cgroup: fs.readFileSync('/proc/self/cgroup', 'utf8'), held: held.length }));
  const reg = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'noter' }, JSON.stringify({ events: ['SHUTDOWN'] }));
  await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': reg.headers['lambda-extension-identifier'] });
  process.exit(0);
})();
`,
      },
      ['extensions/noter'],
    );
    const custom = codeRoot(
      {
        bootstrap: `#!/usr/bin/env node
const http = require('http');
const fs = require('fs');
function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request('http://' + process.env.AWS_LAMBDA_RUNTIME_API + path, { method }, (res) => {
      let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => resolve({ headers: res.headers, body: data }));
    });
    req.on('error', reject); req.end(body);
  });
}
(async () => {
  for (;;) {
    const next = await call('GET', '/2018-06-01/runtime/invocation/next');
    let write;
    try { fs.writeFileSync('/var/task/g', 'y'); write = 'written'; } catch (error) { write = error.code; }
    const seen = { cwd: process.cwd(), taskRoot: process.env.LAMBDA_TASK_ROOT, write, cgroup: fs.readFileSync('/proc/self/cgroup', 'utf8'), extension: JSON.parse(fs.readFileSync('/tmp/extension.json', 'utf8')) };
    await call('POST', '/2018-06-01/runtime/invocation/' + next.headers['lambda-runtime-aws-request-id'] + '/response', JSON.stringify(seen));
  }
})();
`,
      },
      ['bootstrap'],
    );
    await withEngine({ sandbox: 'auto' }, async ({ engine, events }) => {
      const pool = engine.pool(
        fn(custom, 'function.handler', { runtime: 'provided.al2023', layers: [layer], memorySizeMB: 512 }),
      );
      const { status, result, error, logs, report } = await pool.invoke('{}');
      assert.equal(status, 'success', JSON.stringify([error, logs]));
      assert.equal(created(events).sandbox, 'namespaces+cgroup');
      type Seen = { cwd: string; taskRoot: string; write: string; cgroup: string; file: string; held: number };
      const seen = result as Seen & { extension: Seen };
      assert.deepEqual(
        { cwd: seen.cwd, taskRoot: seen.taskRoot, write: seen.write },
        { cwd: '/var/task', taskRoot: '/var/task', write: 'EROFS' },
      );
      assert.deepEqual(
        { file: seen.extension.file, cwd: seen.extension.cwd, taskRoot: seen.extension.taskRoot },
        { file: '/opt/extensions/noter', cwd: '/var/task', taskRoot: '/var/task' },
        'the extension runs in the same filesystem (its note is in the same /tmp)',
      );
      // Both in the environment's cgroup (every controller the engine uses; named after the
      // engine's folder too).
      const environmentId = created(events).environmentId;
      for (const cgroup of [seen.cgroup, seen.extension.cgroup]) {
        assert.match(cgroup, new RegExp(`lambda-lifecycle/${process.pid}-\\w+-${environmentId}\n`));
      }
      assert.equal(seen.cgroup, seen.extension.cgroup);
      // The extension's memory counts in Max Memory Used, as the limit it shares.
      assert.ok(report.maxMemoryUsedMB >= 96, `${report.maxMemoryUsedMB} MB`);
      assert.equal(fs.existsSync(path.join(custom, 'g')), false);
    });
    assert.deepEqual(ourGroups(), []);
  });

  it('is debugged at /var/task: the inspector names the scripts there, the mapping back comes with it, a breakpoint set through it binds', async () => {
    const app = codeRoot({
      'app.js': [
        "const client = { connected: true }; // line 1: the module's top level",
        'exports.handler = async () => {',
        '  return { client, cwd: process.cwd() };',
        '};',
      ].join('\n'),
    });
    await withEngine(
      { sandbox: 'auto', inspect: true, prestart: false, beforePhase: (gate) => gate.phase !== 'shutdown' },
      async ({ engine, events }) => {
        const stops: string[] = [];
        const mappings: unknown[] = [];
        const bound: string[] = [];
        const debuggers = attachDebuggers(engine, async (cdp, event) => {
          mappings.push(event.pathMapping);
          // Skipped as js-debug skips them: Node's internals, our runtime at /var/runtime.
          onUserPauses(
            cdp,
            (url) => url.startsWith('node:') || url.startsWith('file:///var/runtime/'),
            async (paused, url) => {
              const top = paused.callFrames[0];
              stops.push(`${top.functionName} ${url}:${top.location.lineNumber + 1}`);
              await cdp.send('Debugger.resume');
            },
          );
          cdp.on('Debugger.breakpointResolved', (resolved: { location: { scriptId: string; lineNumber: number } }) =>
            bound.push(`${cdp.scriptUrl(resolved.location.scriptId)}:${resolved.location.lineNumber + 1}`),
          );
          await cdp.send('Debugger.enable');
          await cdp.send('Debugger.setBlackboxPatterns', { patterns: ['^file:///var/runtime/', '^node:'] });
          // As js-debug sets it: the workspace file's path through localRoot → remoteRoot.
          const { localRoot, remoteRoot } = event.pathMapping!;
          const remote = path.join(app, 'app.js').replace(localRoot, remoteRoot);
          await cdp.send('Debugger.setBreakpointByUrl', { url: `file://${remote}`, lineNumber: 2 });
        });
        const result = await engine.pool(fn(app, 'app.handler')).invoke('{}');
        debuggers.close();
        assert.equal(result.status, 'success', JSON.stringify([result.error, stops]));
        assert.equal(created(events).sandbox, 'namespaces+cgroup');
        assert.deepEqual(mappings, [{ remoteRoot: '/var/task', localRoot: app }]);
        assert.deepEqual((result.result as { cwd: string }).cwd, '/var/task');
        assert.deepEqual(bound, ['file:///var/task/app.js:3']);
        // The module's first line (Init), the handler's (Invoke), where the breakpoint is too.
        assert.deepEqual(stops, [' file:///var/task/app.js:1', 'exports.handler file:///var/task/app.js:3']);
      },
    );
  });

  it('keeps /tmp across a reset, and leaves no mount, process or cgroup behind', async () => {
    await withEngine({ sandbox: 'auto' }, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'index.handler', { timeoutSeconds: 1 }));
      await pool.invoke('{}');
      const hung = await pool.invoke(JSON.stringify({ hang: true }));
      assert.equal(hung.status, 'timeout', JSON.stringify([hung.error, hung.logs]));
      assert.equal((await pool.invoke(JSON.stringify({ read: true }))).result, 'still here');
    });
    assert.deepEqual(ourGroups(), []);
    assert.equal(fs.readFileSync('/proc/self/mounts', 'utf8').includes('lld-'), false);
  });
});
