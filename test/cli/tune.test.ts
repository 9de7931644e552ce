// `lambda-lifecycle tune`: one JSON record per memory size and a summary, the cost from
// the price table, the recommendation among the sizes that ran, a size that runs out of
// memory reported as failed; the price arithmetic and the recommendation rules.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { codeRoot } from '../support/engine';
import { costPerMillion, pricesFor } from '../../src/engine/tuning/prices';
import { recommend } from '../../src/engine/tuning/recommend';

const CLI = path.join(__dirname, '../../dist/cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('lambda-lifecycle tune', function () {
  this.timeout(120_000);
  const root = codeRoot({
    'app.js': 'exports.handler = async () => { let x = 0; for (let i = 0; i < 2e6; i++) x += i; return x; };',
    'big.js':
      'const keep = []; exports.handler = async (e) => { for (let i = 0; i < 40; i++) keep.push(Buffer.alloc(8 << 20, 1)); return keep.length; };',
  });

  it('prints one record per size and a summary with --json', () => {
    const r = run([
      'tune',
      'app.handler',
      '--root',
      root,
      '--memory',
      '128,1769',
      '--times',
      '2',
      '--json',
      '--arch',
      'arm64',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const records = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      records.map((x) => x.type),
      ['size', 'size', 'summary'],
    );
    for (const size of records.slice(0, 2)) {
      assert.equal(size.ok, true);
      for (const key of ['coldInitDurationMs', 'coldDurationMs', 'warmP50Ms', 'warmP90Ms', 'maxMemoryUsedMB']) {
        assert.equal(typeof size[key], 'number', key);
      }
      const expected = costPerMillion(
        pricesFor('us-east-1'),
        'arm64',
        size.memorySizeMB as number,
        size.billedDurationMs as number,
      );
      assert.equal(size.costPerMillionUsd, expected);
      assert.ok(['cgroup', 'portable', 'namespaces+cgroup'].includes(size.sandbox as string));
    }
    const summary = records[2];
    assert.equal(summary.architecture, 'arm64');
    for (const key of ['cheapestMB', 'fastestMB', 'balancedMB'])
      assert.ok([128, 1769].includes(summary[key] as number), key);
  });

  it('reports a size that runs out of memory as failed and recommends among the others', () => {
    const r = run(['tune', 'big.handler', '--root', root, '--memory', '128,1024', '--times', '1', '--json']);
    assert.equal(r.status, 1, r.stderr);
    const [small, large, summary] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(small.ok, false);
    assert.equal(large.ok, true);
    assert.equal(summary.cheapestMB, 1024);
  });

  it('says what to fix for a bad --memory list', () => {
    const r = run(['tune', 'app.handler', '--root', root, '--memory', '64']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--memory takes sizes from 128 to 10240 MB/);
  });
});

describe('tuning arithmetic', () => {
  it('prices a GB-second and a request as the table says', () => {
    const prices = pricesFor('us-east-1');
    assert.equal(costPerMillion(prices, 'x86_64', 1024, 1000).toFixed(4), (16.6667 + 0.2).toFixed(4));
    assert.equal(pricesFor('eu-west-3').pricedAs, 'us-east-1');
  });

  it('recommends the cheapest, the smallest of the fastest, and a balance of both', () => {
    const choice = recommend([
      { memorySizeMB: 128, ok: true, warmP50Ms: 1000, costPerMillion: 2.3 },
      { memorySizeMB: 512, ok: true, warmP50Ms: 200, costPerMillion: 1.9 },
      { memorySizeMB: 1769, ok: true, warmP50Ms: 60, costPerMillion: 2.0 },
      { memorySizeMB: 3008, ok: true, warmP50Ms: 59, costPerMillion: 3.1 },
      { memorySizeMB: 10240, ok: false, warmP50Ms: 1, costPerMillion: 0.1 },
    ]);
    assert.deepEqual(choice, { cheapestMB: 512, fastestMB: 1769, balancedMB: 1769 });
  });
});
