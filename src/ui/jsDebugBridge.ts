// The bridge to VS Code's JavaScript debugger (js-debug): when the adapter says an
// environment's inspector opened (directly, inline, or by its `attach` event) a `pwa-node`
// child session attaches to the environment's inspector (as js-debug's own
// vsCodeSessionManager starts children), a tracker on those sessions tells the lambda
// session when the JavaScript debugger pauses or resumes an environment (its clock stops
// meanwhile), and Continue on the environment's thread in the lambda session resumes it.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_TYPE, Events, Requests, type AttachEventBody } from '../protocol/debugProtocol';
import { ENVIRONMENT_KEY } from './jsDebugViews';
import { lambdaSessionOf, sessionsBelowLambda } from './lambdaSessions';
import type { Log } from './log';
import { RUNTIME_ROOT } from '../engine/sandbox/namespaces';

const JS_DEBUG_TYPE = 'pwa-node';
const JS_DEBUG_EXTENSION = 'ms-vscode.js-debug';

/** Activates VS Code's JavaScript debugger now, ahead of the first attach: VS Code would
 * activate it only when the first `pwa-node` session starts, on the way from F5 to the stop. */
export function activateJsDebugAhead(): void {
  const extension = vscode.extensions.getExtension(JS_DEBUG_EXTENSION);
  if (extension && !extension.isActive) void Promise.resolve(extension.activate()).catch(() => undefined);
}

export class JsDebugBridge implements vscode.Disposable {
  /** Per environment: the JavaScript debug session stopped in it, and its stopped thread. */
  private readonly pausedTargets = new Map<string, { session: vscode.DebugSession; threadId: number }>();
  private readonly disposables: vscode.Disposable[];
  /** The environments (by session, environment and inspector) the JavaScript debugger was started on. */
  private readonly attached = new Set<string>();

  constructor(
    private readonly extensionPath: string,
    private readonly log: Log,
  ) {
    this.disposables = [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) =>
        this.onCustomEvent(event).catch((error: unknown) => this.log.error('JavaScript debugger bridge', error)),
      ),
      vscode.debug.onDidTerminateDebugSession((session) => {
        for (const key of this.attached) if (key.startsWith(`${session.id}/`)) this.attached.delete(key);
      }),
      vscode.debug.registerDebugAdapterTrackerFactory(JS_DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => this.pauseTracker(session),
      }),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.pausedTargets.clear();
    this.attached.clear();
  }

  private async onCustomEvent(event: vscode.DebugSessionCustomEvent): Promise<void> {
    if (event.session.type !== DEBUG_TYPE) return;
    if (event.event === Events.continue) {
      // Continue pressed on the environment's thread of the Lambda session.
      const target = this.pausedTargets.get((event.body as { environmentId: string }).environmentId);
      if (target)
        await target.session.customRequest('continue', { threadId: target.threadId }).then(undefined, () => undefined);
      return;
    }
    if (event.event === Events.attach) await this.attach(event.session, event.body as AttachEventBody);
  }

  /** Starts the JavaScript debugger's session on an environment of a lambda session, once
   * (the adapter, inline, says it directly; the `attach` event comes too, later). */
  async attach(session: vscode.DebugSession, body: AttachEventBody): Promise<void> {
    const key = `${session.id}/${body.environmentId}/${body.websocketAddress}`;
    if (this.attached.has(key)) return;
    this.attached.add(key);
    const runtimeDir = path.join(this.extensionPath, 'dist', 'runtime');
    this.log.info(`Attaching the JavaScript debugger to ${body.environmentId} (${body.websocketAddress})`);
    const started = await vscode.debug.startDebugging(
      session.workspaceFolder,
      {
        type: JS_DEBUG_TYPE,
        request: 'attach',
        name: body.name,
        websocketAddress: body.websocketAddress,
        continueOnAttach: true,
        // The environment's Node (not the one on the PATH, which js-debug would otherwise
        // run with --version on the way to the first stop).
        ...(body.nodeMajor ? { nodeVersionHint: body.nodeMajor } : {}),
        // Not js-debug's child-process attach: it would set NODE_OPTIONS (its bootloader) and
        // VSCODE_INSPECTOR_OPTIONS in the function's process.env, which Lambda never has (and
        // the bootloader's path is not in the kernel sandbox's filesystem), on the way to the
        // first stop.
        autoAttachChildProcesses: false,
        // Nor its scan (ps) for child processes already listening with an inspector.
        attachExistingChildren: false,
        // Source maps of the user's code wherever it is; not our runtime's (skipped whole,
        // its maps would only be read and parsed on the way to the first stop).
        resolveSourceMapLocations: ['**', '!**/node_modules/**', `!${runtimeDir}/**`],
        // Our runtime is never shown or stepped through: stepping out of the handler goes
        // back to the user's code or runs on (the phase stops themselves are on the user's lines).
        // (Its source map names our sources, src/**: skipped too, were it read.)
        // In the kernel's sandbox it is at /var/runtime (RUNTIME_ROOT).
        skipFiles: [
          '<node_internals>/**',
          `${runtimeDir}/**`,
          `${path.join(this.extensionPath, 'src')}/**`,
          ...(body.remoteRoot ? [`${RUNTIME_ROOT}/**`] : []),
        ],
        // A pause in a skipped file steps on.
        smartStep: true,
        // The kernel's sandbox runs the code at /var/task: breakpoints and stack frames map back.
        ...(body.remoteRoot && body.localRoot ? { remoteRoot: body.remoteRoot, localRoot: body.localRoot } : {}),
        [ENVIRONMENT_KEY]: body.environmentId,
      },
      {
        parentSession: session,
        lifecycleManagedByParent: true,
        consoleMode: vscode.DebugConsoleMode.MergeWithParent,
        compact: true,
      },
    );
    if (!started) this.log.error(`The JavaScript debugger did not start for ${body.environmentId}`);
  }

  /** Tells the Lambda session when the JavaScript debugger pauses or resumes an environment,
   * so the function's clock stops meanwhile. */
  private pauseTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    // js-debug runs the target in a child of the session we started: look up to ours.
    const lambda = lambdaSessionOf(session);
    const environmentId = sessionsBelowLambda(session)
      .map((s) => s.configuration[ENVIRONMENT_KEY] as string | undefined)
      .find((id) => id !== undefined);
    if (!environmentId || !lambda) return undefined;
    const tell = (paused: boolean) =>
      void lambda.customRequest(Requests.debuggerPaused, { environmentId, paused }).then(undefined, () => undefined);
    return {
      onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
        if (message.type === 'event' && message.event === 'stopped') {
          this.pausedTargets.set(environmentId, { session, threadId: message.body?.threadId ?? 0 });
          tell(true);
        }
      },
      // Stepping is debugger time too: the clock runs again only on Continue.
      onWillReceiveMessage: (message: { type?: string; command?: string }) => {
        if (message.type === 'request' && message.command === 'continue') {
          this.pausedTargets.delete(environmentId);
          tell(false);
        }
      },
      onExit: () => this.pausedTargets.delete(environmentId),
    };
  }
}
