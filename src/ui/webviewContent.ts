// Fills a webview with one of the Lambda pages (src/ui/webviewPages.ts): scripts on, its
// script from dist/webviews/ (bundled from src/webviews/), styles from media/, VS Code's
// codicon font, nothing else; a fresh nonce each time.

import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { PanelPage } from './webviewPages';

export function showPage(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  script: string,
  page: (page: PanelPage) => string,
): void {
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  const scripts = vscode.Uri.joinPath(extensionUri, 'dist', 'webviews');
  const codicons = vscode.Uri.joinPath(extensionUri, 'node_modules', '@vscode', 'codicons', 'dist');
  webview.options = { enableScripts: true, localResourceRoots: [media, scripts, codicons] };
  webview.html = page({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(scripts, script)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'statePanel.css')).toString(),
    codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(codicons, 'codicon.css')).toString(),
    nonce: crypto.randomBytes(16).toString('base64'),
  });
}
