// AWS's JSON errors as the Lambda service returns them: status code, the `x-amzn-ErrorType`
// header the SDKs and the AWS CLI read, and a body with `Type` and `message`. A payload over
// the limit is `RequestTooLargeException` (413) in Lambda's API model, the name the SDKs know.

import type { ServerResponse } from 'node:http';

export type LambdaServiceErrorType =
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'RequestTooLargeException'
  | 'InvalidRequestContentException'
  | 'InvalidParameterValueException'
  | 'UnsupportedMediaTypeException'
  | 'ServiceException';

export const SERVICE_ERROR_STATUS: Record<LambdaServiceErrorType, number> = {
  ResourceNotFoundException: 404,
  TooManyRequestsException: 429,
  RequestTooLargeException: 413,
  InvalidRequestContentException: 400,
  InvalidParameterValueException: 400,
  UnsupportedMediaTypeException: 415,
  ServiceException: 500,
};

export function sendServiceError(
  res: ServerResponse,
  errorType: LambdaServiceErrorType,
  message: string,
  requestId: string,
  extra: Record<string, unknown> = {},
): void {
  const body = JSON.stringify({
    Type: errorType === 'ServiceException' ? 'Service' : 'User',
    message,
    ...extra,
  });
  res.writeHead(SERVICE_ERROR_STATUS[errorType], {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-ErrorType': errorType,
    'x-amzn-RequestId': requestId,
  });
  res.end(body);
}
