// Which `lambda` debug session a debug session belongs to: itself, or the ancestor of
// one of the JavaScript child sessions started for its environments. Written once here
// for the commands, the JavaScript debugger bridge, the state panel and the
// Configuration view.

import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../protocol/debugProtocol';

/** `session` if it is a lambda session, else its nearest lambda ancestor. */
export function lambdaSessionOf(session: vscode.DebugSession | undefined): vscode.DebugSession | undefined {
  for (let current = session; current; current = current.parentSession) {
    if (current.type === DEBUG_TYPE) return current;
  }
  return undefined;
}

/** The lambda session of the focused debug session (focus may be on a JavaScript child). */
export function activeLambdaSession(): vscode.DebugSession | undefined {
  return lambdaSessionOf(vscode.debug.activeDebugSession);
}

/** The sessions from `session` up to its lambda session (that one excluded), nearest first. */
export function sessionsBelowLambda(session: vscode.DebugSession): vscode.DebugSession[] {
  const below: vscode.DebugSession[] = [];
  for (let current: vscode.DebugSession | undefined = session; current; current = current.parentSession) {
    if (current.type === DEBUG_TYPE) return below;
    below.push(current);
  }
  return [];
}

/** Keeps the `lambdaLifecycle.active` context key true while any lambda session runs, so the
 * toolbar's Lambda buttons show also when one of its JavaScript child sessions is focused. */
export class ActiveSessionsContext implements vscode.Disposable {
  private readonly running = new Set<string>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly setActive: (active: boolean) => unknown) {
    this.disposables = [
      vscode.debug.onDidStartDebugSession((session) => this.update(session, true)),
      vscode.debug.onDidTerminateDebugSession((session) => this.update(session, false)),
    ];
  }

  private update(session: vscode.DebugSession, running: boolean): void {
    if (session.type !== DEBUG_TYPE) return;
    if (running) this.running.add(session.id);
    else this.running.delete(session.id);
    this.setActive(this.running.size > 0);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
