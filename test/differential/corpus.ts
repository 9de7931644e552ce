// The handlers the differential suite runs with both runtime clients: module formats and
// lookup (after the official client's own test/handlers fixtures), and one case per rule
// of the two generations (errors, callbacks, context, responses, process ends). Each case
// is a code root's files, a handler string and an event; both clients get the same.
// `expect` encodes what the official client's source says (read from aws-lambda-ric 3.x and
// 4.x): checked against the official client when it runs, and against ours always, so the
// rules are still tested on a machine where the oracle cannot be built.

/** What is compared, as text: status, JSON response, errorType, errorMessage, next cold. */
export interface Outcome {
  status: string;
  response: string;
  errorType: string;
  errorMessage: string;
  nextCold: string;
  /** Init's and both invocations' log lines (masked: runtimeClients.test.ts `normaliseLog`). */
  logs: string;
}

export interface DifferentialCase {
  name: string;
  files: Record<string, string>;
  handler: string;
  event?: unknown;
  /** The function's own variables (both clients get them). */
  environment?: Record<string, string>;
  expect?: { '3.x'?: Partial<Outcome>; '4.x'?: Partial<Outcome> };
}

const CALLBACK_DEPRECATED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';
const failed = (errorType: string, errorMessage?: string): Partial<Outcome> => ({
  status: 'error',
  errorType,
  ...(errorMessage === undefined ? {} : { errorMessage }),
});
const succeeded = (response: unknown): Partial<Outcome> => ({ status: 'success', response: JSON.stringify(response) });
const exited = (status: number): Partial<Outcome> => ({
  status: 'crash',
  errorType: 'Runtime.ExitError',
  errorMessage: `RequestId: <id> Error: Runtime exited with error: exit status ${status}`,
  nextCold: 'true',
});

const cjs = (body: string) => ({ 'index.js': body });
const esm = (body: string) => ({ 'index.mjs': body });

export const CORPUS: DifferentialCase[] = [
  // Module formats and lookup order (official fixtures: cjsModule, esModule, extensionless, pkg/, pkg-less/, precedence).
  {
    name: 'CommonJS .js',
    files: cjs('exports.handler = async (e) => ({ cjs: e });'),
    handler: 'index.handler',
    event: { a: 1 },
  },
  { name: 'ES module .mjs', files: esm('export const handler = async () => "mjs";'), handler: 'index.handler' },
  {
    name: 'extensionless CommonJS',
    files: { app: 'module.exports.handler = async () => "ext";' },
    handler: 'app.handler',
  },
  {
    name: 'extensionless ES module',
    files: { app: 'export const handler = async () => "fails";' },
    handler: 'app.handler',
  },
  { name: '.cjs', files: { 'app.cjs': 'exports.handler = async () => "cjs";' }, handler: 'app.handler' },
  {
    name: 'ESM syntax in .cjs',
    files: { 'app.cjs': 'export const handler = async () => "x";' },
    handler: 'app.handler',
  },
  {
    name: 'CommonJS syntax in .mjs',
    files: { 'app.mjs': 'module.exports.handler = async () => "x";' },
    handler: 'app.handler',
  },
  {
    name: '"type": "module" .js',
    files: { 'pkg/package.json': '{"type":"module"}', 'pkg/app.js': 'export const handler = async () => "esm-js";' },
    handler: 'pkg/app.handler',
  },
  {
    name: 'CommonJS .js in a "type": "module" folder',
    files: { 'pkg/package.json': '{"type":"module"}', 'pkg/app.js': 'exports.handler = async () => "cjs";' },
    handler: 'pkg/app.handler',
  },
  {
    name: 'extensionless CommonJS in a "type": "module" folder',
    files: { 'pkg/package.json': '{"type":"module"}', 'pkg/cjs': 'module.exports.handler = async () => "cjs";' },
    handler: 'pkg/cjs.handler',
    expect: { '3.x': succeeded('cjs'), '4.x': failed('ReferenceError', 'module is not defined in ES module scope') },
  },
  {
    name: '.js wins over .mjs',
    files: { 'app.js': 'exports.handler = async () => "js";', 'app.mjs': 'export const handler = async () => "mjs";' },
    handler: 'app.handler',
  },
  {
    name: '.mjs wins over .cjs',
    files: {
      'app.mjs': 'export const handler = async () => "mjs";',
      'app.cjs': 'exports.handler = async () => "cjs";',
    },
    handler: 'app.handler',
  },
  {
    name: 'interop: extensionless wins over .js',
    files: { app: 'module.exports.handler = async () => "ext";', 'app.js': 'exports.handler = async () => "js";' },
    handler: 'app.handler',
  },
  {
    name: 'interop: ES module imports CommonJS',
    files: {
      'app.mjs': 'import c from "./lib.cjs";\nexport const handler = async () => c.v;',
      'lib.cjs': 'module.exports = { v: "cjs" };',
    },
    handler: 'app.handler',
  },
  {
    name: 'interop: CommonJS imports an ES module',
    files: {
      'app.js': 'exports.handler = async () => (await import("./lib.mjs")).v;',
      'lib.mjs': 'export const v = "esm";',
    },
    handler: 'app.handler',
  },
  {
    name: 'interop: CommonJS requires an ES module',
    files: {
      'app.js': 'const m = require("./lib.mjs");\nexports.handler = async () => m.v;',
      'lib.mjs': 'export const v = "esm";',
    },
    handler: 'app.handler',
  },
  {
    name: 'interop: ES module syntax in .js with no package.json',
    files: { 'app.js': 'export const handler = async () => "detected";' },
    handler: 'app.handler',
  },
  {
    name: 'interop: module.exports is an object with a plain function',
    files: cjs('module.exports = { handler: function (e, c) { return Promise.resolve("obj"); } };'),
    handler: 'index.handler',
  },
  {
    name: 'nested export',
    files: cjs('exports.api = { v1: { run: async () => "nested" } };'),
    handler: 'index.api.v1.run',
  },
  {
    name: 'export default object',
    files: esm('export default { handler: async () => "default" };'),
    handler: 'index.handler',
    expect: { '3.x': failed('Runtime.HandlerNotFound'), '4.x': succeeded('default') },
  },
  {
    name: 'top-level await',
    files: esm(
      'const v = await new Promise((r) => setTimeout(() => r("ready"), 20));\nexport const handler = async () => v;',
    ),
    handler: 'index.handler',
  },
  { name: 'handler file missing', files: cjs('exports.other = 1;'), handler: 'nothere.handler' },
  { name: 'export missing', files: cjs('exports.other = async () => 1;'), handler: 'index.handler' },
  { name: 'export not a function', files: cjs('exports.handler = 42;'), handler: 'index.handler' },
  { name: 'syntax error', files: cjs('exports.handler = async () => {'), handler: 'index.handler' },
  {
    name: 'CommonJS require of a missing module',
    files: cjs('require("./missing");\nexports.handler = async () => 1;'),
    handler: 'index.handler',
    expect: { '3.x': failed('Runtime.ImportModuleError'), '4.x': failed('Runtime.ImportModuleError') },
  },
  {
    name: 'ES import of a missing file',
    files: esm('import "./missing.mjs";\nexport const handler = async () => 1;'),
    handler: 'index.handler',
    expect: {
      '3.x': failed('Error', "Cannot find module '<root>/missing.mjs' imported from <root>/index.mjs"),
      '4.x': failed('Error', "Cannot find module '<root>/missing.mjs' imported from <root>/index.mjs"),
    },
  },
  { name: 'bad handler string', files: cjs('exports.handler = async () => 1;'), handler: 'index' },
  {
    name: 'handler string with ..',
    files: { 'a/index.js': 'exports.handler = async () => 1;' },
    handler: 'a/../a/index.handler',
  },
  {
    name: 'top-level await rejects',
    files: esm('await Promise.reject(new Error("init reject"));\nexport const handler = async () => 1;'),
    handler: 'index.handler',
  },
  {
    name: 'unhandled rejection during init',
    files: cjs('Promise.reject(new Error("init unhandled"));\nexports.handler = async () => 1;'),
    handler: 'index.handler',
  },
  {
    name: 'uncaught exception in a timer during init',
    files: cjs('setTimeout(() => { throw new Error("init timer"); }, 0);\nexports.handler = async () => 1;'),
    handler: 'index.handler',
  },
  { name: 'init throws', files: cjs('throw new TypeError("init failed");'), handler: 'index.handler' },

  // Handler shapes: sync, callbacks, context methods.
  {
    name: 'sync handler returns a value',
    files: cjs('exports.handler = (e) => 42;'),
    handler: 'index.handler',
    expect: { '3.x': succeeded(null), '4.x': succeeded(42) },
  },
  {
    name: 'sync handler returns a promise',
    files: cjs('exports.handler = (e) => Promise.resolve(5);'),
    handler: 'index.handler',
  },
  {
    name: 'callback handler',
    files: cjs('exports.handler = (e, c, cb) => cb(null, "cb");'),
    handler: 'index.handler',
    expect: { '3.x': succeeded('cb'), '4.x': failed('Runtime.CallbackHandlerDeprecated', CALLBACK_DEPRECATED) },
  },
  {
    name: 'callback handler error',
    files: cjs('exports.handler = (e, c, cb) => cb(new Error("cb-err"));'),
    handler: 'index.handler',
  },
  {
    name: 'async handler with three parameters',
    files: cjs('exports.handler = async (e, c, cb) => "three";'),
    handler: 'index.handler',
    expect: { '3.x': succeeded('three'), '4.x': failed('Runtime.CallbackHandlerDeprecated', CALLBACK_DEPRECATED) },
  },
  {
    name: 'context.succeed',
    files: cjs('exports.handler = (e, c) => { c.succeed("s"); };'),
    handler: 'index.handler',
    expect: { '3.x': succeeded('s'), '4.x': failed('TypeError', 'c.succeed is not a function') },
  },
  {
    name: 'context.fail',
    files: cjs('exports.handler = (e, c) => { c.fail(new Error("f")); };'),
    handler: 'index.handler',
  },
  {
    name: 'context.done',
    files: cjs('exports.handler = (e, c) => { c.done(null, "d"); };'),
    handler: 'index.handler',
    expect: { '3.x': succeeded('d'), '4.x': failed('TypeError', 'c.done is not a function') },
  },
  {
    name: 'context fields',
    files: cjs(
      'exports.handler = async (e, c) => Object.keys(c).filter((k) => !["getRemainingTimeInMillis"].includes(k)).sort()' +
        '.map((k) => k + ":" + typeof c[k]);',
    ),
    handler: 'index.handler',
  },
  {
    name: 'callbackWaitsForEmptyEventLoop',
    files: cjs('exports.handler = async (e, c) => typeof c.callbackWaitsForEmptyEventLoop;'),
    handler: 'index.handler',
    expect: { '3.x': succeeded('boolean'), '4.x': succeeded('undefined') },
  },

  // Errors and how they are written.
  {
    name: 'async throws Error',
    files: cjs('exports.handler = async () => { throw new RangeError("out"); };'),
    handler: 'index.handler',
  },
  {
    name: 'error name and message with DEL',
    files: cjs(
      'exports.handler = async () => { const e = new Error("bad\\x7Fmessage"); e.name = "Bad\\x7FType"; throw e; };',
    ),
    handler: 'index.handler',
    expect: {
      '3.x': { ...failed('Bad%7FType', 'bad%7Fmessage'), nextCold: 'false' },
      '4.x': { ...failed('Bad%7FType', 'bad%7Fmessage'), nextCold: 'false' },
    },
  },
  {
    name: 'async throws null',
    files: cjs('exports.handler = async () => { throw null; };'),
    handler: 'index.handler',
    expect: { '3.x': failed('string', 'handled'), '4.x': failed('object', 'null') },
  },
  {
    name: 'async throws undefined',
    files: cjs('exports.handler = async () => { throw undefined; };'),
    handler: 'index.handler',
    expect: { '3.x': failed('string', 'handled'), '4.x': failed('undefined', 'undefined') },
  },
  {
    name: 'async throws a plain object',
    files: cjs('exports.handler = async () => { throw { code: 7 }; };'),
    handler: 'index.handler',
    expect: { '3.x': failed('object', '[object Object]'), '4.x': failed('object', '[object Object]') },
  },
  {
    name: 'async throws a string',
    files: cjs('exports.handler = async () => { throw "str"; };'),
    handler: 'index.handler',
  },
  {
    name: 'sync throws null',
    files: cjs('exports.handler = (e, c) => { throw null; };'),
    handler: 'index.handler',
    expect: { '3.x': succeeded(null), '4.x': failed('object', 'null') },
  },
  {
    name: 'sync throws Error',
    files: cjs('exports.handler = (e, c) => { throw new Error("sync"); };'),
    handler: 'index.handler',
  },
  {
    name: 'async throws an error-like object',
    files: cjs(
      'exports.handler = async () => { throw { name: "LikeError", message: "like", stack: "LikeError: like" }; };',
    ),
    handler: 'index.handler',
    expect: { '3.x': failed('LikeError', 'like'), '4.x': failed('object', '[object Object]') },
  },
  {
    name: 'async throws an error of another realm',
    files: cjs(
      'const vm = require("vm");\nexports.handler = async () => { throw vm.runInNewContext("new RangeError(\'realm\')"); };',
    ),
    handler: 'index.handler',
    expect: { '3.x': failed('RangeError', 'realm'), '4.x': failed('object', 'RangeError: realm') },
  },
  {
    name: 'context.fail with no error',
    files: cjs('exports.handler = (e, c) => { c.fail(); };'),
    handler: 'index.handler',
    expect: { '3.x': failed('string', 'handled'), '4.x': failed('TypeError', 'c.fail is not a function') },
  },
  {
    name: 'callback called twice',
    files: cjs('exports.handler = (e, c, cb) => { cb(null, "first"); cb(null, "second"); };'),
    handler: 'index.handler',
  },
  {
    name: 'async rejects with no reason',
    files: cjs('exports.handler = () => Promise.reject();'),
    handler: 'index.handler',
    expect: { '3.x': failed('string', 'handled'), '4.x': failed('undefined', 'undefined') },
  },

  // Responses.
  { name: 'undefined response', files: cjs('exports.handler = async () => undefined;'), handler: 'index.handler' },
  {
    name: 'circular response',
    files: cjs('exports.handler = async () => { const o = {}; o.o = o; return o; };'),
    handler: 'index.handler',
    expect: {
      '3.x': failed('Error', 'Unable to stringify response body'),
      '4.x': failed('Runtime.JSONStringifyError', 'Unable to stringify response body'),
    },
  },
  {
    name: 'callback with a circular response',
    files: cjs('exports.handler = (e, c, cb) => { const o = {}; o.o = o; cb(null, o); };'),
    handler: 'index.handler',
    expect: {
      '3.x': {
        status: 'crash',
        errorType: 'Error',
        errorMessage: 'Unable to stringify response body',
        nextCold: 'true',
      },
      '4.x': failed('Runtime.CallbackHandlerDeprecated', CALLBACK_DEPRECATED),
    },
  },
  {
    name: 'context.succeed with a circular response',
    files: cjs('exports.handler = (e, c) => { const o = {}; o.o = o; c.succeed(o); };'),
    handler: 'index.handler',
  },
  {
    name: 'BigInt response',
    files: cjs('exports.handler = async () => ({ n: 1n });'),
    handler: 'index.handler',
    expect: {
      '3.x': failed('Error', 'Unable to stringify response body'),
      '4.x': failed('Runtime.JSONStringifyError', 'Unable to stringify response body'),
    },
  },
  { name: 'string response', files: cjs('exports.handler = async () => "plain";'), handler: 'index.handler' },

  // Response streaming (exempt from the 4.x refusal of three parameters).
  {
    name: 'streaming handler',
    files: esm(
      'export const handler = awslambda.streamifyResponse(async (e, stream, context) => { stream.write("a"); stream.end(context.functionName ? "b" : "?"); });',
    ),
    handler: 'index.handler',
  },
  {
    name: 'streaming handler that is not async',
    files: esm('export const handler = awslambda.streamifyResponse((e, stream) => { stream.end("x"); });'),
    handler: 'index.handler',
  },
  {
    name: 'streaming handler that throws',
    files: esm(
      'export const handler = awslambda.streamifyResponse(async () => { throw new TypeError("stream-err"); });',
    ),
    handler: 'index.handler',
  },

  // Ends of the runtime.
  {
    name: 'never-settling promise',
    files: cjs('exports.handler = async () => new Promise(() => {});'),
    handler: 'index.handler',
    expect: { '4.x': exited(0) },
  },
  {
    name: 'unhandled rejection',
    files: cjs('exports.handler = async () => { Promise.reject(new Error("late")); return "ok"; };'),
    handler: 'index.handler',
    expect: {
      '3.x': {
        status: 'crash',
        errorType: 'Runtime.UnhandledPromiseRejection',
        errorMessage: 'Error: late',
        nextCold: 'true',
      },
      '4.x': exited(1),
    },
  },
  {
    name: 'uncaught exception in a timer',
    files: cjs(
      'exports.handler = async () => { setTimeout(() => { throw new Error("boom"); }, 0); await new Promise((r) => setTimeout(r, 50)); return "x"; };',
    ),
    handler: 'index.handler',
    expect: {
      '3.x': { status: 'crash', errorType: 'Error', errorMessage: 'boom', nextCold: 'true' },
      '4.x': exited(1),
    },
  },
  {
    name: 'sync handler leaves a timer',
    files: cjs('let n = 0;\nexports.handler = (e) => { setTimeout(() => n++, 30); };'),
    handler: 'index.handler',
  },

  // The function's log (compared as text, ids and times masked).
  {
    name: 'console levels and formats',
    files: cjs(
      [
        'console.log("at init");',
        'exports.handler = async () => {',
        '  console.log("a %s %d %j", "b", 7, { j: 1 });',
        '  console.info({ nested: [1, { deep: { deeper: { deepest: true } } }], s: "q" });',
        '  console.warn("warned", 1);',
        '  console.error("errored");',
        '  console.debug("debugged");',
        '  console.trace("traced");',
        '  console.log("two\\nlines");',
        '  console.log();',
        '  return "ok";',
        '};',
      ].join('\n'),
    ),
    handler: 'index.handler',
  },
  {
    name: 'console.error of errors',
    files: cjs(
      [
        'exports.handler = async () => {',
        '  console.error(new TypeError("logged"));',
        '  const withFields = Object.assign(new Error("fields"), { code: "E_CODE", detail: { n: 1 } });',
        '  console.log("with", withFields);',
        '  console.warn({ error: new RangeError("inside") });',
        '  return "ok";',
        '};',
      ].join('\n'),
    ),
    handler: 'index.handler',
  },
  {
    name: 'process.stdout and stderr writes',
    files: cjs(
      'exports.handler = async () => { process.stdout.write("raw out\\n"); process.stderr.write("raw err\\n"); return "ok"; };',
    ),
    handler: 'index.handler',
  },
  {
    name: 'JSON log format',
    files: cjs(
      [
        'console.info("at init");',
        'exports.handler = async () => {',
        '  console.log("a %s", "b");',
        '  console.debug("below the level");',
        '  console.warn({ k: "v" });',
        '  console.error(new TypeError("logged"));',
        '  console.error("with", new Error("x"));',
        '  return "ok";',
        '};',
      ].join('\n'),
    ),
    handler: 'index.handler',
    environment: { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'INFO' },
  },
];
