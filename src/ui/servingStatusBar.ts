// The status bar item of debug sessions that serve (launch "serve"): shows where the
// function is served, lists every route in its tooltip, and copies them on a click. It
// follows the adapter's `lambda/serving` event and goes away with the session.

import * as vscode from 'vscode';
import { DEBUG_TYPE, Events, type ServingEventBody } from '../protocol/debugProtocol';
import { Commands } from './contributions';
import { registerCommand } from './vscodeContributions';

export class ServingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'lambdaLifecycle.serving',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly serving = new Map<string, ServingEventBody>();
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.item.name = 'Lambda: served URLs';
    this.item.command = Commands.copyServeUrls;
    this.disposables = [
      this.item,
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== DEBUG_TYPE || e.event !== Events.serving) return;
        this.serving.set(e.session.id, e.body as ServingEventBody);
        this.update();
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (this.serving.delete(session.id)) this.update();
      }),
      registerCommand(Commands.copyServeUrls, () => this.copy()),
    ];
  }

  /** What the item shows now (for tests): its text and the lines it copies. */
  get state(): { text: string; lines: string[] } | null {
    return this.serving.size === 0 ? null : { text: this.item.text, lines: this.lines() };
  }

  private lines(): string[] {
    return [...this.serving.values()].flatMap((s) => s.lines);
  }

  private update(): void {
    const all = [...this.serving.values()];
    if (all.length === 0) return this.item.hide();
    const first = all[0];
    this.item.text = `$(radio-tower) ${first.httpUrl.replace(/^http:\/\//, '')}${all.length > 1 ? ` +${all.length - 1}` : ''}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown('**Lambda: served while debugging** (click to copy)\n\n');
    tooltip.appendCodeblock(this.lines().join('\n'), 'text');
    this.item.tooltip = tooltip;
    this.item.show();
  }

  private async copy(): Promise<void> {
    const lines = this.lines();
    if (lines.length === 0) return;
    await vscode.env.clipboard.writeText(lines.join('\n') + '\n');
    void vscode.window.showInformationMessage(
      `Lambda: copied ${lines.length} served address${lines.length > 1 ? 'es' : ''}.`,
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
