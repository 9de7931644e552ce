// The client of the Lambda language server (dist/languageServer.js: diagnostics, CodeLens
// Invoke / Debug, hovers). Two lifetimes, as rust-analyzer's ctx.ts keeps: the client's
// own disposables go with the server (stopped, restarted), the client itself with the
// extension. Its messages go to the "Lambda Lifecycle" log; a start failure is shown.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { FUNCTION_FILES_GLOB } from '../config';
import { LanguageRequests, SETTINGS_SECTION, type WorkspaceHandler } from '../protocol/languageProtocol';
import { Settings } from './contributions';
import type { Log } from './log';
import { readSetting } from './vscodeContributions';

export class LambdaLanguageClient implements vscode.Disposable {
  private readonly client: LanguageClient;
  /** What lives as long as the server does. */
  private readonly serverDisposables: vscode.Disposable[] = [];
  private readonly started: Promise<void>;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    const module = context.asAbsolutePath(path.join('dist', 'languageServer.js'));
    const watcher = vscode.workspace.createFileSystemWatcher(FUNCTION_FILES_GLOB);
    this.serverDisposables.push(watcher);
    this.client = new LanguageClient(
      'lambdaLifecycle',
      'Lambda',
      { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } },
      {
        documentSelector: [
          { scheme: 'file', language: 'javascript' },
          { scheme: 'file', language: 'typescript' },
          { scheme: 'file', pattern: FUNCTION_FILES_GLOB },
        ],
        synchronize: { configurationSection: SETTINGS_SECTION, fileEvents: watcher },
        initializationOptions: { [SETTINGS_SECTION]: { checks: readSetting(Settings.checks) } },
        outputChannel: log,
      },
    );
    this.started = this.client.start().catch((error: unknown) => {
      log.error('The Lambda language server did not start', error);
      void vscode.window.showErrorMessage(
        `Lambda: the language server did not start (${error instanceof Error ? error.message : String(error)}). See the "Lambda Lifecycle" output.`,
      );
    });
  }

  /** Files exporting a handler that nothing names yet (none while the server is not running). */
  async workspaceHandlers(): Promise<WorkspaceHandler[]> {
    await this.started;
    if (!this.client.isRunning()) return [];
    try {
      return await this.client.sendRequest<WorkspaceHandler[]>(LanguageRequests.workspaceHandlers);
    } catch (error) {
      this.log.error(`${LanguageRequests.workspaceHandlers} failed`, error);
      return [];
    }
  }

  /** Stops the server (the extension's lifetime ends). */
  async dispose(): Promise<void> {
    for (const d of this.serverDisposables.splice(0)) d.dispose();
    await this.client.stop().catch((error: unknown) => this.log.error('Stopping the language server failed', error));
  }
}
