// Console output in Lambda's text format (`<ISO time>\t<request id>\t<LEVEL>\t<message>`,
// newlines inside a message folded to \r as the AWS runtime does) or, with
// AWS_LAMBDA_LOG_FORMAT=JSON, Lambda's JSON records (jsonLog.ts) filtered by
// AWS_LAMBDA_LOG_LEVEL; and raw
// process.stdout/stderr writes, all sent over the control channel so that they reach
// the engine in order with the end of each phase. The request id is `undefined` during
// Init, as on Lambda.

import { fileURLToPath } from 'node:url';
import * as util from 'node:util';
import type { SourceSite } from '../../protocol/sandbox';
import { send } from './controlChannel';
import { jsonLogFormat, LOG_LEVELS, type Level } from './jsonLog';
import { intoError, toLogFormat } from './errors';
import { isGeneration4 } from './generation';
import { withRealPaths } from './lambdaPaths';

let currentRequestId: string | undefined;

export function setCurrentRequestId(requestId: string | undefined): void {
  currentRequestId = requestId;
}

const json = jsonLogFormat(process.env.AWS_LAMBDA_LOG_FORMAT, process.env.AWS_LAMBDA_LOG_LEVEL);

/** 4.x writes `-` for the request id outside an invocation (3.x: `undefined`, and no
 * requestId field in JSON records). */
const noRequestId = isGeneration4 ? '-' : undefined;

function formatLine(level: Level, args: unknown[]): string {
  const requestId = currentRequestId ?? noRequestId;
  if (json) return json.record(level, requestId, args);
  // The runtime client formats its first parameter always: `console.log()` writes `undefined`.
  const message = util.format(...(args.length === 0 ? [undefined] : args)).replace(/\n/g, '\r');
  return `${new Date().toISOString()}\t${requestId}\t${level}\t${message}\n`;
}

function write(stream: 'stdout' | 'stderr', text: string, site?: SourceSite): void {
  send(site ? { t: 'out', stream, text, site } : { t: 'out', stream, text });
}

/** Debugging: the user's line that called `from` (a console method), from V8's stack
 * (TypeScript through its source map, once source maps are on); undefined for our own
 * code and Node's. */
function callSite(from: (...args: unknown[]) => void): SourceSite | undefined {
  // The file as the debugger knows it (its real path), not as the function's stacks name it.
  const holder: { stack?: string } = withRealPaths({});
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(holder, from);
  Error.stackTraceLimit = limit;
  const frame = holder.stack?.split('\n')[1] ?? '';
  const match = /(?:\(|at )((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?$/.exec(frame);
  if (!match) return undefined;
  let file = match[1];
  try {
    if (file.startsWith('file:')) file = fileURLToPath(file);
  } catch {
    return undefined;
  }
  return { file, line: Number(match[2]), column: Number(match[3]) };
}

/** Logs an error as the runtime itself does (`Invoke Error`, `Uncaught Exception`, 4.x's
 * `Init Error`): through the console's ERROR level, the value made an Error first as the
 * runtime client does (a thrown string, null or plain object becomes `new Error(…)`); the
 * text format writes the title and the error's JSON, the JSON format the error alone. */
export function logRuntimeError(title: string, error: unknown): void {
  const asError = intoError(error);
  write('stdout', formatLine('ERROR', json ? [asError] : [title, toLogFormat(asError)]));
}

export function patchConsole(callSites = false): void {
  // Only here: an attached debugger's console would show each line a second time, beside
  // the Lambda-formatted one the session prints.
  // As Lambda's runtime does, a level below AWS_LAMBDA_LOG_LEVEL (JSON format) writes nothing.
  const enabled = (level: Level) => !json || LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(json.minimum);
  const patch = (name: 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace', level: Level) => {
    const log = (...args: unknown[]) =>
      write('stdout', formatLine(level, args), callSites ? callSite(log as (...a: unknown[]) => void) : undefined);
    console[name] = enabled(level) ? log : () => undefined;
  };
  patch('log', 'INFO');
  patch('info', 'INFO');
  patch('warn', 'WARN');
  patch('error', 'ERROR');
  patch('debug', 'DEBUG');
  patch('trace', 'TRACE');
  (console as unknown as { fatal: (...a: unknown[]) => void }).fatal = (...args: unknown[]) => {
    if (enabled('FATAL')) write('stdout', formatLine('FATAL', args));
  };

  for (const stream of ['stdout', 'stderr'] as const) {
    const target = process[stream];
    target.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const text =
        typeof chunk === 'string'
          ? chunk
          : Buffer.from(chunk as Uint8Array).toString(
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            );
      write(stream, text);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    }) as typeof target.write;
  }
}
