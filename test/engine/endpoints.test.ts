// AWS_ENDPOINT_URL_<SERVICE> reaches the function, so the real AWS SDK in a handler talks to a
// local server: here a DynamoDB-compatible one (dynalite) started by the test, with an item
// written and read back through @aws-sdk/client-dynamodb; set as a function variable, or in
// the profile's `services` section of ~/.aws/config (with the host's variables over it),
// through the CLI.

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CredentialsResolver } from '../../src/provision/credentials';
import { codeRoot, fn, withEngine } from '../support/engine';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number }) => import('node:http').Server;

describe('AWS endpoints', () => {
  let server: import('node:http').Server;
  let endpoint: string;
  before(async () => {
    server = dynalite({ createTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const DYNAMODB_HANDLER = `
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
let created = false;
export const handler = async (event) => {
  if (!created) {
    await client.send(new CreateTableCommand({ TableName: process.env.TABLE, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    created = true;
  }
  await client.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: event.id }, note: { S: event.note } } }));
  const read = await client.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: event.id } } }));
  return { note: read.Item.note.S, region: await client.config.region() };
};
export const endpoints = async () => Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('AWS_ENDPOINT_URL') || k === 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'));`;

  it('a handler with @aws-sdk/client-dynamodb writes and reads an item through AWS_ENDPOINT_URL_DYNAMODB', async () => {
    const root = codeRoot({ 'app.mjs': DYNAMODB_HANDLER });
    // The function's own node_modules, as a deployed package has.
    fs.symlinkSync(path.join(__dirname, '../../node_modules'), path.join(root, 'node_modules'), 'dir');
    const credentials = new CredentialsResolver(
      { kind: 'aws', profile: 'local' },
      { provider: () => Promise.resolve({ accessKeyId: 'AKIALOCAL', secretAccessKey: 'local-secret' }) },
    );
    await withEngine({ credentials, region: 'eu-central-1' }, async ({ engine }) => {
      const config = fn(root, 'app.handler', {
        timeoutSeconds: 20,
        memorySizeMB: 512,
        environment: { TABLE: 'orders', AWS_ENDPOINT_URL_DYNAMODB: endpoint },
      });
      const result = await engine.pool(config).invoke(JSON.stringify({ id: 'a1', note: 'first' }));
      assert.equal(result.status, 'success', JSON.stringify(result.error) + result.logs);
      assert.deepEqual(result.result, { note: 'first', region: 'eu-central-1' });
      const again = await engine.pool(config).invoke(JSON.stringify({ id: 'a2', note: 'second' }));
      assert.deepEqual(again.result, { note: 'second', region: 'eu-central-1' });
    });
  });

  it('a profile’s endpoint_url and services section reach the function through the CLI, the host’s variables over them', async () => {
    const root = codeRoot({ 'app.mjs': DYNAMODB_HANDLER, 'event.json': '{"id": "p1", "note": "from the profile"}' });
    fs.symlinkSync(path.join(__dirname, '../../node_modules'), path.join(root, 'node_modules'), 'dir');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-endpoints-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'config'),
        [
          '[profile local]',
          'region = eu-west-3',
          'endpoint_url = http://127.0.0.1:4566',
          'services = local-services',
          '[profile ignoring]',
          'endpoint_url = http://127.0.0.1:4566',
          'ignore_configured_endpoint_urls = true',
          '[services local-services]',
          'dynamodb =',
          `  endpoint_url = ${endpoint}`,
          's3 =',
          '  endpoint_url = http://127.0.0.1:9000',
          'elastic_beanstalk =',
          '  endpoint_url = http://127.0.0.1:9001',
          '',
        ].join('\n'),
      );
      fs.writeFileSync(
        path.join(dir, 'credentials'),
        '[local]\naws_access_key_id = AKIALOCAL\naws_secret_access_key = local-secret\n[ignoring]\naws_access_key_id = AKIALOCAL\naws_secret_access_key = local-secret\n',
      );
      const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: path.join(dir, 'config') };
      env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
      for (const name of Object.keys(env))
        if (/^AWS_(ENDPOINT_URL|IGNORE_CONFIGURED|PROFILE|REGION)/.test(name)) delete env[name];
      env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:9999'; // the host's variable wins over the profile's
      // Not spawnSync: dynalite runs in this process.
      const cli = async (handler: string, profile: string, event?: string) => {
        const args = [
          path.join(__dirname, '../../dist/cli.js'),
          'invoke',
          handler,
          '--root',
          root,
          '--profile',
          profile,
        ];
        args.push('--timeout', '20', '--memory', '512', '--json', '--env', 'TABLE=profile_orders');
        if (event) args.push('--event', path.join(root, event));
        const run = await promisify(execFile)(process.execPath, args, { encoding: 'utf8', env, timeout: 60_000 });
        return JSON.parse(run.stdout.trim().split('\n').pop()!) as { result: unknown };
      };
      assert.deepEqual((await cli('app.endpoints', 'local')).result, {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9999',
        AWS_ENDPOINT_URL_ELASTIC_BEANSTALK: 'http://127.0.0.1:9001',
      });
      assert.deepEqual((await cli('app.handler', 'local', 'event.json')).result, {
        note: 'from the profile',
        region: 'eu-west-3',
      });
      assert.deepEqual((await cli('app.endpoints', 'ignoring')).result, {
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9999',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
