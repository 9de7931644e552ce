// Errors the Node runtime reports, named as the AWS runtime names them (`Runtime.*`),
// and the two ways an error is written: the JSON body posted to the Runtime API
// ({errorType, errorMessage, trace}) and the log form (`\t{"errorType":…,"stack":[…]}`).

import * as util from 'node:util';
import type { LambdaError } from '../../protocol/engineEvents';

abstract class RuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = `Runtime.${new.target.name}`;
  }
}

export class ImportModuleError extends RuntimeError {}
export class HandlerNotFound extends RuntimeError {}
export class MalformedHandlerName extends RuntimeError {}
export class UserCodeSyntaxError extends RuntimeError {}
export class MalformedStreamingHandler extends RuntimeError {}
export class CallbackHandlerDeprecated extends RuntimeError {}
export class UnhandledPromiseRejection extends RuntimeError {}
export class NodeJsExit extends RuntimeError {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled.',
    );
  }
}

function isErrorLike(value: unknown): value is Error {
  if (util.types.isNativeError(value)) return true;
  const v = value as Partial<Error> | null;
  return !!v && typeof v.name === 'string' && typeof v.message === 'string' && typeof v.stack === 'string';
}

/** The body posted to /invocation/{id}/error and /init/error. */
export function toLambdaError(error: unknown): LambdaError {
  try {
    if (isErrorLike(error)) {
      return {
        errorType: error.name,
        errorMessage: error.message,
        trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/** The error as it appears in a log line after its title, starting with a tab. */
export function toLogFormat(error: unknown): string {
  try {
    return (
      '\t' +
      JSON.stringify(error, (_key, value) => {
        if (value instanceof Error) {
          const withFields: Record<string, unknown> = {
            errorType: value.name,
            errorMessage: value.message,
            code: (value as NodeJS.ErrnoException).code,
            ...value,
          };
          if (typeof value.stack === 'string') withFields.stack = value.stack.split('\n');
          return withFields;
        }
        return value;
      })
    );
  } catch {
    return '\t' + JSON.stringify(toLambdaError(error));
  }
}
