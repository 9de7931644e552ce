// The AWS SDK the runtime ships, as on Lambda: a function imports @aws-sdk packages it
// does not bundle (ES module import and CommonJS require) and creates clients; the
// runtime's copy (installed once into the per-user cache; scripts/setup.mjs does it before
// the tests) is reused with no registry at all; the function's own copy wins; a package
// that cannot be had fails with Runtime.ImportModuleError saying why and what to do.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeRoot, fn, withEngine } from '../support/engine';
import { cacheDirectory } from '../../src/provision/cache';
import { runtimeModulesDir } from '../../src/provision/runtimeSdk';

const S3_ESM = `import { S3Client } from '@aws-sdk/client-s3';
export const handler = async () => {
  const client = new S3Client({ region: 'eu-west-1' });
  return { client: client.constructor.name, region: await client.config.region() };
};`;

const DYNAMODB_CJS = `const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
exports.handler = async () => {
  const client = new DynamoDBClient({ region: 'us-west-2' });
  return { client: client.constructor.name, region: await client.config.region(), from: require.resolve('@aws-sdk/client-dynamodb') };
};`;

/** Runs with the npm registry out of reach (nothing may be fetched). */
async function offline<T>(body: () => Promise<T>): Promise<T> {
  const saved = { registry: process.env.npm_config_registry, retries: process.env.npm_config_fetch_retries };
  process.env.npm_config_registry = 'http://127.0.0.1:9/';
  process.env.npm_config_fetch_retries = '0';
  try {
    return await body();
  } finally {
    for (const [key, value] of [
      ['npm_config_registry', saved.registry],
      ['npm_config_fetch_retries', saved.retries],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('the AWS SDK the runtime ships', function () {
  this.timeout(180_000);

  it('lets a function import @aws-sdk packages it does not bundle (import and require), and creates clients', async () => {
    const root = codeRoot({ 'esm/app.mjs': S3_ESM, 'cjs/app.js': DYNAMODB_CJS });
    await withEngine({ prestart: false }, async ({ engine }) => {
      const s3 = await engine.pool(fn(root, 'esm/app.handler', { name: 's3' })).invoke('{}');
      assert.equal(s3.status, 'success', JSON.stringify(s3.error));
      assert.deepEqual(s3.result, { client: 'S3Client', region: 'eu-west-1' });
      const dynamodb = await engine.pool(fn(root, 'cjs/app.handler', { name: 'dynamodb' })).invoke('{}');
      assert.equal(dynamodb.status, 'success', JSON.stringify(dynamodb.error));
      const body = dynamodb.result as { client: string; region: string; from: string };
      assert.equal(body.client, 'DynamoDBClient');
      assert.equal(body.region, 'us-west-2');
      assert.ok(body.from.startsWith(runtimeModulesDir()), body.from);
    });

    // Installed once: the next engine reuses the runtime's copy with no registry to ask.
    await offline(() =>
      withEngine({ prestart: false }, async ({ engine, events }) => {
        const again = await engine.pool(fn(root, 'esm/app.handler', { name: 's3' })).invoke('{}');
        assert.equal(again.status, 'success', JSON.stringify(again.error));
        assert.deepEqual(
          events.filter((e) => e.type === 'provisioning'),
          [],
        );
      }),
    );
  });

  it('nodejs18.x: imports the SDK of its own (frozen at the runtime’s deprecation, still running on Node 18), offline', async () => {
    const root = codeRoot({ 'esm/app.mjs': S3_ESM, 'cjs/app.js': DYNAMODB_CJS });
    // scripts/setup.mjs installed it; this test asks no registry.
    await offline(() =>
      withEngine({ prestart: false }, async ({ engine, events }) => {
        const s3 = await engine.pool(fn(root, 'esm/app.handler', { name: 's3', runtime: 'nodejs18.x' })).invoke('{}');
        assert.equal(s3.status, 'success', JSON.stringify(s3.error));
        assert.deepEqual(s3.result, { client: 'S3Client', region: 'eu-west-1' });
        assert.match(s3.nodeVersion ?? '', /^v18\./);
        const dynamodb = await engine
          .pool(fn(root, 'cjs/app.handler', { name: 'dynamodb', runtime: 'nodejs18.x' }))
          .invoke('{}');
        assert.equal(dynamodb.status, 'success', JSON.stringify(dynamodb.error));
        const from = (dynamodb.result as { from: string }).from;
        assert.ok(from.startsWith(runtimeModulesDir(18)), from);
        const manifest = JSON.parse(
          fs.readFileSync(path.join(runtimeModulesDir(18), '@aws-sdk', 'client-dynamodb', 'package.json'), 'utf8'),
        ) as { engines: { node: string } };
        assert.equal(manifest.engines.node, '>=18.0.0');
        assert.deepEqual(
          events.filter((e) => e.type === 'provisioning'),
          [],
        );
      }),
    );
  });

  it("prefers the function's own copy to the runtime's", async () => {
    const root = codeRoot({
      'app.js': DYNAMODB_CJS,
      'node_modules/@aws-sdk/client-dynamodb/package.json': '{"name": "@aws-sdk/client-dynamodb", "main": "index.js"}',
      'node_modules/@aws-sdk/client-dynamodb/index.js':
        'exports.DynamoDBClient = class Own { constructor() { this.config = { region: async () => "own" }; } };',
    });
    await withEngine({ prestart: false }, async ({ engine }) => {
      const result = await engine.pool(fn(root, 'app.handler')).invoke('{}');
      const body = result.result as { client: string; region: string; from: string };
      assert.equal(body.client, 'Own');
      assert.equal(body.from, path.join(root, 'node_modules/@aws-sdk/client-dynamodb/index.js'));
    });
  });

  it('says why and what to do when a package cannot be had', async () => {
    const saved = process.env.LLD_CACHE_DIR;
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-sdk-cache-'));
    const nodes = path.join(cacheDirectory(), 'node');
    if (fs.existsSync(nodes)) fs.symlinkSync(nodes, path.join(cache, 'node'));
    process.env.LLD_CACHE_DIR = cache;
    try {
      const root = codeRoot({ 'app.js': DYNAMODB_CJS });
      await offline(() =>
        withEngine({ prestart: false }, async ({ engine }) => {
          const result = await engine.pool(fn(root, 'app.handler')).invoke('{}');
          assert.equal(result.error?.errorType, 'Runtime.ImportModuleError');
          assert.match(result.error!.errorMessage, /Cannot find module '@aws-sdk\/client-dynamodb'/);
          assert.match(
            result.error!.errorMessage,
            /Lambda's runtime provides @aws-sdk\/client-dynamodb; installing it/,
          );
          assert.match(result.error!.errorMessage, /npm install @aws-sdk\/client-dynamodb/);
        }),
      );
    } finally {
      if (saved === undefined) delete process.env.LLD_CACHE_DIR;
      else process.env.LLD_CACHE_DIR = saved;
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
