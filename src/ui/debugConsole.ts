// When a lambda session's Debug Console opens. VS Code opens it as the window's first
// session starts (`debug.internalConsoleOptions`: openOnFirstSessionStart, its default),
// which takes the workbench a few hundred milliseconds of layout right while VS Code's
// JavaScript debugger is being started on the first environment: on the way from F5 to the
// first stop. For such a launch (naming no option of its own) the extension opens the
// console instead, leaving the focus where it is as VS Code does: once the stack of the
// session's first stop has gone to the workbench, or a moment after its first phase ends
// without a stop, or as the session ends.

import * as vscode from 'vscode';
import { DEBUG_TYPE, Events, type LambdaLaunchArguments } from '../protocol/debugProtocol';
import type { EngineEvent } from '../protocol/engineEvents';
import { lambdaSessionOf } from './lambdaSessions';

/** The launch attribute that says the extension opens this session's Debug Console. */
export const OPENS_DEBUG_CONSOLE = '__opensDebugConsole';

/** How long after the moments that open the console it opens. */
export interface OpeningDelays {
  /** After the stack of the first stop went to the workbench: time to draw it first. */
  afterStackMs: number;
  /** After the first stop, or the first phase's end: the latest the console opens (a stop
   * meanwhile opens it sooner, after its stack). */
  afterStopMs: number;
}

const DELAYS: OpeningDelays = { afterStackMs: 100, afterStopMs: 1000 };

interface DapMessage {
  type?: string;
  event?: string;
  command?: string;
}

type InternalConsoleOptions = 'neverOpen' | 'openOnSessionStart' | 'openOnFirstSessionStart';

export class DebugConsoleOpening implements vscode.Disposable {
  /** Whether a debug session (any) has started in this window since the extension
   * activated, or one is being launched: past VS Code's "first session start". */
  private sessionStarted = false;
  /** Lambda sessions (by id) whose console is still to open, with its timer once set. */
  private readonly waiting = new Map<string, { timer: NodeJS.Timeout; due: number } | null>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly open: () => Thenable<unknown> = openDebugConsole,
    delays: OpeningDelays = DELAYS,
  ) {
    // A tracker on the lambda session (made as its adapter starts, before the session counts
    // as started) and on the JavaScript debugger's sessions under it.
    const tracker = (session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined => {
      const lambda = lambdaSessionOf(session);
      if (session === lambda && session.configuration[OPENS_DEBUG_CONSOLE] === true) this.waiting.set(session.id, null);
      if (!lambda || !this.waiting.has(lambda.id)) return undefined;
      let stopped = false;
      return {
        onDidSendMessage: (message: DapMessage) => {
          if (message.type === 'event' && message.event === 'stopped') {
            stopped = true;
            this.openLater(lambda.id, delays.afterStopMs);
          } else if (stopped && message.type === 'response' && message.command === 'stackTrace') {
            stopped = false;
            this.openLater(lambda.id, delays.afterStackMs);
          }
        },
      };
    };
    this.disposables = [
      vscode.debug.registerDebugAdapterTrackerFactory('*', { createDebugAdapterTracker: tracker }),
      vscode.debug.onDidStartDebugSession(() => (this.sessionStarted = true)),
      // A session that ends before either (stopped at once) has its lines there.
      vscode.debug.onDidTerminateDebugSession((session) => this.openLater(session.id, 0)),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.type !== DEBUG_TYPE || event.event !== Events.engine) return;
        if ((event.body as EngineEvent).type === 'phaseEnded') this.openLater(event.session.id, delays.afterStopMs);
      }),
    ];
  }

  /** Called as a launch is resolved: when VS Code would open the Debug Console as the
   * session starts (the window's first; the JavaScript debugger will be started on it), the
   * extension opens it instead. (`openOnSessionStart` is VS Code's: it opens the console as
   * each of the JavaScript debugger's sessions starts too.) A serving session, whose
   * console shows its addresses long before any request, keeps VS Code's. */
  takeOver(launch: vscode.DebugConfiguration & LambdaLaunchArguments): void {
    if (launch.internalConsoleOptions !== undefined || launch.serve) return;
    const option =
      vscode.workspace.getConfiguration('debug').get<InternalConsoleOptions>('internalConsoleOptions') ??
      'openOnFirstSessionStart';
    if (option !== 'openOnFirstSessionStart' || this.sessionStarted) return;
    launch.internalConsoleOptions = 'neverOpen';
    launch[OPENS_DEBUG_CONSOLE] = true;
    // The window's first from here on (a compound's other launches are not).
    this.sessionStarted = true;
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

/** VS Code's command that shows its Debug Console view (`<view id>.focus`). */
const SHOW_DEBUG_CONSOLE = 'workbench.panel.repl.view.focus';

/** Opens the Debug Console as VS Code does at a session's start: shown, the focus left where it is. */
function openDebugConsole(): Thenable<unknown> {
  return vscode.commands.executeCommand(SHOW_DEBUG_CONSOLE, { preserveFocus: true });
}
