// The Lambda phases as a debugger sees them: when a phase breakpoint is on, the runtime
// stops here, at a `debugger` statement of this small file, just before the function's
// own code runs. Step Into (F11) from the stop enters your module's top level (Init),
// your handler (Invoke) or your SIGTERM listeners (Shutdown); the runtime's other files
// are skipped by the debugger. Bundled on its own so its name in the Call Stack says
// what it is.
/* eslint-disable no-debugger -- the phase stops are these debugger statements */

/** Init phase: Step Into (F11) runs your module's top-level code. */
export function lambdaInitPhase<T>(loadYourModule: () => T): T {
  debugger; // Lambda Init phase: Step Into (F11) to enter your module's top level.
  return loadYourModule();
}

/** Invoke phase: Step Into (F11) enters your handler. */
export function lambdaInvokePhase<T>(callYourHandler: () => T): T {
  debugger; // Lambda Invoke phase: Step Into (F11) to enter your handler.
  return callYourHandler();
}

/** Shutdown phase: runs first among the SIGTERM listeners; Step Into (F11) goes on to yours. */
export function lambdaShutdownPhase(): void {
  debugger; // Lambda Shutdown phase: Step Into (F11) to enter your SIGTERM listeners.
}
