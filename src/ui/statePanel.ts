// The state panel in VS Code: one webview panel that follows the active `lambda` session,
// fed the engine events the adapter forwards (no polling). Events of each session are
// kept so that a panel opened later, or re-shown, starts from the whole story; a reload
// restores it from the webview's own state (a serializer).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeLambdaSession } from './lambdaSessions';
import { LIMITS } from '../config/functionConfig';
import type { EngineEvent } from '../protocol/engineEvents';
import { DEBUG_TYPE, Events, Requests, type LambdaLaunchArguments } from '../protocol/debugProtocol';
import type { FromPanel, PanelEntry, PanelFunction, ToPanel } from '../protocol/webviewProtocol';
import { statePanelHtml } from './webviewPages';
import type { InitEntryTarget } from './contributions';
import { showPage } from './webviewContent';

const VIEW_TYPE = 'lambdaLifecycle.state';

interface SessionRecord {
  session: vscode.DebugSession;
  fn: PanelFunction;
  events: EngineEvent[];
  ended: boolean;
}

export class StatePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private readonly sessions = new Map<string, SessionRecord>();
  private shown: SessionRecord | null = null;
  /** An Init profile entry to show once the panel's page is ready. */
  private pendingReveal: InitEntryTarget | null = null;
  private readonly disposables: vscode.Disposable[] = [];
  /** The entry to show once the page has the session's story. */
  private revealing: PanelEntry | null = null;
  /** The page's script runs (it said `ready`): messages reach it. */
  private pageReady = false;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.disposables.push(
      vscode.debug.onDidStartDebugSession((session) => this.sessionStarted(session)),
      vscode.debug.onDidTerminateDebugSession((session) => this.sessionEnded(session)),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => this.customEvent(event)),
      vscode.debug.onDidChangeActiveDebugSession(() => this.follow()),
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.adopt(panel),
      }),
    );
  }

  /** Opens (or reveals) the panel; at a lifecycle entry when given (a Call Stack frame). */
  show(at?: PanelEntry): void {
    this.follow();
    if (at) this.revealing = at;
    if (this.panel) {
      this.panel.reveal(undefined, true);
      this.postReveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      'Lambda State',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {},
    );
    this.adopt(panel);
  }

  /** Opens the panel on a session's Init tree at one entry (the import CodeLens). */
  revealInit(target: InitEntryTarget): void {
    const record = this.sessions.get(target.sessionId);
    if (!record) return;
    const fresh = !this.panel;
    this.show();
    if (fresh) {
      // The page asks for the story when it is ready; the entry is shown after it.
      this.shown = record;
      this.pendingReveal = target;
      return;
    }
    if (this.shown !== record) this.replay(record);
    this.post({ type: 'revealInit', environmentId: target.environmentId, index: target.index });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.pageReady = false;
    showPage(panel.webview, this.context.extensionUri, 'statePanel.js', statePanelHtml);
    panel.webview.onDidReceiveMessage((message: FromPanel) => void this.fromPanel(message));
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = null;
      this.shown = null;
    });
  }

  private post(message: ToPanel): void {
    void this.panel?.webview.postMessage(message);
  }

  /** Shows a session's whole story. */
  private replay(record: SessionRecord): void {
    this.shown = record;
    this.post({ type: 'session', fn: record.fn });
    for (const event of record.events) this.post({ type: 'engine', event });
    if (record.ended) this.post({ type: 'ended' });
    this.postReveal();
  }

  private postReveal(): void {
    if (!this.revealing || !this.panel || !this.pageReady) return;
    this.post({ type: 'reveal', ...this.revealing });
    this.revealing = null;
  }

  /** The panel follows the active lambda session (or the parent of a JavaScript child). */
  private follow(): void {
    const session = activeLambdaSession();
    const record = session && this.sessions.get(session.id);
    if (record && record !== this.shown) this.replay(record);
  }

  private sessionStarted(session: vscode.DebugSession): void {
    if (session.type !== DEBUG_TYPE) return;
    const launch = session.configuration as LambdaLaunchArguments & { name: string };
    const record: SessionRecord = {
      session,
      fn: {
        functionName: launch.function ?? launch.handler ?? session.name,
        // As launched (a template's values are the adapter's to resolve); each environment
        // reports the settings it really runs with, and the panel draws those.
        memorySizeMB: launch.memorySize ?? LIMITS.memoryMB.default,
        ephemeralStorageMB: launch.ephemeralStorage ?? LIMITS.ephemeralStorageMB.default,
        timeoutSeconds: launch.timeout ?? LIMITS.timeoutSeconds.default,
      },
      events: [],
      ended: false,
    };
    this.sessions.set(session.id, record);
    this.replay(record);
  }

  private sessionEnded(session: vscode.DebugSession): void {
    const record = this.sessions.get(session.id);
    if (!record) return;
    record.ended = true;
    // The last state of an ended session stays viewable; older ended ones are let go.
    const ended = [...this.sessions.values()].filter((r) => r.ended && r !== this.shown);
    for (const old of ended.slice(0, Math.max(0, ended.length - 3))) this.sessions.delete(old.session.id);
    if (this.shown === record) this.post({ type: 'ended' });
  }

  private customEvent(event: vscode.DebugSessionCustomEvent): void {
    if (event.session.type !== DEBUG_TYPE || event.event !== Events.engine) return;
    const record = this.sessions.get(event.session.id);
    if (!record) return;
    const engineEvent = event.body as EngineEvent;
    record.events.push(engineEvent);
    if (this.shown === record) this.post({ type: 'engine', event: engineEvent });
  }

  private async fromPanel(message: FromPanel): Promise<void> {
    const session = this.shown?.session;
    if (message.type === 'ready') {
      this.pageReady = true;
      if (this.shown) this.replay(this.shown);
      else this.follow();
      const reveal = this.pendingReveal;
      this.pendingReveal = null;
      if (reveal) this.post({ type: 'revealInit', environmentId: reveal.environmentId, index: reveal.index });
      return;
    }
    if (!session || this.shown?.ended) return;
    try {
      if (message.type === 'invoke') await session.customRequest(Requests.invoke, { cold: message.cold });
      if (message.type === 'invokeWithEvent') await vscode.commands.executeCommand('lambdaLifecycle.invokeWithEvent');
      if (message.type === 'shutdown')
        await session.customRequest(Requests.shutdown, { environmentId: message.environmentId });
      if (message.type === 'openTmpFile') {
        const tmpDir = await session.customRequest(Requests.tmpFolder, { environmentId: message.environmentId });
        const file = path.join(tmpDir.path as string, message.path.replace(/^\/tmp\/?/, ''));
        await vscode.window.showTextDocument(vscode.Uri.file(file), {
          preview: true,
          viewColumn: vscode.ViewColumn.One,
        });
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Lambda: ${(error as Error).message}`);
    }
  }
}
