// TypeScript's cost stays out of Lambda's figures: the engine transpiles a function's
// TypeScript files into the per-user cache before its environment starts, the runtime
// reads them from there (a second cold start transpiles nothing), and the runtime's own
// TypeScript work is left out of Init Duration, which comes out close to the same
// handler's in JavaScript.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeRoot, fn, withEngine } from '../support/engine';
import { cacheDirectory } from '../../src/provision/cache';

/** Every file under `dir`. */
const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)) : [];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe('TypeScript handlers and Init Duration', function () {
  this.timeout(120_000);
  const saved = process.env.LLD_CACHE_DIR;
  let cache: string;

  beforeEach(() => {
    // A cache of our own for the transpiled files; the runtimes' Nodes are the user's.
    const nodes = path.join(cacheDirectory(), 'node');
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-ts-cache-'));
    if (fs.existsSync(nodes)) fs.symlinkSync(nodes, path.join(cache, 'node'));
    process.env.LLD_CACHE_DIR = cache;
  });

  afterEach(() => {
    if (saved === undefined) delete process.env.LLD_CACHE_DIR;
    else process.env.LLD_CACHE_DIR = saved;
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('transpiles ahead into the per-user cache, and a later cold start reads it from there', async () => {
    const root = codeRoot({
      'app.ts': "import { label } from './label';\nexport const handler = async (): Promise<string> => label;",
      'label.ts': "export const label: string = 'transpiled';",
      'esm/app.mts': "import { label } from './label.js';\nexport const handler = async (): Promise<string> => label;",
      'esm/label.mts': "export const label: string = 'module';",
    });
    await withEngine({ prestart: false }, async ({ engine }) => {
      const cjs = engine.pool(fn(root, 'app.handler', { name: 'cjs' }));
      const esm = engine.pool(fn(root, 'esm/app.handler', { name: 'esm' }));
      assert.equal((await cjs.invoke('{}')).result, 'transpiled');
      assert.equal((await esm.invoke('{}')).result, 'module');
      const outputs = filesUnder(path.join(cache, 'typescript')).filter((f) => f.endsWith('.js'));
      assert.equal(outputs.length, 4, outputs.join('\n'));

      // The cache is what runs: an output changed there shows on the next cold start.
      for (const file of outputs) {
        const code = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(
          file,
          code
            .replace(/"transpiled"|'transpiled'/, '"from the cache"')
            .replace(/"module"|'module'/, '"esm from the cache"'),
        );
      }
      assert.equal((await cjs.invoke('{}', { cold: true })).result, 'from the cache');
      assert.equal((await esm.invoke('{}', { cold: true })).result, 'esm from the cache');
    });
  });

  it('reports an Init Duration close to the same handler in JavaScript', async () => {
    const body = "const table = new Map(); for (let i = 0; i < 1000; i++) table.set('k' + i, i);";
    const root = codeRoot({
      'ts/app.ts': `${body}\nexport const handler = async (): Promise<number> => table.size;`,
      'ts/esm.mts': `${body}\nexport const handler = async (): Promise<number> => table.size;`,
      'js/app.js': `${body}\nexports.handler = async () => table.size;`,
    });
    await withEngine({ prestart: false }, async ({ engine }) => {
      const pools = {
        js: engine.pool(fn(root, 'js/app.handler', { name: 'js' })),
        ts: engine.pool(fn(root, 'ts/app.handler', { name: 'ts' })),
        mts: engine.pool(fn(root, 'ts/esm.handler', { name: 'mts' })),
      };
      const figures: Record<keyof typeof pools, number[]> = { js: [], ts: [], mts: [] };
      // Interleaved, so that the load of a shared machine weighs on each alike.
      for (let round = 0; round < 7; round++) {
        for (const [name, pool] of Object.entries(pools) as Array<[keyof typeof pools, (typeof pools)['js']]>) {
          const result = await pool.invoke('{}', { cold: true });
          assert.equal(result.result, 1000, JSON.stringify(result.error));
          figures[name].push(result.report.initDurationMs!);
        }
      }
      const [js, ts, mts] = [median(figures.js), median(figures.ts), median(figures.mts)];
      // Generous (a shared machine); before the cache and the own-work figure the gap was 100–200 ms.
      assert.ok(ts < js + 40, `TypeScript ${ts.toFixed(1)} ms against JavaScript ${js.toFixed(1)} ms`);
      assert.ok(mts < js + 40, `TypeScript ES module ${mts.toFixed(1)} ms against JavaScript ${js.toFixed(1)} ms`);
    });
  });
});
