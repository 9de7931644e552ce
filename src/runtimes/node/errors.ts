// Errors the Node runtime reports, named as the AWS runtime names them (`Runtime.*`),
// and the two ways an error is written: the JSON body posted to the Runtime API
// ({errorType, errorMessage, trace}) and the log form (`\t{"errorType":…,"stack":[…]}`).

import * as util from 'node:util';
import type { LambdaError } from '../../protocol/engineEvents';
import { isGeneration4 } from './generation';

abstract class RuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // An own field of 4.x's errors (their logged JSON shows it), not of 3.x's.
    Object.defineProperty(this, 'name', {
      value: `Runtime.${new.target.name}`,
      enumerable: isGeneration4,
      writable: true,
      configurable: true,
    });
  }
}

export class ImportModuleError extends RuntimeError {}
export class HandlerNotFound extends RuntimeError {}
export class MalformedHandlerName extends RuntimeError {}
export class UserCodeSyntaxError extends RuntimeError {}
export class MalformedStreamingHandler extends RuntimeError {}
export class CallbackHandlerDeprecated extends RuntimeError {}
export class UnhandledPromiseRejection extends RuntimeError {}
/** 4.x: a response JSON.stringify cannot write (circular, BigInt). */
export class JSONStringifyError extends RuntimeError {
  constructor() {
    super('Unable to stringify response body');
  }
}
export class NodeJsExit extends RuntimeError {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes',
    );
  }
}

/** The error a response that cannot be serialised becomes: 3.x a plain Error, 4.x its own type. */
export function unableToStringify(): Error {
  return isGeneration4 ? new JSONStringifyError() : new Error('Unable to stringify response body');
}

/** 3.x: a native error, or an object whose name, message and stack are non-empty strings. */
function isErrorLike(value: unknown): value is Error {
  if (util.types.isNativeError(value)) return true;
  const v = value as Partial<Error> | null;
  return (
    !!v &&
    !!v.name &&
    !!v.message &&
    !!v.stack &&
    typeof v.name === 'string' &&
    typeof v.message === 'string' &&
    typeof v.stack === 'string'
  );
}

/** DEL is not allowed in an HTTP header: the runtime client writes it as `%7F` in the type,
 * the message and the trace alike. */
const escapeDel = (text: string): string => text.replaceAll('\x7F', '%7F');

/** A thrown value as the runtime client logs it: an Error as it is, anything else wrapped
 * (3.x: null and undefined as 'handled', as its callback context reports them). */
export function intoError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (isGeneration4) return new Error(String(error));
  return new Error(error === null || error === undefined ? 'handled' : (error as string));
}

/** The body posted to /invocation/{id}/error and /init/error, as the runtime client of this
 * generation writes it (thrown null, undefined and plain objects included). */
export function toLambdaError(error: unknown): LambdaError {
  try {
    if (isGeneration4) {
      if (error instanceof Error) {
        return {
          errorType: escapeDel(error.name),
          errorMessage: escapeDel(error.message),
          trace: typeof error.stack === 'string' ? escapeDel(error.stack).split('\n') : [],
        };
      }
      return { errorType: typeof error, errorMessage: String(error), trace: [] };
    }
    if (isErrorLike(error)) {
      // A native error whose stack is not a string fails as in the 3.x client: 'handled'.
      return {
        errorType: escapeDel(error.name),
        errorMessage: escapeDel(error.message),
        trace: escapeDel(error.stack as string).split('\n'),
      };
    }
    // `toString()` as the 3.x client calls it: null and undefined land in 'handled' below.
    return { errorType: typeof error, errorMessage: (error as { toString(): string }).toString(), trace: [] };
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
