// `generate-event` through dist/cli.js: every template prints JSON; derived fields are right
// (the SQS body's MD5, ARNs of the region and account asked for, base64 and gzip where AWS
// encodes); records are checked key by key against @types/aws-lambda (the builders are also
// typed against it, so the compiler checks every template); usage errors exit 2.

import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type {
  APIGatewayProxyEvent,
  CloudWatchLogsDecodedData,
  CloudWatchLogsEvent,
  DynamoDBRecord,
  EventBridgeEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
  S3Event,
  S3EventRecord,
  SNSEvent,
  SNSMessage,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { SAMPLES } from '../../src/fronts/samples/index';
import { assertShape, type KeyTable } from '../support/eventShapes';

const CLI = path.join(__dirname, '../../dist/cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'generate-event', ...args], { encoding: 'utf8' });
function generate<T>(args: string[]): T {
  const r = run(args);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

const SQS_RECORD: KeyTable<SQSRecord> = {
  messageId: true,
  receiptHandle: true,
  body: true,
  attributes: true,
  messageAttributes: true,
  md5OfBody: true,
  md5OfMessageAttributes: false,
  eventSource: true,
  eventSourceARN: true,
  awsRegion: true,
};
const S3_RECORD: KeyTable<S3EventRecord> = {
  eventVersion: true,
  eventSource: true,
  awsRegion: true,
  eventTime: true,
  eventName: true,
  userIdentity: true,
  requestParameters: true,
  responseElements: true,
  s3: true,
  glacierEventData: false,
};
const SNS_MESSAGE: KeyTable<SNSMessage> = {
  SignatureVersion: true,
  Timestamp: true,
  Signature: true,
  SigningCertUrl: true,
  MessageId: true,
  Message: true,
  MessageAttributes: true,
  Type: true,
  UnsubscribeUrl: true,
  TopicArn: true,
  Subject: false,
  Token: false,
};
const EVENTBRIDGE: KeyTable<EventBridgeEvent<string, unknown>> = {
  id: true,
  version: true,
  account: true,
  time: true,
  region: true,
  resources: true,
  source: true,
  'detail-type': true,
  detail: true,
  'replay-name': false,
};
const DYNAMODB_RECORD: KeyTable<DynamoDBRecord> = {
  awsRegion: true,
  dynamodb: true,
  eventID: true,
  eventName: true,
  eventSource: true,
  eventSourceARN: true,
  eventVersion: true,
  userIdentity: false,
};
const KINESIS_RECORD: KeyTable<KinesisStreamRecord> = {
  awsRegion: true,
  eventID: true,
  eventName: true,
  eventSource: true,
  eventSourceARN: true,
  eventVersion: true,
  invokeIdentityArn: true,
  kinesis: true,
};

describe('lambda-lifecycle generate-event', () => {
  it('lists the services and types, at least those the issue names', () => {
    const r = run([]);
    assert.equal(r.status, 0);
    for (const service of [
      'apigateway',
      'lambda-url',
      'alb',
      's3',
      'sqs',
      'sns',
      'dynamodb',
      'kinesis',
      'eventbridge',
      'cloudwatch',
      'cognito',
      'ses',
      'stepfunctions',
      'appsync',
      'kafka',
      'cloudformation',
      'secretsmanager',
      'firehose',
      'iot',
    ])
      assert.match(r.stdout, new RegExp(`^${service}\\s`, 'm'));
    assert.match(run(['s3']).stdout, /put .*\n.*--bucket/);
  });

  it('every template prints a JSON event', function () {
    this.timeout(60_000);
    for (const sample of SAMPLES) {
      const r = run([sample.service, sample.type]);
      assert.equal(r.status, 0, `${sample.service} ${sample.type}: ${r.stderr}`);
      assert.doesNotThrow(() => JSON.parse(r.stdout), `${sample.service} ${sample.type}`);
    }
  });

  it('SQS: the body, its MD5 and the queue ARN of the region and account', () => {
    const event = generate<SQSEvent>([
      'sqs',
      'receive-message',
      '--body',
      'payload ü',
      '--queue',
      'orders',
      '--region',
      'eu-west-1',
      '--account',
      '111122223333',
    ]);
    const record = event.Records[0];
    assertShape(record, SQS_RECORD, 'SQS record');
    assert.equal(record.body, 'payload ü');
    assert.equal(record.md5OfBody, createHash('md5').update('payload ü').digest('hex'));
    assert.equal(record.eventSourceARN, 'arn:aws:sqs:eu-west-1:111122223333:orders');
    assert.equal(record.awsRegion, 'eu-west-1');
  });

  it('S3 put and delete: bucket, URL-encoded key, size only on put', () => {
    const put = generate<S3Event>(['s3', 'put', '--bucket', 'photos', '--key', 'a dir/b.png', '--size', '42']);
    assertShape(put.Records[0], S3_RECORD, 'S3 record');
    assert.equal(put.Records[0].eventName, 'ObjectCreated:Put');
    assert.equal(put.Records[0].s3.bucket.arn, 'arn:aws:s3:::photos');
    assert.equal(put.Records[0].s3.object.key, 'a+dir/b.png');
    assert.equal(put.Records[0].s3.object.size, 42);
    const del = generate<S3Event>(['s3', 'delete', '--bucket', 'photos', '--key', 'x']);
    assert.equal(del.Records[0].eventName, 'ObjectRemoved:Delete');
    assert.equal(del.Records[0].s3.object.size, undefined);
  });

  it('CloudWatch Logs: awslogs.data is gzipped JSON in base64', () => {
    const event = generate<CloudWatchLogsEvent>([
      'cloudwatch',
      'logs',
      '--message',
      'line one',
      '--account',
      '444455556666',
    ]);
    const decoded = JSON.parse(
      zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'),
    ) as CloudWatchLogsDecodedData;
    assert.equal(decoded.messageType, 'DATA_MESSAGE');
    assert.equal(decoded.owner, '444455556666');
    assert.equal(decoded.logEvents[0].message, 'line one');
  });

  it('Kinesis data is base64; SNS, EventBridge and DynamoDB records have their fields', () => {
    const kinesis = generate<KinesisStreamEvent>(['kinesis', 'get-records', '--data', 'hello']);
    assertShape(kinesis.Records[0], KINESIS_RECORD, 'Kinesis record');
    assert.equal(Buffer.from(kinesis.Records[0].kinesis.data, 'base64').toString(), 'hello');
    const sns = generate<SNSEvent>(['sns', 'notification', '--topic', 't1', '--region', 'ap-south-1']);
    assertShape(sns.Records[0].Sns, SNS_MESSAGE, 'SNS message');
    assert.equal(sns.Records[0].Sns.TopicArn, 'arn:aws:sns:ap-south-1:123456789012:t1');
    const custom = generate<EventBridgeEvent<string, { orderId: string }>>([
      'eventbridge',
      'custom',
      '--detail',
      '{"orderId":"9"}',
    ]);
    assertShape(custom, EVENTBRIDGE, 'EventBridge event');
    assert.deepEqual(custom.detail, { orderId: '9' });
    const scheduled = generate<EventBridgeEvent<'Scheduled Event', object>>(['eventbridge', 'scheduled']);
    assert.equal(scheduled['detail-type'], 'Scheduled Event');
    assert.match(scheduled.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const dynamodb = generate<{ Records: DynamoDBRecord[] }>(['dynamodb', 'update']);
    for (const record of dynamodb.Records) assertShape(record, DYNAMODB_RECORD, 'DynamoDB record');
  });

  it('API Gateway REST proxy takes --method, --path, --body, --query', () => {
    const event = generate<APIGatewayProxyEvent>([
      'apigateway',
      'aws-proxy',
      '--method',
      'POST',
      '--path',
      '/orders',
      '--body',
      '{"a":1}',
      '--query',
      'x=1&x=2',
    ]);
    assert.equal(event.httpMethod, 'POST');
    assert.equal(event.path, '/orders');
    assert.equal(event.body, '{"a":1}');
    assert.deepEqual(event.multiValueQueryStringParameters, { x: ['1', '2'] });
    assert.equal(event.requestContext.path, '/Prod/orders');
  });

  it('usage errors exit 2 with what to fix', () => {
    const unknownService = run(['nope', 'x']);
    assert.equal(unknownService.status, 2);
    assert.match(unknownService.stderr, /Unknown service 'nope'. Services: apigateway/);
    const unknownType = run(['s3', 'copy']);
    assert.match(unknownType.stderr, /Unknown s3 event type 'copy'. Types: put, delete/);
    const unknownField = run(['s3', 'put', '--queue', 'q']);
    assert.match(unknownField.stderr, /s3 put has no field --queue. Fields: --bucket, --key, --size/);
  });
});
