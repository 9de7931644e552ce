// When a lambda session's Debug Console opens. VS Code opens it as a session starts
// (`debug.internalConsoleOptions`), which takes the workbench a few hundred milliseconds of
// layout right while VS Code's JavaScript debugger is being started on the first
// environment: on the way from F5 to the first stop. For a launch that has VS Code open it
// (the setting's value, the launch naming none), the console opens instead once the
// session's first stop is on screen, or once its first phase or the session ends without
// one, without taking the focus, as VS Code would have opened it.

import * as vscode from 'vscode';
import { DEBUG_TYPE, Events } from '../protocol/debugProtocol';
import type { EngineEvent } from '../protocol/engineEvents';
import { lambdaSessionOf } from './lambdaSessions';

/** The launch attribute that says the extension opens this session's Debug Console. */
export const OPENS_DEBUG_CONSOLE = '__opensDebugConsole';

/** After the stack of the first stop reached the workbench: time to draw it first. */
const AFTER_STOP_SHOWN_MS = 100;
/** The latest the console opens after the first stop. */
const AFTER_STOP_MS = 1000;

interface DapMessage {
  type?: string;
  event?: string;
  command?: string;
}

type InternalConsoleOptions = 'neverOpen' | 'openOnSessionStart' | 'openOnFirstSessionStart';

export class DebugConsoleOpening implements vscode.Disposable {
  /** Whether a debug session (any) has started in this window: VS Code's "first session start". */
  private sessionStarted = false;
  /** Lambda sessions (by id) whose console is still to open, with its timer once set. */
  private readonly waiting = new Map<string, { timer: NodeJS.Timeout; due: number } | null>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly open: () => Thenable<unknown> = openDebugConsole) {
    const tracker = (session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined => {
      const lambda = lambdaSessionOf(session);
      if (!lambda || !this.waiting.has(lambda.id)) return undefined;
      let stopped = false;
      return {
        onDidSendMessage: (message: DapMessage) => {
          if (message.type === 'event' && message.event === 'stopped') {
            stopped = true;
            this.openLater(lambda.id, AFTER_STOP_MS);
          } else if (stopped && message.type === 'response' && message.command === 'stackTrace') {
            stopped = false;
            this.openLater(lambda.id, AFTER_STOP_SHOWN_MS);
          }
        },
      };
    };
    this.disposables = [
      vscode.debug.onDidStartDebugSession((session) => {
        this.sessionStarted = true;
        if (session.type === DEBUG_TYPE && session.configuration[OPENS_DEBUG_CONSOLE] === true)
          this.waiting.set(session.id, null);
      }),
      // A session that ends before either (a launch that failed on the way, a Stop) says why there.
      vscode.debug.onDidTerminateDebugSession((session) => this.openLater(session.id, 0)),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.type !== DEBUG_TYPE || event.event !== Events.engine) return;
        if ((event.body as EngineEvent).type === 'phaseEnded') this.openLater(event.session.id, 0);
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('*', { createDebugAdapterTracker: tracker }),
    ];
  }

  /** Called as a launch is resolved: when VS Code would open the Debug Console as it starts
   * (and the JavaScript debugger will be started on it), the extension opens it instead. */
  takeOver(launch: vscode.DebugConfiguration): void {
    if (launch.internalConsoleOptions !== undefined) return;
    const option =
      vscode.workspace.getConfiguration('debug').get<InternalConsoleOptions>('internalConsoleOptions') ??
      'openOnFirstSessionStart';
    if (option === 'openOnSessionStart' || (option === 'openOnFirstSessionStart' && !this.sessionStarted)) {
      launch.internalConsoleOptions = 'neverOpen';
      launch[OPENS_DEBUG_CONSOLE] = true;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const id of [...this.waiting.keys()]) this.forget(id);
  }

  /** Opens the session's console in `ms`, unless it is due sooner already. */
  private openLater(sessionId: string, ms: number): void {
    if (!this.waiting.has(sessionId)) return;
    const set = this.waiting.get(sessionId);
    const due = Date.now() + ms;
    if (set && set.due <= due) return;
    if (set) clearTimeout(set.timer);
    const timer = setTimeout(() => {
      this.waiting.delete(sessionId);
      void Promise.resolve(this.open()).then(undefined, () => undefined);
    }, ms);
    this.waiting.set(sessionId, { timer, due });
  }

  private forget(sessionId: string): void {
    const set = this.waiting.get(sessionId);
    if (set) clearTimeout(set.timer);
    this.waiting.delete(sessionId);
  }
}

/** Opens the Debug Console as VS Code does at a session's start: shown, the focus left where it is. */
function openDebugConsole(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.panel.repl.view.focus', { preserveFocus: true });
}
