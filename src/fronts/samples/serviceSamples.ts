// Sample events of AWS services that call functions with their own shapes: EventBridge
// (scheduled and custom), CloudWatch Logs subscriptions (gzipped, then base64, as AWS
// sends them), Cognito user pool triggers, SES receipt, Step Functions tasks, AppSync
// resolvers, CloudFormation custom resources, Secrets Manager rotation and IoT.

import * as zlib from 'node:zlib';
import type {
  AppSyncResolverEvent,
  CloudFormationCustomResourceEvent,
  CloudWatchLogsDecodedData,
  CloudWatchLogsEvent,
  EventBridgeEvent,
  IoTCustomAuthorizerEvent,
  PostConfirmationTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationTriggerEvent,
  ScheduledEvent,
  SecretsManagerRotationEvent,
  SESEvent,
} from 'aws-lambda';
import { base64, isoSeconds, isoTime, jsonOrText, uuid, type SampleContext, type SampleTemplate } from './sample';

function cognitoBase<T extends string>(f: Record<string, string>, ctx: SampleContext, triggerSource: T) {
  return {
    version: '1',
    region: ctx.region,
    userPoolId: `${ctx.region}_${f['user-pool']}`,
    userName: f.username,
    triggerSource,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: f['client-id'] },
  };
}
const COGNITO_FIELDS = {
  'user-pool': 'EXAMPLE',
  username: 'jane',
  email: 'jane@example.com',
  'client-id': '1example23456789',
};
const attributes = (f: Record<string, string>) => ({
  sub: '4a709a36-7d63-4785-829d-4198c8d2a1e5',
  email: f.email,
  email_verified: 'true',
});

function customResource(requestType: 'Create' | 'Update' | 'Delete') {
  return (f: Record<string, string>, ctx: SampleContext): CloudFormationCustomResourceEvent => {
    const stackId = `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${f.stack}/${uuid()}`;
    const base = {
      ServiceToken: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${f.function}`,
      ResponseURL: `https://cloudformation-custom-resource-response-${ctx.region.replace(/-/g, '')}.s3.amazonaws.com/${encodeURIComponent(stackId)}`,
      StackId: stackId,
      RequestId: uuid(),
      LogicalResourceId: f['logical-id'],
      ResourceType: f['resource-type'],
      ResourceProperties: { ServiceToken: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${f.function}` },
    };
    if (requestType === 'Create') return { ...base, RequestType: 'Create' };
    const physical = { PhysicalResourceId: f['physical-id'] };
    if (requestType === 'Update')
      return { ...base, ...physical, RequestType: 'Update', OldResourceProperties: { ...base.ResourceProperties } };
    return { ...base, ...physical, RequestType: 'Delete' };
  };
}
const CFN_FIELDS = {
  stack: 'MyStack',
  function: 'MyCustomResourceFunction',
  'logical-id': 'MyCustomResource',
  'resource-type': 'Custom::MyResource',
  'physical-id': 'my-resource-1',
};

export const SERVICE_SAMPLES: SampleTemplate[] = [
  {
    service: 'eventbridge',
    type: 'scheduled',
    description: 'EventBridge (CloudWatch Events) scheduled event',
    fields: { rule: 'my-schedule' },
    build: (f, ctx): ScheduledEvent => ({
      version: '0',
      id: uuid(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ctx.accountId,
      time: isoSeconds(ctx),
      region: ctx.region,
      resources: [`arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${f.rule}`],
      detail: {},
    }),
  },
  {
    service: 'eventbridge',
    type: 'custom',
    description: 'EventBridge custom event (PutEvents)',
    fields: {
      source: 'com.example.orders',
      'detail-type': 'OrderPlaced',
      detail: '{"orderId":"1234"}',
      bus: 'default',
    },
    build: (f, ctx): EventBridgeEvent<string, unknown> => ({
      version: '0',
      id: uuid(),
      'detail-type': f['detail-type'],
      source: f.source,
      account: ctx.accountId,
      time: isoSeconds(ctx),
      region: ctx.region,
      resources: [],
      detail: jsonOrText(f.detail),
    }),
  },
  {
    service: 'cloudwatch',
    type: 'logs',
    description: 'CloudWatch Logs subscription (awslogs.data is gzipped JSON, base64-encoded)',
    fields: {
      'log-group': '/aws/lambda/example',
      'log-stream': '2026/11/25/[$LATEST]0123456789abcdef',
      message: 'Hello from CloudWatch Logs',
    },
    build: (f, ctx): CloudWatchLogsEvent => {
      const data: CloudWatchLogsDecodedData = {
        messageType: 'DATA_MESSAGE',
        owner: ctx.accountId,
        logGroup: f['log-group'],
        logStream: f['log-stream'],
        subscriptionFilters: ['example-filter'],
        logEvents: [
          {
            id: '3195310660696698337880902507980421114328961542429EXAMPLE',
            timestamp: ctx.now.getTime(),
            message: f.message,
          },
        ],
      };
      return { awslogs: { data: zlib.gzipSync(JSON.stringify(data)).toString('base64') } };
    },
  },
  {
    service: 'cognito',
    type: 'pre-signup',
    description: 'Cognito user pool pre sign-up trigger',
    fields: COGNITO_FIELDS,
    build: (f, ctx): PreSignUpTriggerEvent => ({
      ...cognitoBase(f, ctx, 'PreSignUp_SignUp'),
      request: { userAttributes: { email: f.email }, validationData: {} },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    }),
  },
  {
    service: 'cognito',
    type: 'post-confirmation',
    description: 'Cognito user pool post confirmation trigger',
    fields: COGNITO_FIELDS,
    build: (f, ctx): PostConfirmationTriggerEvent => ({
      ...cognitoBase(f, ctx, 'PostConfirmation_ConfirmSignUp'),
      request: { userAttributes: { ...attributes(f), 'cognito:user_status': 'CONFIRMED' } },
      response: {},
    }),
  },
  {
    service: 'cognito',
    type: 'pre-token-generation',
    description: 'Cognito user pool pre token generation trigger',
    fields: COGNITO_FIELDS,
    build: (f, ctx): PreTokenGenerationTriggerEvent => ({
      ...cognitoBase(f, ctx, 'TokenGeneration_Authentication'),
      request: { userAttributes: attributes(f), groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [] } },
      response: { claimsOverrideDetails: {} } as PreTokenGenerationTriggerEvent['response'],
    }),
  },
  {
    service: 'ses',
    type: 'email-receiving',
    description: 'SES email receiving (Lambda action)',
    fields: { from: 'sender@example.com', to: 'recipient@example.com', subject: 'Test Subject' },
    build: (f, ctx): SESEvent => {
      const messageId = uuid().replace(/-/g, '');
      const pass = { status: 'PASS' as const };
      return {
        Records: [
          {
            eventSource: 'aws:ses',
            eventVersion: '1.0',
            ses: {
              mail: {
                timestamp: isoTime(ctx),
                source: f.from,
                messageId,
                destination: [f.to],
                headersTruncated: false,
                headers: [
                  { name: 'From', value: f.from },
                  { name: 'To', value: f.to },
                  { name: 'Subject', value: f.subject },
                ],
                commonHeaders: {
                  returnPath: f.from,
                  from: [f.from],
                  date: ctx.now.toUTCString(),
                  to: [f.to],
                  messageId: `<${messageId}@example.com>`,
                  subject: f.subject,
                },
              },
              receipt: {
                timestamp: isoTime(ctx),
                processingTimeMillis: 574,
                recipients: [f.to],
                spamVerdict: pass,
                virusVerdict: pass,
                spfVerdict: pass,
                dkimVerdict: pass,
                dmarcVerdict: pass,
                action: {
                  type: 'Lambda',
                  invocationType: 'Event',
                  functionArn: `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:ses-receiver`,
                },
              },
            },
          },
        ],
      };
    },
  },
  {
    service: 'stepfunctions',
    type: 'task',
    description: 'Step Functions task state input (waitForTaskToken: --token)',
    fields: { input: '{"orderId":"1234"}', token: '' },
    build: (f) => {
      const input = jsonOrText(f.input);
      return f.token === '' ? input : { input, taskToken: f.token };
    },
  },
  {
    service: 'appsync',
    type: 'resolver',
    description: 'AppSync direct Lambda resolver',
    fields: { type: 'Query', field: 'getPost', arguments: '{"id":"1"}', username: 'jane' },
    build: (f): AppSyncResolverEvent<Record<string, unknown>> => ({
      arguments: jsonOrText(f.arguments) as Record<string, unknown>,
      identity: {
        sub: '4a709a36-7d63-4785-829d-4198c8d2a1e5',
        issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE',
        username: f.username,
        claims: {},
        sourceIp: ['203.0.113.10'],
        defaultAuthStrategy: 'ALLOW',
        groups: null,
      },
      source: null,
      request: { headers: { host: 'example.appsync-api.us-east-1.amazonaws.com' }, domainName: null },
      info: {
        selectionSetList: ['id', 'title'],
        selectionSetGraphQL: '{\n  id\n  title\n}',
        parentTypeName: f.type,
        fieldName: f.field,
        variables: {},
      },
      prev: null,
      stash: {},
    }),
  },
  {
    service: 'cloudformation',
    type: 'create-request',
    description: 'CloudFormation custom resource Create',
    fields: CFN_FIELDS,
    build: customResource('Create'),
  },
  {
    service: 'cloudformation',
    type: 'update-request',
    description: 'CloudFormation custom resource Update',
    fields: CFN_FIELDS,
    build: customResource('Update'),
  },
  {
    service: 'cloudformation',
    type: 'delete-request',
    description: 'CloudFormation custom resource Delete',
    fields: CFN_FIELDS,
    build: customResource('Delete'),
  },
  {
    service: 'secretsmanager',
    type: 'rotation',
    description: 'Secrets Manager rotation step',
    fields: { secret: 'MySecret', step: 'createSecret' },
    build: (f, ctx): SecretsManagerRotationEvent => ({
      Step: f.step as SecretsManagerRotationEvent['Step'],
      SecretId: `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${f.secret}-AbCdEf`,
      ClientRequestToken: uuid(),
    }),
  },
  {
    service: 'iot',
    type: 'rule',
    description: 'IoT rule action (the message the rule selects)',
    fields: { message: '{"temperature":28,"device":"sensor-1"}' },
    build: (f) => jsonOrText(f.message),
  },
  {
    service: 'iot',
    type: 'custom-authorizer',
    description: 'IoT Core custom authorizer',
    fields: { token: 'allow', username: 'device-1', password: 'secret' },
    build: (f): IoTCustomAuthorizerEvent => ({
      token: f.token,
      signatureVerified: true,
      protocols: ['mqtt'],
      protocolData: {
        tls: { serverName: 'example.iot.us-east-1.amazonaws.com' },
        mqtt: { username: f.username, password: base64(f.password), clientId: 'device-1' },
      },
      connectionMetadata: { id: uuid() },
    }),
  },
];
