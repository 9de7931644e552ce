// The state panel's page: a shell with a strict Content Security Policy (nothing remote,
// scripts only with this page's random nonce, styles from the extension), filled in by
// media/statePanel.js. Knows nothing of the vscode API, so tests load the same page.

export interface PanelPage {
  /** The webview's resource origin (webview.cspSource). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
}

export function statePanelHtml(page: PanelPage): string {
  const csp = [
    "default-src 'none'",
    `style-src ${page.cspSource}`,
    `script-src 'nonce-${page.nonce}'`,
    `img-src ${page.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${page.styleUri}">
  <title>Lambda state</title>
</head>
<body>
  <header class="toolbar" role="toolbar" aria-label="Invocations">
    <h1 id="title">Lambda state</h1>
    <button id="invoke" type="button">Invoke</button>
    <button id="invoke-cold" type="button">Invoke cold</button>
    <button id="invoke-event" type="button">Invoke with event…</button>
    <button id="shutdown" type="button">Shut down</button>
  </header>
  <p id="status" role="status"></p>
  <main>
    <section aria-labelledby="environments-title">
      <h2 id="environments-title">Environments</h2>
      <div id="environments"></div>
    </section>
    <section aria-labelledby="details-title">
      <h2 id="details-title">Invocation</h2>
      <div id="details"><p class="empty">Invoke the function to see what its environment carries.</p></div>
    </section>
  </main>
  <script nonce="${page.nonce}" src="${page.scriptUri}"></script>
</body>
</html>`;
}
