// The Lambda Runtime API and Extensions API as served by each execution environment on
// 127.0.0.1: paths and headers, shared by the engine's server and our Node runtime client.

export const RUNTIME_API_PREFIX = '/2018-06-01/runtime';
export const EXTENSION_API_PREFIX = '/2020-01-01/extension';

export const RuntimePaths = {
  next: `${RUNTIME_API_PREFIX}/invocation/next`,
  response: (requestId: string) => `${RUNTIME_API_PREFIX}/invocation/${requestId}/response`,
  error: (requestId: string) => `${RUNTIME_API_PREFIX}/invocation/${requestId}/error`,
  initError: `${RUNTIME_API_PREFIX}/init/error`,
} as const;

export const ExtensionPaths = {
  register: `${EXTENSION_API_PREFIX}/register`,
  next: `${EXTENSION_API_PREFIX}/event/next`,
  initError: `${EXTENSION_API_PREFIX}/init/error`,
  exitError: `${EXTENSION_API_PREFIX}/exit/error`,
} as const;

/** Lambda's container credentials endpoint on the Runtime API's address, named by
 * AWS_CONTAINER_CREDENTIALS_FULL_URI; the SDKs send AWS_CONTAINER_AUTHORIZATION_TOKEN as the
 * Authorization header and get {AccessKeyId, SecretAccessKey, Token, Expiration}. */
export const CREDENTIALS_PATH = '/2021-04-23/credentials';

/** Header names, lower-case as Node delivers them. */
export const Headers = {
  requestId: 'lambda-runtime-aws-request-id',
  deadlineMs: 'lambda-runtime-deadline-ms',
  invokedFunctionArn: 'lambda-runtime-invoked-function-arn',
  traceId: 'lambda-runtime-trace-id',
  clientContext: 'lambda-runtime-client-context',
  cognitoIdentity: 'lambda-runtime-cognito-identity',
  tenantId: 'lambda-runtime-aws-tenant-id',
  functionErrorType: 'lambda-runtime-function-error-type',
  functionErrorBody: 'lambda-runtime-function-error-body',
  responseMode: 'lambda-runtime-function-response-mode',
  extensionName: 'lambda-extension-name',
  extensionIdentifier: 'lambda-extension-identifier',
  extensionFunctionError: 'lambda-extension-function-error-type',
} as const;

/** Events an extension receives from /event/next. */
export type ExtensionEvent =
  | {
      eventType: 'INVOKE';
      deadlineMs: number;
      requestId: string;
      invokedFunctionArn: string;
      tracing: { type: 'X-Amzn-Trace-Id'; value: string };
    }
  | { eventType: 'SHUTDOWN'; shutdownReason: 'SPINDOWN' | 'TIMEOUT' | 'FAILURE'; deadlineMs: number };
