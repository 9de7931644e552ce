// Entry point of the Node runtime inside an execution environment's process (our
// counterpart of /var/runtime/index.mjs). It sets up the sandbox before any user code
// runs, waits at the control channel until the engine starts the Init phase (so a
// process can be started ahead of need), loads the handler, then loops: freeze until
// thawed, ask the Runtime API for the next event, run it, post the outcome.

import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SANDBOX_SETTINGS_VARIABLE, SandboxSettings } from '../../protocol/sandbox';
import { onEngineGone, send, waitForMessage } from './controlChannel';
import { logRuntimeError, patchConsole, setCurrentRequestId } from './logPatch';
import { installFilesystemSandbox } from './sandboxFs';
import { initStop, invokeStop, shutdownStop } from './phases';
import { keepRuntimeWarningsOutOfLog } from './runtimeWarnings';
import { showLambdaPaths } from './lambdaPaths';
import { installTraceIdVariable } from './traceIdVariable';
import { peekOwnWorkMs, takeOwnWorkMs, useTypescriptCache } from './typescript';
import { useRuntimeModules } from './runtimeModules';
import { peakRssBytes } from './peakMemory';
import { PendingWorkTracker, asRuntimeWork } from './pendingWork';
import { RuntimeClient } from './runtimeClient';
import {
  HANDLER_HIGHWATERMARK,
  HANDLER_STREAMING,
  handlerMetadata,
  loadHandler,
  type HandlerMetadata,
  type UserHandler,
} from './handlerLoader';
import { UnhandledPromiseRejection, toLambdaError } from './errors';
import { refuseCallbackHandler, warnOfCallbackHandler } from './callbackDeprecation';
import { installAwsLambdaGlobal, runInvocation } from './invocation';
import { isGeneration4 } from './generation';
import { ModuleStateReader } from './moduleState';
import { Headers as H } from '../../protocol/runtimeApi';
import { applyVariableUpdate } from './variableUpdates';
import { InitProfiler } from './initProfile';
import { PauseWatch } from './pauseWatch';

const settings = JSON.parse(process.env[SANDBOX_SETTINGS_VARIABLE] ?? 'null') as SandboxSettings | null;
if (!settings) {
  process.stderr.write(
    'This is the Lambda Lifecycle Debugger runtime; it runs inside an execution environment only.\n',
  );
  process.exit(2);
}
delete process.env[SANDBOX_SETTINGS_VARIABLE];

onEngineGone(() => {
  fs.rmSync(settings.environmentDir, { recursive: true, force: true });
  // The engine's own folder goes too once its last environment is gone.
  fs.rmdirSync(path.dirname(settings.environmentDir));
});
installTraceIdVariable();
useTypescriptCache(settings.cacheDir, settings.esbuildDir);
useRuntimeModules(settings.runtimeModules);
// Debugging: each console line carries its call site, for the Debug Console's link.
patchConsole(settings.inspect === true);
installFilesystemSandbox({
  tmpDir: settings.tmpDir,
  tmpCapBytes: settings.tmpCapBytes,
  readOnly: settings.readOnly,
  layers: settings.layers,
  hostPaths: [
    process.env.LAMBDA_TASK_ROOT ?? process.cwd(),
    // The extension's own install folder (dist/ and node_modules/, e.g. esbuild).
    path.resolve(__dirname, '..', '..', '..'),
    path.dirname(settings.environmentDir),
    ...(settings.cacheDir ? [settings.cacheDir] : []),
    ...(settings.runtimeModules ? [settings.runtimeModules.dir] : []),
    ...settings.layers,
    ...(process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean),
  ],
});
// What the function reads names Lambda's folders (Node has read the real NODE_PATH by now).
showLambdaPaths(settings.lambdaPaths ?? []);
if (settings.nodePath) process.env.NODE_PATH = settings.nodePath;
keepRuntimeWarningsOutOfLog(__dirname);
// Names on globalThis before any user code: what user code adds later is its state.
const stateReader = settings.captureModuleState
  ? new ModuleStateReader([...Object.getOwnPropertyNames(globalThis), 'awslambda'])
  : null;
let loadedHandler: unknown = null;
const tracker = settings.trackPendingWork ? new PendingWorkTracker(__filename) : null;
const initProfile = settings.initProfile ? new InitProfiler() : null;
const client = new RuntimeClient(process.env.AWS_LAMBDA_RUNTIME_API ?? '');

/** The invocation running now; null during Init. */
let currentRequestId: string | null = null;

/** Set once a fatal error has been reported: the runtime asks for no more events. */
let ending = false;

function fatal(title: string, error: unknown, exitCode: number | 'rejected'): void {
  ending = true;
  client.stop();
  logRuntimeError(title, error);
  const body = toLambdaError(error);
  // 4.x's Init failure ends as its rejected start-up promise does: Node prints the error
  // (stderr) and exits with status 1.
  const end = () => (exitCode === 'rejected' ? void Promise.reject(error) : process.exit(exitCode));
  client.postError(currentRequestId, body, true).then(end, end);
}

// 3.x reports an uncaught exception or unhandled rejection as the invocation's error and
// exits; 4.x installs no handlers, so Node's default ends the runtime (exit status 1) and
// the invocation fails with Runtime.ExitError.
if (!isGeneration4) {
  process.on('uncaughtException', (error) => fatal('Uncaught Exception', error, 129));
  process.on('unhandledRejection', (reason, promise) => {
    // As the 3.x client: the reason and the promise ride along as fields of the error.
    const error = Object.assign(
      new UnhandledPromiseRejection(String(reason instanceof Error ? `${reason.name}: ${reason.message}` : reason)),
      { reason, promise },
    );
    fatal('Unhandled Promise Rejection', error, 128);
  });
}

/** Milliseconds the current invocation spent paused in a debugger (not counted by Lambda's clock). */
function pausedMs(): number {
  if (!settings!.pausedClockFile) return 0;
  try {
    return Number(fs.readFileSync(settings!.pausedClockFile, 'utf8')) || 0;
  } catch {
    return 0;
  }
}

/** Debugging: opens the inspector and waits until a debugger has attached and set its breakpoints. */
function waitForDebugger(): void {
  inspector.open(0, '127.0.0.1', false);
  send({ t: 'inspector', url: inspector.url() ?? '' });
  inspector.waitForDebugger();
  send({ t: 'attached' });
}

/** Function init as this runtime timed it (its own work left out), until the init phase ends. */
let functionInitMs: number | undefined;
/** Time a debugger had the thread paused during Function init (its steps included). */
let functionInitPausedMs: number | undefined;

/** Ends a phase and freezes until the engine thaws the environment. */
function freeze(phase: 'init' | 'invoke'): { t: 'thaw' | 'shutdown'; pause: boolean } {
  const snapshot = tracker?.takeSnapshot() ?? { pending: [], resumed: [] };
  send({
    t: 'frozen',
    phase,
    requestId: currentRequestId,
    pending: snapshot.pending,
    resumed: snapshot.resumed,
    maxRssBytes: peakRssBytes(),
    ownWorkMs: takeOwnWorkMs(),
    sigtermListener: process.listenerCount('SIGTERM') > 0,
    ...(phase === 'init' && functionInitMs !== undefined ? { functionInitMs } : {}),
    ...(phase === 'init' && functionInitPausedMs !== undefined ? { pausedMs: functionInitPausedMs } : {}),
    ...(phase === 'init' && initProfile ? { initProfile: initProfile.entries() } : {}),
    ...(stateReader && loadedHandler ? { state: stateReader.read(loadedHandler) } : {}),
  });
  const message = waitForMessage();
  applyVariableUpdate(message);
  return { t: message.t === 'shutdown' ? 'shutdown' : 'thaw', pause: 'pause' in message && message.pause === true };
}

async function init(pause: boolean): Promise<{ handler: UserHandler; metadata: HandlerMetadata }> {
  installAwsLambdaGlobal(HANDLER_STREAMING, HANDLER_HIGHWATERMARK);
  // Function init: from here until the handler's module (its imports, top level and top-level
  // awaits) has loaded, less our own work meanwhile (TypeScript, the profile's loader hooks).
  // The profile's own set-up is ours: before the clock starts.
  initProfile?.start();
  const ownWorkBefore = peekOwnWorkMs();
  // Debugging: the time the thread is paused (stops and steps alike), which the engine
  // leaves out of Init.
  const pauses = PauseWatch.start();
  const started = performance.now();
  // With the Init phase stop, the debugger stops on the module's first statement (phases.ts).
  const handler = await loadHandler(
    process.env.LAMBDA_TASK_ROOT ?? process.cwd(),
    process.env._HANDLER ?? '',
    pause ? initStop : null,
  ).finally(() => {
    functionInitMs = performance.now() - started - (peekOwnWorkMs() - ownWorkBefore);
    initProfile?.stop();
    functionInitPausedMs = pauses?.stop();
  });
  const metadata = handlerMetadata(handler);
  // 4.x refuses any non-streaming handler that declares three or more parameters, async or
  // not; 3.x warns of a plain one with three.
  if (isGeneration4 || !settings!.callbackHandlers) refuseCallbackHandler(metadata);
  else warnOfCallbackHandler(metadata);
  return { handler, metadata };
}

async function main(): Promise<void> {
  send({ t: 'ready', bootMs: performance.now() });
  let start = waitForMessage();
  // Debugging: once an environment claims this process, the debugger attaches (and sets its
  // breakpoints) before any user code runs. (Not before: a process started ahead of its
  // environment has no debugger of its own.)
  if (start.t === 'attach') {
    waitForDebugger();
    start = waitForMessage();
  }
  if (start.t !== 'init') return;
  applyVariableUpdate(start);

  let loaded: { handler: UserHandler; metadata: HandlerMetadata };
  try {
    loaded = await init(start.pause === true);
    loadedHandler = loaded.handler;
  } catch (error) {
    if (isGeneration4) fatal('Init Error', error, 'rejected');
    else fatal('Uncaught Exception', error, 129);
    return;
  }

  for (let phase: 'init' | 'invoke' = 'init'; ; phase = 'invoke') {
    // As on Lambda, the runtime freezes while waiting in `next`: the request goes out
    // first, so the event is already waiting when the engine thaws the environment.
    const { sent, next: nextEvent } = client.requestNext();
    // After a shutdown the engine never answers it; the open request also keeps Node
    // from exiting before the SIGTERM listeners have run.
    nextEvent.catch(() => undefined);
    await sent;
    // Like the AWS runtime, logs keep the last request id until the next event arrives:
    // work resumed at thaw logs under the id of the invocation that left it pending.
    const thawed = freeze(phase);
    if (thawed.t === 'shutdown') {
      // The debugger stops in the first SIGTERM listener the user registered (phases.ts).
      if (thawed.pause) shutdownStop();
      return;
    }
    const next = await nextEvent;
    const requestId = String(next.headers[H.requestId]);
    currentRequestId = requestId;
    setCurrentRequestId(requestId);
    tracker?.setRequestId(requestId);
    await runInvocation(client, loaded.handler, loaded.metadata, next, requestId, {
      pause: thawed.pause ? invokeStop(loaded.handler) : null,
      pausedMs,
    });
    // As the AWS client starts its next iteration a turn later: an error the invocation left
    // behind (an unhandled rejection) ends the runtime before it asks for the next event.
    // (Our own immediate: the pending-work tracker captures no stack for it.)
    await new Promise((resolve) => asRuntimeWork(() => setImmediate(resolve)));
    if (ending) return;
  }
}

main().catch((error) => fatal('Uncaught Exception', error, 129));
