// Sample events of storage and streams: S3 notifications (put, delete), SQS messages (with
// the body's MD5 as SQS computes it), SNS notifications, DynamoDB Streams records, Kinesis
// records (data base64 as Kinesis delivers it), MSK and self-managed Kafka batches, and
// Kinesis Data Firehose transformation records.

import type {
  DynamoDBStreamEvent,
  FirehoseTransformationEvent,
  KinesisStreamEvent,
  MSKEvent,
  S3Event,
  SelfManagedKafkaEvent,
  SNSEvent,
  SQSEvent,
} from 'aws-lambda';
import { base64, epochSeconds, hex, isoTime, md5, uuid, type SampleContext, type SampleTemplate } from './sample';

function s3(f: Record<string, string>, ctx: SampleContext, eventName: string): S3Event {
  const put = eventName.startsWith('ObjectCreated');
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: ctx.region,
        eventTime: isoTime(ctx),
        eventName,
        userIdentity: { principalId: 'EXAMPLE' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': hex(8).toUpperCase(), 'x-amz-id-2': base64(hex(24)) },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'testConfigRule',
          bucket: {
            name: f.bucket,
            ownerIdentity: { principalId: 'EXAMPLE' },
            arn: `arn:aws:s3:::${f.bucket}`,
          },
          object: {
            key: encodeURIComponent(f.key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            ...(put ? { size: Number(f.size), eTag: md5(f.key) } : {}),
            sequencer: hex(8).toUpperCase(),
          } as S3Event['Records'][number]['s3']['object'],
        },
      },
    ],
  };
}

function kafkaRecords(f: Record<string, string>, ctx: SampleContext) {
  return {
    [`${f.topic}-0`]: [
      {
        topic: f.topic,
        partition: 0,
        offset: 15,
        timestamp: ctx.now.getTime(),
        timestampType: 'CREATE_TIME' as const,
        key: base64(f.key),
        value: base64(f.value),
        headers: [{ headerKey: [...Buffer.from('headerValue')] }],
      },
    ],
  };
}

export const DATA_SAMPLES: SampleTemplate[] = [
  {
    service: 's3',
    type: 'put',
    description: 'S3 object created (PUT)',
    fields: { bucket: 'example-bucket', key: 'test/key', size: '1024' },
    build: (f, ctx) => s3(f, ctx, 'ObjectCreated:Put'),
  },
  {
    service: 's3',
    type: 'delete',
    description: 'S3 object removed (DELETE)',
    fields: { bucket: 'example-bucket', key: 'test/key' },
    build: (f, ctx) => s3(f, ctx, 'ObjectRemoved:Delete'),
  },
  {
    service: 'sqs',
    type: 'receive-message',
    description: 'SQS messages delivered to a function',
    fields: { queue: 'my-queue', body: 'Hello from SQS!' },
    build: (f, ctx): SQSEvent => ({
      Records: [
        {
          messageId: uuid(),
          receiptHandle: base64(`${uuid()} ${f.queue}`),
          body: f.body,
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: String(ctx.now.getTime()),
            SenderId: 'AIDAIENQZJOLO23YVJ4VO',
            ApproximateFirstReceiveTimestamp: String(ctx.now.getTime()),
          },
          messageAttributes: {},
          md5OfBody: md5(f.body),
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${f.queue}`,
          awsRegion: ctx.region,
        },
      ],
    }),
  },
  {
    service: 'sns',
    type: 'notification',
    description: 'SNS notification',
    fields: { topic: 'sns-lambda', message: 'Hello from SNS!', subject: 'TestInvoke' },
    build: (f, ctx): SNSEvent => {
      const topicArn = `arn:aws:sns:${ctx.region}:${ctx.accountId}:${f.topic}`;
      const subscription = uuid();
      return {
        Records: [
          {
            EventVersion: '1.0',
            EventSubscriptionArn: `${topicArn}:${subscription}`,
            EventSource: 'aws:sns',
            Sns: {
              SignatureVersion: '1',
              Timestamp: isoTime(ctx),
              Signature: base64(hex(64)),
              SigningCertUrl: `https://sns.${ctx.region}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem`,
              MessageId: uuid(),
              Message: f.message,
              MessageAttributes: {},
              Type: 'Notification',
              UnsubscribeUrl: `https://sns.${ctx.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:${subscription}`,
              TopicArn: topicArn,
              Subject: f.subject,
            },
          },
        ],
      };
    },
  },
  {
    service: 'dynamodb',
    type: 'update',
    description: 'DynamoDB Streams records (INSERT, MODIFY, REMOVE)',
    fields: { table: 'ExampleTableWithStream', id: '101', message: 'New item!' },
    build: (f, ctx): DynamoDBStreamEvent => {
      const streamArn = `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${f.table}/stream/${isoTime(ctx).slice(0, 23)}`;
      const keys = { Id: { N: f.id } };
      const base = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', n: number) => ({
        eventID: String(n),
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: ctx.region,
        eventName,
        eventSourceARN: streamArn,
      });
      return {
        Records: [
          {
            ...base('INSERT', 1),
            dynamodb: {
              ApproximateCreationDateTime: epochSeconds(ctx),
              Keys: keys,
              NewImage: { Message: { S: f.message }, Id: { N: f.id } },
              SequenceNumber: '111',
              SizeBytes: 26,
              StreamViewType: 'NEW_AND_OLD_IMAGES',
            },
          },
          {
            ...base('MODIFY', 2),
            dynamodb: {
              ApproximateCreationDateTime: epochSeconds(ctx),
              Keys: keys,
              NewImage: { Message: { S: 'This item has changed' }, Id: { N: f.id } },
              OldImage: { Message: { S: f.message }, Id: { N: f.id } },
              SequenceNumber: '222',
              SizeBytes: 59,
              StreamViewType: 'NEW_AND_OLD_IMAGES',
            },
          },
          {
            ...base('REMOVE', 3),
            dynamodb: {
              ApproximateCreationDateTime: epochSeconds(ctx),
              Keys: keys,
              OldImage: { Message: { S: 'This item has changed' }, Id: { N: f.id } },
              SequenceNumber: '333',
              SizeBytes: 38,
              StreamViewType: 'NEW_AND_OLD_IMAGES',
            },
          },
        ],
      };
    },
  },
  {
    service: 'kinesis',
    type: 'get-records',
    description: 'Kinesis Data Streams records (data base64-encoded)',
    fields: { stream: 'example-stream', data: 'Hello, this is a test.', 'partition-key': '1' },
    build: (f, ctx): KinesisStreamEvent => ({
      Records: [
        {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: f['partition-key'],
            sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
            data: base64(f.data),
            approximateArrivalTimestamp: ctx.now.getTime() / 1000,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: 'shardId-000000000006:49590338271490256608559692538361571095921575989136588898',
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: `arn:aws:iam::${ctx.accountId}:role/lambda-role`,
          awsRegion: ctx.region,
          eventSourceARN: `arn:aws:kinesis:${ctx.region}:${ctx.accountId}:stream/${f.stream}`,
        },
      ],
    }),
  },
  {
    service: 'kafka',
    type: 'msk',
    description: 'Amazon MSK batch (key and value base64-encoded)',
    fields: { cluster: 'demo-cluster', topic: 'mytopic', key: 'key', value: 'Hello, this is a test.' },
    build: (f, ctx): MSKEvent => ({
      eventSource: 'aws:kafka',
      eventSourceArn: `arn:aws:kafka:${ctx.region}:${ctx.accountId}:cluster/${f.cluster}/${uuid()}-1`,
      bootstrapServers: `b-1.${f.cluster}.kafka.${ctx.region}.amazonaws.com:9092`,
      records: kafkaRecords(f, ctx),
    }),
  },
  {
    service: 'kafka',
    type: 'self-managed',
    description: 'Self-managed Apache Kafka batch',
    fields: { servers: 'b-1.kafka.example:9092,b-2.kafka.example:9092', topic: 'mytopic', key: 'key', value: 'Hello' },
    build: (f, ctx): SelfManagedKafkaEvent => ({
      eventSource: 'SelfManagedKafka',
      bootstrapServers: f.servers,
      records: kafkaRecords(f, ctx),
    }),
  },
  {
    service: 'firehose',
    type: 'transformation',
    description: 'Kinesis Data Firehose data transformation records',
    fields: { stream: 'example-delivery-stream', data: 'Hello, this is a test.' },
    build: (f, ctx): FirehoseTransformationEvent => ({
      invocationId: uuid(),
      deliveryStreamArn: `arn:aws:firehose:${ctx.region}:${ctx.accountId}:deliverystream/${f.stream}`,
      region: ctx.region,
      records: [
        {
          recordId: '49546986683135544286507457936321625675700192471156785154',
          approximateArrivalTimestamp: ctx.now.getTime(),
          data: base64(f.data),
        },
      ],
    }),
  },
];
