// The `lambda` adapter's error ids: every error response it sends carries one of these,
// stable across versions (as vscode-js-debug's ErrorCodes), so clients and tests can tell
// failures apart by id and users see what to fix in the text.

import { ConfigError } from '../config/functionConfig';

export enum ErrorCodes {
  /** The launch configuration cannot run: no function, a bad template or event, no suitable Node. */
  InvalidLaunch = 1001,
  /** A custom request's arguments cannot be acted on (a bad event, a bad setting). */
  InvalidRequest = 1002,
  /** The engine could not start (its temp folder, the runtime bundle). */
  EngineStartFailed = 1003,
  /** A request that needs the launched function came before it. */
  NotLaunched = 1004,
  /** No live environment for the request (nothing to shut down, a /tmp already gone). */
  NoEnvironment = 1005,
  /** Pausing is done by the JavaScript debugger attached to an environment. */
  PauseNotSupported = 1010,
  /** Anything else a request handler threw: a bug of ours, reported instead of swallowed. */
  InternalError = 1100,
}

/** An error whose response id is known where it is thrown. */
export class AdapterError extends Error {
  constructor(
    readonly code: ErrorCodes,
    message: string,
  ) {
    super(message);
  }
}

/** The id for an error caught while answering a request: its own, a configuration
 * problem's (`fallback`), or an internal error. */
export function errorCodeOf(error: unknown, fallback: ErrorCodes): ErrorCodes {
  if (error instanceof AdapterError) return error.code;
  if (error instanceof ConfigError) return fallback;
  return ErrorCodes.InternalError;
}
