// `process.env._X_AMZN_TRACE_ID`, the invocation's X-Ray trace header, changes with every
// invocation. Writing it into the process's real environment would leak: glibc's setenv
// keeps every value it replaces (some 220 bytes per invocation, 4 MB over 20,000). So
// `process.env` becomes a view of the real environment that holds this one variable in
// JavaScript; everything else reads and writes the real environment as before, and a
// child process started with `process.env` still receives the trace id.

const TRACE_ID = '_X_AMZN_TRACE_ID';

let traceId: string | undefined;

/** Sets (or, with undefined, removes) the trace id user code sees in process.env. */
export function setTraceIdVariable(value: string | undefined): void {
  traceId = value;
}

/** Replaces process.env with the view; the variable's current value moves into it. */
export function installTraceIdVariable(): void {
  const env = process.env;
  traceId = env[TRACE_ID];
  delete env[TRACE_ID];
  const descriptor = (): PropertyDescriptor | undefined =>
    traceId === undefined ? undefined : { value: traceId, writable: true, enumerable: true, configurable: true };
  process.env = new Proxy(env, {
    get: (target, key) => (key === TRACE_ID ? traceId : target[key as string]),
    set: (target, key, value) => {
      if (key === TRACE_ID) traceId = String(value);
      else target[key as string] = value;
      return true;
    },
    has: (target, key) => (key === TRACE_ID ? traceId !== undefined : key in target),
    deleteProperty: (target, key) => {
      if (key === TRACE_ID) traceId = undefined;
      else delete target[key as string];
      return true;
    },
    ownKeys: (target) => (traceId === undefined ? Reflect.ownKeys(target) : [...Reflect.ownKeys(target), TRACE_ID]),
    getOwnPropertyDescriptor: (target, key) =>
      key === TRACE_ID ? descriptor() : Reflect.getOwnPropertyDescriptor(target, key),
    defineProperty: (target, key, attributes) => {
      if (key !== TRACE_ID) return Reflect.defineProperty(target, key, attributes);
      traceId = String(attributes.value);
      return true;
    },
  });
}
