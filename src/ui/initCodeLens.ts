// "Init: 124 ms" above each import and require in the user's files: what that module cost at
// the last cold start profiled (the Init profile, engine events of `lambda` sessions). The
// lens opens the state panel's Init tree at that entry. A heavy import used on one line only
// says so. Files are matched through the profile's /var/task paths and the event's taskRoot.

import * as vscode from 'vscode';
import { DEBUG_TYPE, Events } from '../protocol/debugProtocol';
import type { EngineEvent, InitProfileEntry } from '../protocol/engineEvents';
import { importLines, importsOf, initCostText, onePathHint } from '../protocol/initProfileTree';
import { Commands } from './contributions';
import { lambdaPath } from '../engine/lambdaLayout';

interface LastProfile {
  sessionId: string;
  environmentId: string;
  taskRoot: string;
  profile: InitProfileEntry[];
}

export class InitCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private last: LastProfile | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.type !== DEBUG_TYPE || event.event !== Events.engine) return;
        const engineEvent = event.body as EngineEvent;
        if (engineEvent.type !== 'phaseEnded' || !engineEvent.initProfile || !engineEvent.taskRoot) return;
        this.last = {
          sessionId: event.session.id,
          environmentId: engineEvent.environmentId,
          taskRoot: engineEvent.taskRoot,
          profile: engineEvent.initProfile,
        };
        this.changed.fire();
      }),
      vscode.languages.registerCodeLensProvider(
        ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'].map((language) => ({
          language,
          scheme: 'file',
        })),
        this,
      ),
      this.changed,
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const last = this.last;
    if (!last) return [];
    const file = document.uri.fsPath;
    const inLambda = lambdaPath(file, { root: last.taskRoot, layers: [], runtimeModulesDir: null });
    if (inLambda === file) return [];
    const text = document.getText();
    const lenses: vscode.CodeLens[] = [];
    for (const { index, entry } of importsOf(last.profile, inLambda)) {
      for (const { line, binding } of importLines(text, entry.specifier)) {
        const hint = binding ? onePathHint(text, binding, entry.totalMs, line) : null;
        lenses.push(
          new vscode.CodeLens(document.lineAt(line).range, {
            title: `${initCostText(entry.totalMs)}${hint ? ' · used on one line only' : ''}`,
            tooltip:
              hint ??
              `What ${entry.specifier} cost at the last cold start (own ${entry.selfMs} ms). Opens the Init tree.`,
            command: Commands.showInitEntry,
            arguments: [{ sessionId: last.sessionId, environmentId: last.environmentId, index }],
          }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
