// AWS_ENDPOINT_URL_<SERVICE> reaches the function, so the real AWS SDK in a handler talks to a
// local server: here a DynamoDB-compatible one (dynalite) started by the test, with an item
// written and read back through @aws-sdk/client-dynamodb.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
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

  it('a handler with @aws-sdk/client-dynamodb writes and reads an item through AWS_ENDPOINT_URL_DYNAMODB', async () => {
    const root = codeRoot({
      'app.mjs': `
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
};`,
    });
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
});
