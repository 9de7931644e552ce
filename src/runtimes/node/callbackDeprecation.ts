// What each runtime client generation says of a callback-style handler `(event, context,
// callback)`: 4.x refuses any non-streaming handler declaring three or more parameters
// (Runtime.CallbackHandlerDeprecated, at Init); 3.x runs it, and since the public client's
// main branch of August 2025 (after npm's 3.3.0), which Lambda's nodejs18.x–22.x follow,
// warns once at Init unless AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING is set.

import { CallbackHandlerDeprecated } from './errors';
import type { HandlerMetadata } from './handlerLoader';

export const CALLBACK_HANDLER_REFUSED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

export const CALLBACK_HANDLER_WARNING =
  'AWS Lambda plans to remove support for callback-based function handlers starting with Node.js 24. You will need to update this function to use an async handler to use Node.js 24 or later. For more information and to provide feedback on this change, see https://github.com/aws/aws-lambda-nodejs-runtime-interface-client/issues/137. To disable this warning, set the AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING environment variable.';

/** 4.x (or a runtime without callback handlers): throws for a callback-style handler. */
export function refuseCallbackHandler(metadata: HandlerMetadata): void {
  if (!metadata.streaming && metadata.argsNum >= 3) throw new CallbackHandlerDeprecated(CALLBACK_HANDLER_REFUSED);
}

/** 3.x: a plain (not async, not streaming) function of exactly three parameters gets the
 * warning, through the patched console (a WARN line of the Init phase). */
export function warnOfCallbackHandler(metadata: HandlerMetadata): void {
  if (process.env.AWS_LAMBDA_NODEJS_DISABLE_CALLBACK_WARNING !== undefined) return;
  if (metadata.argsNum === 3 && !metadata.isAsync && !metadata.streaming) console.warn(CALLBACK_HANDLER_WARNING);
}
