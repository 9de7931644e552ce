// A progress notification while a Lambda session fetches what a runtime needs (a Node
// binary of the runtime's major, the runtime's AWS SDK): it follows the adapter's
// `provisioning` events and closes at `done` or when the session ends.

import * as vscode from 'vscode';
import { DEBUG_TYPE, Events } from '../protocol/debugProtocol';
import type { EngineEvent } from '../protocol/engineEvents';

type Provisioning = Extract<EngineEvent, { type: 'provisioning' }>;

interface Shown {
  report(message: string, fraction: number | null): void;
  close(): void;
}

export class ProvisioningProgress implements vscode.Disposable {
  /** Per session and function: the notification shown. */
  private readonly shown = new Map<string, Shown>();
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.type === DEBUG_TYPE && event.event === Events.provisioning) {
          this.onEvent(event.session.id, event.body as Provisioning);
        }
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        for (const [key, shown] of this.shown) if (key.startsWith(`${session.id}/`)) this.close(key, shown);
      }),
    ];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const [key, shown] of this.shown) this.close(key, shown);
  }

  private onEvent(sessionId: string, event: Provisioning): void {
    const key = `${sessionId}/${event.functionName}`;
    if (event.stage === 'warning') {
      void vscode.window.showWarningMessage(event.message);
      return;
    }
    const shown = this.shown.get(key);
    if (event.stage === 'done') {
      if (shown) this.close(key, shown);
      return;
    }
    (shown ?? this.open(key, event.functionName)).report(event.message, event.fraction);
  }

  private open(key: string, functionName: string): Shown {
    let last = 0;
    let progress: vscode.Progress<{ message?: string; increment?: number }> | null = null;
    let pending: { message: string; fraction: number | null } | null = null;
    let closed = false;
    let close: () => void = () => {
      closed = true;
    };
    const shown: Shown = {
      report(message, fraction) {
        if (!progress) {
          pending = { message, fraction };
          return;
        }
        const increment = fraction === null ? undefined : Math.max(0, fraction * 100 - last);
        if (fraction !== null) last = Math.max(last, fraction * 100);
        progress.report({ message, increment });
      },
      close: () => close(),
    };
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Lambda ${functionName}`, cancellable: false },
      (reporter) =>
        new Promise<void>((resolve) => {
          if (closed) return resolve();
          progress = reporter;
          close = resolve;
          if (pending) shown.report(pending.message, pending.fraction);
        }),
    );
    this.shown.set(key, shown);
    return shown;
  }

  private close(key: string, shown: Shown): void {
    this.shown.delete(key);
    shown.close();
  }
}
