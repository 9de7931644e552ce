// Init in its three parts and the Init profile, against an external extension that takes a
// known time to register and handlers whose modules busy-wait known times at their top level
// (CommonJS, ES modules, a top-level await, TypeScript): each part and each profile entry is
// within a tolerance of what was spent, and nothing of ours (transpiling TypeScript, esbuild,
// the loader hooks) is counted. Each Node major runs it, as each has its own module loader.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDirectory } from '../../src/provision/cache';
import { codeRoot, fn, withEngine } from '../support/engine';
import type { RuntimeId } from '../../src/config/functionConfig';
import type { EngineEvent, InitPhases, InitProfileEntry } from '../../src/protocol/engineEvents';

/** Busy-waits `ms` (CPU, not a timer: the time is the module's own). */
const spin = (ms: number) => `{ const until = performance.now() + ${ms}; while (performance.now() < until); }`;

/** An external extension that waits `ms` before it registers, then waits for events. */
const slowExtension = (ms: number) => `#!/usr/bin/env node
const http = require('http');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const call = (method, path, headers, body) => new Promise((resolve, reject) => {
  const req = http.request('http://' + api + path, { method, headers }, (res) => {
    let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => resolve({ headers: res.headers, body: data }));
  });
  req.on('error', reject); req.end(body);
});
setTimeout(async () => {
  const reg = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'slow' }, JSON.stringify({ events: ['SHUTDOWN'] }));
  const id = reg.headers['lambda-extension-identifier'];
  for (;;) {
    const event = JSON.parse((await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': id })).body);
    if (event.eventType === 'SHUTDOWN') process.exit(0);
  }
}, ${ms});
`;

/** A little below what was spent, and above by at most `tolerance` ms and a third more (the
 * machine is shared: a busy-wait spins on the wall clock, but the code around it waits its turn). */
function near(actual: number | null | undefined, expected: number, what: string, tolerance = 150): void {
  assert.ok(typeof actual === 'number', `${what}: no figure`);
  const most = expected + tolerance + expected / 3;
  assert.ok(actual >= expected - 15 && actual <= most, `${what}: ${actual} ms, spent ${expected} ms`);
}

function entry(profile: InitProfileEntry[], specifier: string): InitProfileEntry {
  const found = profile.find((e) => e.specifier === specifier);
  assert.ok(found, `no entry ${specifier} in ${JSON.stringify(profile.map((e) => e.specifier))}`);
  return found;
}

const initEnd = (events: EngineEvent[]) =>
  events.find((e): e is Extract<EngineEvent, { type: 'phaseEnded' }> => e.type === 'phaseEnded' && e.phase === 'init');

const cjsHandler = {
  'app.js': [
    "const a = require('./lib/a');",
    "const b = require('./lib/b.js');",
    "const dep = require('dep');",
    spin(60),
    'exports.handler = async () => a + b + dep;',
  ].join('\n'),
  'lib/a.js': [spin(100), "require('./nested');", "module.exports = 'a';"].join('\n'),
  'lib/nested.js': [spin(80), "module.exports = 'n';"].join('\n'),
  'lib/b.js': [spin(50), "module.exports = 'b';"].join('\n'),
  'node_modules/dep/package.json': JSON.stringify({ name: 'dep', main: 'main.js' }),
  'node_modules/dep/main.js': [spin(40), "module.exports = 'd';"].join('\n'),
};

const esmHandler = {
  'app.mjs': [
    "import { a } from './lib/a.mjs';",
    "import { b } from './lib/b.mjs';",
    spin(60),
    'await new Promise((resolve) => setTimeout(resolve, 120));',
    'export const handler = async () => a + b;',
  ].join('\n'),
  'lib/a.mjs': ["import './nested.mjs';", spin(100), "export const a = 'a';"].join('\n'),
  'lib/nested.mjs': [spin(80), 'export const n = 1;'].join('\n'),
  'lib/b.mjs': [spin(50), "export const b = 'b';"].join('\n'),
};

const tsHandler = {
  'app.ts': ["import { a } from './lib/a';", spin(60), 'export const handler = async (): Promise<string> => a;'].join(
    '\n',
  ),
  'lib/a.ts': ["const label: string = 'a';", spin(100), 'export const a = label;'].join('\n'),
};

describe('Init in three parts, and the Init profile', function () {
  this.timeout(90_000);

  it('splits Init into Extension init (the extension’s registration), Runtime init and Function init (the module’s top level), summing to the Init Duration', async () => {
    const layer = codeRoot({ 'extensions/slow': slowExtension(300) }, ['extensions/slow']);
    const root = codeRoot(cjsHandler);
    await withEngine({ prestart: false }, async ({ engine, events }) => {
      const pool = engine.pool(fn(root, 'app.handler', { runtime: 'nodejs22.x', layers: [layer] }));
      const cold = await pool.invoke('{}');
      assert.equal(cold.status, 'success', JSON.stringify(cold.error));
      const phases = cold.initPhases as InitPhases;
      near(phases.extensionMs, 300, 'Extension init', 250);
      near(phases.functionMs, 330, 'Function init');
      assert.ok(phases.runtimeMs > 0 && phases.runtimeMs < 1000, `Runtime init ${phases.runtimeMs} ms`);
      const sum = phases.extensionMs + phases.runtimeMs + (phases.functionMs ?? 0);
      assert.ok(Math.abs(sum - cold.report.initDurationMs!) < 1, `${sum} vs ${cold.report.initDurationMs}`);
      assert.deepEqual(initEnd(events)?.initPhases, phases);
      const warm = await pool.invoke('{}');
      assert.equal(warm.initPhases, null);
    });
  });

  it('measures provisioned environments’ Init too (their first invocation is warm, as on Lambda)', async () => {
    const root = codeRoot(cjsHandler);
    await withEngine({ provisionedConcurrency: 1 }, async ({ engine, events }) => {
      const pool = engine.pool(fn(root, 'app.handler', { runtime: 'nodejs22.x' }));
      await pool.whenProvisioned();
      const phases = initEnd(events)?.initPhases;
      near(phases?.functionMs, 330, 'Function init');
      assert.equal(phases?.extensionMs, 0);
      const first = await pool.invoke('{}');
      assert.equal(first.cold, false);
      assert.equal(first.initPhases, null);
    });
  });

  for (const runtime of ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as RuntimeId[]) {
    it(`profiles CommonJS requires on ${runtime}: each module’s own time and its time with what it loaded, in load order`, async () => {
      const root = codeRoot(cjsHandler);
      await withEngine({ prestart: false, initProfile: true }, async ({ engine }) => {
        const cold = await engine.pool(fn(root, 'app.handler', { runtime })).invoke('{}');
        assert.equal(cold.status, 'success', JSON.stringify(cold.error));
        const profile = cold.initProfile!;
        assert.deepEqual(
          profile.map((e) => `${e.depth}:${e.specifier}`),
          ['0:./app.js', '1:./lib/a', '2:./nested', '1:./lib/b.js', '1:dep'],
        );
        const app = entry(profile, './app.js');
        assert.equal(app.resolved, '/var/task/app.js');
        assert.equal(entry(profile, 'dep').resolved, '/var/task/node_modules/dep/main.js');
        near(app.selfMs, 60, 'app.js own');
        near(app.totalMs, 330, 'app.js total');
        near(entry(profile, './lib/a').selfMs, 100, 'a own');
        near(entry(profile, './lib/a').totalMs, 180, 'a total');
        near(entry(profile, './nested').selfMs, 80, 'nested');
        near(entry(profile, 'dep').totalMs, 40, 'dep');
        near(cold.initPhases!.functionMs, 330, 'Function init');
        assert.ok(app.totalMs <= cold.initPhases!.functionMs! + 1);
      });
    });

    it(`profiles ES module imports and a top-level await on ${runtime}`, async () => {
      const root = codeRoot(esmHandler);
      await withEngine({ prestart: false, initProfile: true }, async ({ engine }) => {
        const cold = await engine.pool(fn(root, 'app.handler', { runtime })).invoke('{}');
        assert.equal(cold.status, 'success', JSON.stringify(cold.error));
        const profile = cold.initProfile!;
        assert.deepEqual(
          profile.map((e) => `${e.depth}:${e.specifier}`),
          ['0:./app.mjs', '1:./lib/a.mjs', '2:./nested.mjs', '1:./lib/b.mjs', '1:await (top level)'],
        );
        const app = entry(profile, './app.mjs');
        assert.equal(app.resolved, '/var/task/app.mjs');
        near(app.selfMs, 60, 'app.mjs own');
        near(entry(profile, 'await (top level)').selfMs, 120, 'top-level await');
        near(entry(profile, './lib/a.mjs').totalMs, 180, 'a total');
        near(entry(profile, './nested.mjs').selfMs, 80, 'nested');
        near(app.totalMs, 410, 'app.mjs total');
        // The loader hooks (and on Node 20 their thread) are ours: not in Function init.
        near(cold.initPhases!.functionMs, 410, 'Function init');
      });
    });
  }

  for (const runtime of ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as RuntimeId[]) {
    it(`lists a CommonJS package imported from an ES module under that module on ${runtime}`, async () => {
      const root = codeRoot({
        'app.mjs': ["import { b } from './lib/b.mjs';", spin(30), 'export const handler = async () => b;'].join('\n'),
        'lib/b.mjs': ["import dep from 'cjsdep';", spin(20), 'export const b = dep;'].join('\n'),
        'node_modules/cjsdep/package.json': JSON.stringify({ name: 'cjsdep', main: 'index.js' }),
        'node_modules/cjsdep/index.js': ["const inner = require('./inner');", spin(70), 'module.exports = inner;'].join(
          '\n',
        ),
        'node_modules/cjsdep/inner.js': [spin(50), 'module.exports = 1;'].join('\n'),
      });
      await withEngine({ prestart: false, initProfile: true }, async ({ engine }) => {
        const cold = await engine.pool(fn(root, 'app.handler', { runtime })).invoke('{}');
        assert.equal(cold.status, 'success', JSON.stringify(cold.error));
        const profile = cold.initProfile!;
        assert.deepEqual(
          profile.map((e) => `${e.depth}:${e.specifier}`),
          ['0:./app.mjs', '1:./lib/b.mjs', '2:cjsdep', '3:./inner'],
        );
        near(entry(profile, 'cjsdep').totalMs, 120, 'cjsdep total');
        near(entry(profile, './lib/b.mjs').totalMs, 140, 'b.mjs total');
        near(entry(profile, './app.mjs').totalMs, 170, 'app.mjs total');
      });
    });
  }

  it('profiles TypeScript by its own files, and counts no transpiling nor esbuild', async () => {
    const root = codeRoot(tsHandler);
    await withEngine({ prestart: false, initProfile: true }, async ({ engine, events }) => {
      const cold = await engine.pool(fn(root, 'app.handler', { runtime: 'nodejs22.x' })).invoke('{}');
      assert.equal(cold.status, 'success', JSON.stringify(cold.error));
      const profile = cold.initProfile!;
      assert.deepEqual(
        profile.map((e) => `${e.depth}:${e.specifier}`),
        ['0:./app.ts', '1:./lib/a'],
      );
      assert.equal(entry(profile, './lib/a').resolved, '/var/task/lib/a.ts');
      near(entry(profile, './lib/a').selfMs, 100, 'a.ts own');
      near(entry(profile, './app.ts').totalMs, 160, 'app.ts total');
      near(cold.initPhases!.functionMs, 160, 'Function init');
      assert.ok(!profile.some((e) => /esbuild/.test(e.resolved ?? '')), 'esbuild is ours');
      const ownWork = initEnd(events)?.ownWork;
      assert.ok(ownWork && ownWork.typescriptMs >= 0);
    });
  });

  it('gives a custom runtime its start as Runtime init, its function being the same process (functionMs null)', async () => {
    const root = codeRoot(
      {
        bootstrap: `#!/usr/bin/env node
${spin(200).replace(/\n/g, ' ')}
const http = require('http');
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const call = (method, path, body) => new Promise((resolve, reject) => {
  const req = http.request('http://' + api + path, { method }, (res) => {
    let data = ''; res.on('data', (c) => (data += c)); res.on('end', () => resolve({ headers: res.headers, body: data }));
  });
  req.on('error', reject); req.end(body);
});
(async () => {
  for (;;) {
    const next = await call('GET', '/2018-06-01/runtime/invocation/next');
    await call('POST', '/2018-06-01/runtime/invocation/' + next.headers['lambda-runtime-aws-request-id'] + '/response', '1');
  }
})();
`,
      },
      ['bootstrap'],
    );
    await withEngine({ prestart: false, initProfile: true }, async ({ engine }) => {
      const cold = await engine.pool(fn(root, 'function.handler', { runtime: 'provided.al2023' })).invoke('{}');
      assert.equal(cold.status, 'success', JSON.stringify(cold.error));
      assert.equal(cold.initPhases?.functionMs, null);
      assert.equal(cold.initPhases?.extensionMs, 0);
      near(cold.initPhases?.runtimeMs, 200, 'Runtime init', 400);
      assert.equal(cold.initProfile, null, 'no profile of a custom runtime');
    });
  });
});

describe('what this machine fetched before an Init (ours, said apart)', function () {
  this.timeout(300_000);

  it("the runtime's AWS SDK installed from the npm registry before the first Init: in none of Init's parts, said at that Init only", async () => {
    // A fresh per-user cache (its Node linked from the real one): the runtime's copy of the
    // SDK lacks @smithy/types, so the first cold start installs it with npm.
    const cache = freshCache();
    const root = codeRoot({
      'app.js': "const types = require('@smithy/types');\nexports.handler = async () => typeof types;",
    });
    const saved = process.env.LLD_CACHE_DIR;
    process.env.LLD_CACHE_DIR = cache;
    try {
      await withEngine({ prestart: false }, async ({ engine, events }) => {
        const pool = engine.pool(fn(root, 'app.handler', { name: 'fetches' }));
        const cold = await pool.invoke('{}');
        assert.equal(cold.status, 'success', JSON.stringify(cold.error));
        const end = initEnd(events);
        const fetched = end?.ownWork?.fetched;
        assert.equal(fetched?.length, 1, JSON.stringify(end?.ownWork));
        assert.equal(fetched[0].kind, 'runtimeSdk');
        assert.match(fetched[0].what, /@smithy\/types/);
        // The install ran before the environment existed: its time is in no part of the Init.
        assert.ok(fetched[0].ms > (end?.durationMs ?? Infinity), JSON.stringify(end));
        const phases = end?.initPhases as InitPhases;
        assert.ok(
          Math.abs(phases.extensionMs + phases.runtimeMs + (phases.functionMs ?? 0) - (end?.durationMs ?? 0)) < 1,
          JSON.stringify(end),
        );
        assert.ok(
          events.some((e) => e.type === 'provisioning' && e.stage === 'progress'),
          'the install was announced',
        );
        // Another environment's Init fetched nothing: nothing said.
        await Promise.all([pool.invoke('{}'), pool.invoke('{}')]);
        const later = events.filter(
          (e): e is Extract<EngineEvent, { type: 'phaseEnded' }> => e.type === 'phaseEnded' && e.phase === 'init',
        );
        assert.ok(later.length >= 2, 'a second cold start');
        for (const e of later.slice(1)) assert.equal(e.ownWork?.fetched, undefined);
      });
    } finally {
      if (saved === undefined) delete process.env.LLD_CACHE_DIR;
      else process.env.LLD_CACHE_DIR = saved;
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});

/** An empty per-user cache whose Node binaries are the real cache's (none is downloaded). */
function freshCache(): string {
  const real = cacheDirectory();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-cache-'));
  if (fs.existsSync(path.join(real, 'node'))) fs.symlinkSync(path.join(real, 'node'), path.join(cache, 'node'));
  return cache;
}
