// A user's own project through the CLI: a fixture SAM application in the shape of AWS's app
// templates (Globals, parameters, a table referenced by !Ref, events files), its template
// values, parameter overrides, an invalid function beside valid ones, LoggingConfig flags,
// and credentials from a profile in a temporary AWS config.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { cacheDirectory } from '../../src/provision/cache';
import { codeRoot } from '../support/engine';

const CLI = path.join(__dirname, '../../dist/cli.js');

const TEMPLATE = `AWSTemplateFormatVersion: 2010-09-09
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String, Default: dev }
Globals:
  Function:
    Runtime: nodejs22.x
    Timeout: 10
    Environment:
      Variables:
        STAGE: !Ref Stage
Resources:
  SampleTable:
    Type: AWS::Serverless::SimpleTable
  HelloWorldFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello-world/
      Handler: app.lambdaHandler
      Events:
        HelloWorld: { Type: Api, Properties: { Path: /hello, Method: get } }
  putItemFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: handlers/put-item.putItemHandler
      LoggingConfig: { LogFormat: JSON }
      Environment:
        Variables:
          SAMPLE_TABLE: !Ref SampleTable
          TABLE_ARN: !Sub '\${SampleTable}-in-\${AWS::Region}-\${Stage}'
  TooSmallFunction:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: handlers/put-item.putItemHandler, MemorySize: 64 }
`;

describe('a SAM project through the CLI', () => {
  const dir = codeRoot({
    'template.yaml': TEMPLATE,
    'hello-world/app.mjs': `export const lambdaHandler = async (event) => ({ statusCode: 200, body: JSON.stringify({ message: 'hello world', path: event.path }) });`,
    'src/handlers/put-item.mjs': `export const putItemHandler = async (event) => {
  console.info('received:', event.body);
  return { table: process.env.SAMPLE_TABLE, arn: process.env.TABLE_ARN, stage: process.env.STAGE, key: process.env.AWS_ACCESS_KEY_ID ?? null, region: process.env.AWS_REGION };
};`,
    'events/event.json': '{"path": "/hello", "httpMethod": "GET"}',
    'events/event-post-item.json': '{"httpMethod": "POST", "body": "{\\"id\\": \\"id1\\"}"}',
    'aws/config': '[profile dev]\nregion = eu-west-1\n',
    'aws/credentials': '[dev]\naws_access_key_id = AKIADEVPROFILE01\naws_secret_access_key = dev-secret-value\n',
  });
  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI, 'invoke', '--template', 'template.yaml', '--json', ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        // The runtimes' Node binaries stay where setup put them (HOME moves for the AWS files only).
        LLD_CACHE_DIR: cacheDirectory(),
        ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
        AWS_CONFIG_FILE: path.join(dir, 'aws/config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'aws/credentials'),
      },
    });
  const resultOf = (r: ReturnType<typeof run>) => {
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { result: unknown; logs: string };
  };

  it('runs the template’s functions with their events although one of them is invalid', () => {
    const hello = resultOf(
      run(['--function', 'HelloWorldFunction', '--event', 'events/event.json', '--no-credentials']),
    );
    assert.deepEqual(hello.result, { statusCode: 200, body: '{"message":"hello world","path":"/hello"}' });
    const invalid = run(['--function', 'TooSmallFunction']);
    assert.equal(invalid.status, 2);
    assert.match(invalid.stderr, /template\.yaml, function TooSmallFunction: .*Memory size/);
  });

  it('gives template values as sam local does, with --parameter-overrides', () => {
    const put = resultOf(run(['--function', 'putItemFunction', '--event', 'events/event-post-item.json']));
    assert.deepEqual(put.result, {
      table: 'SampleTable',
      arn: 'SampleTable-in-us-east-1-dev',
      stage: 'dev',
      key: null,
      region: 'us-east-1',
    });
    const prod = resultOf(
      run([
        '--function',
        'putItemFunction',
        '--parameter-overrides',
        'Stage=prod ParameterKey=AWS::Region,ParameterValue=eu-west-3',
      ]),
    );
    assert.equal((prod.result as { arn: string }).arn, 'SampleTable-in-eu-west-3-prod');
    assert.equal((prod.result as { stage: string }).stage, 'prod');
  });

  it('writes LoggingConfig JSON records, and --log-format Text overrides it', () => {
    const json = resultOf(run(['--function', 'putItemFunction', '--event', 'events/event-post-item.json']));
    const record = json.logs
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((r) => r.level === 'INFO')!;
    assert.equal(record.message, 'received: {"id": "id1"}');
    const text = resultOf(
      run(['--function', 'putItemFunction', '--log-format', 'Text', '--event', 'events/event-post-item.json']),
    );
    assert.match(text.logs, /\tINFO\treceived: \{"id": "id1"\}/);
  });

  it('gives the function a profile’s credentials and region (--region over it), none with --no-credentials, and says when a profile is missing', () => {
    const withProfile = resultOf(run(['--function', 'putItemFunction', '--profile', 'dev']));
    assert.equal((withProfile.result as { key: string }).key, 'AKIADEVPROFILE01');
    // The profile's region, as the AWS CLI would use it.
    assert.equal((withProfile.result as { region: string }).region, 'eu-west-1');
    // --region wins over the profile's.
    const elsewhere = resultOf(run(['--function', 'putItemFunction', '--profile', 'dev', '--region', 'sa-east-1']));
    assert.equal((elsewhere.result as { region: string }).region, 'sa-east-1');
    const none = resultOf(run(['--function', 'putItemFunction', '--profile', 'dev', '--no-credentials']));
    assert.equal((none.result as { key: null }).key, null);
    const missing = run(['--function', 'putItemFunction', '--profile', 'nope']);
    assert.equal(missing.status, 0, missing.stderr);
    assert.match(missing.stderr, /AWS profile 'nope' does not exist/);
    assert.doesNotMatch(missing.stderr + missing.stdout, /dev-secret-value/);
  });
});
