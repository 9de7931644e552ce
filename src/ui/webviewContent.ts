// Fills a webview with one of the Lambda pages (src/ui/statePanelHtml.ts): scripts on,
// resources only from media/ and VS Code's codicon font, a fresh nonce each time.

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
  const codicons = vscode.Uri.joinPath(extensionUri, 'node_modules', '@vscode', 'codicons', 'dist');
  webview.options = { enableScripts: true, localResourceRoots: [media, codicons] };
  webview.html = page({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, script)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'statePanel.css')).toString(),
    codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(codicons, 'codicon.css')).toString(),
    nonce: crypto.randomBytes(16).toString('base64'),
  });
}
