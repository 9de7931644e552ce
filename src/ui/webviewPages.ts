// The pages of the Lambda webviews: a shell with a strict Content Security Policy (nothing
// remote, scripts only with the page's random nonce, styles from the extension), filled
// in by its script (src/webviews/, bundled to dist/webviews/). Knows nothing of the vscode
// API, so tests load the same pages.

import { APPLICATION_LOG_LEVELS, LIMITS, SYSTEM_LOG_LEVELS } from '../config/functionConfig';

export interface PanelPage {
  /** The webview's resource origin (webview.cspSource). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** VS Code's icon font (codicon.css of @vscode/codicons). */
  codiconsUri?: string;
  nonce: string;
}

/** A page with `body` (static markup of ours, never user data) and the page's script. */
export function webviewPage(page: PanelPage, title: string, body: string): string {
  const csp = [
    "default-src 'none'",
    `style-src ${page.cspSource}`,
    `script-src 'nonce-${page.nonce}'`,
    `img-src ${page.cspSource}`,
    `font-src ${page.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  ${page.codiconsUri ? `<link rel="stylesheet" href="${page.codiconsUri}">` : ''}
  <link rel="stylesheet" href="${page.styleUri}">
  <title>${title}</title>
</head>
<body>
${body}
  <script nonce="${page.nonce}" src="${page.scriptUri}"></script>
</body>
</html>`;
}

export function statePanelHtml(page: PanelPage): string {
  return webviewPage(
    page,
    'Lambda state',
    `
  <header class="toolbar" role="toolbar" aria-label="Invocations">
    <h1 id="title">Lambda state</h1>
    <button id="invoke" type="button"><span class="codicon codicon-play" aria-hidden="true"></span> Invoke</button>
    <button id="invoke-cold" type="button"><span class="codicon codicon-debug-restart" aria-hidden="true"></span> Invoke cold</button>
    <button id="invoke-event" type="button"><span class="codicon codicon-json" aria-hidden="true"></span> Invoke with event…</button>
    <button id="shutdown" type="button"><span class="codicon codicon-debug-stop" aria-hidden="true"></span> Shut down</button>
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
  </main>`,
  );
}

export function configViewHtml(page: PanelPage): string {
  return webviewPage(
    page,
    'Lambda configuration',
    `  <p id="empty" class="empty">Select a function in the Functions view.</p>
  <form id="form" hidden aria-labelledby="function-name">
    <h2 id="function-name"></h2>
    <p id="source" class="mark"></p>
    <label for="memorySize">Memory (MB)</label>
    <input id="memorySize" name="memorySize" type="number" min="${LIMITS.memoryMB.min}" max="${LIMITS.memoryMB.max}" step="1" aria-describedby="memorySize-note cpu-note memorySize-problem">
    <p id="memorySize-note" class="mark"></p><p id="cpu-note" class="mark" role="status"></p><p id="memorySize-problem" class="problem" role="alert"></p>
    <label for="timeout">Timeout (seconds)</label>
    <input id="timeout" name="timeout" type="number" min="${LIMITS.timeoutSeconds.min}" max="${LIMITS.timeoutSeconds.max}" step="1" aria-describedby="timeout-problem">
    <p id="timeout-problem" class="problem" role="alert"></p>
    <label for="ephemeralStorage">Ephemeral storage, /tmp (MB)</label>
    <input id="ephemeralStorage" name="ephemeralStorage" type="number" min="${LIMITS.ephemeralStorageMB.min}" max="${LIMITS.ephemeralStorageMB.max}" step="1" aria-describedby="ephemeralStorage-problem">
    <p id="ephemeralStorage-problem" class="problem" role="alert"></p>
    <label for="runtime">Runtime</label>
    <select id="runtime" name="runtime"></select>
    <p id="runtime-problem" class="problem" role="alert"></p>
    <fieldset>
      <legend>Logging (LoggingConfig)</legend>
      <label for="logFormat">Log format</label>
      <select id="logFormat" name="logFormat" aria-describedby="logFormat-problem"><option value="Text">Text</option><option value="JSON">JSON</option></select>
      <label for="applicationLogLevel">Application log level (JSON)</label>
      <select id="applicationLogLevel" name="applicationLogLevel">${APPLICATION_LOG_LEVELS.map((l) => `<option value="${l}">${l}</option>`).join('')}</select>
      <label for="systemLogLevel">System log level (JSON)</label>
      <select id="systemLogLevel" name="systemLogLevel">${SYSTEM_LOG_LEVELS.map((l) => `<option value="${l}">${l}</option>`).join('')}</select>
      <p id="logFormat-problem" class="problem" role="alert"></p>
    </fieldset>
    <fieldset>
      <legend>Environment variables</legend>
      <table id="variables" aria-label="Environment variables"><thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody></tbody></table>
      <button id="add-variable" type="button"><span class="codicon codicon-add" aria-hidden="true"></span> Add variable</button>
      <p id="environment-note" class="mark"></p><p id="environment-problem" class="problem" role="alert"></p>
    </fieldset>
    <div class="actions">
      <button id="apply" type="submit"><span class="codicon codicon-check" aria-hidden="true"></span> Apply</button>
      <button id="write-template" type="button"><span class="codicon codicon-save" aria-hidden="true"></span> Write to template</button>
    </div>
    <p id="status" role="status"></p>
  </form>`,
  );
}

export function tuneChartHtml(page: PanelPage): string {
  return webviewPage(
    page,
    'Memory tuning',
    `  <h1 id="title">Memory tuning</h1>
  <p id="recommendation" role="status"></p>
  <fieldset id="apply-to">
    <legend>Apply writes MemorySize to</legend>
    <div id="apply-targets"></div>
  </fieldset>
  <div class="actions" role="group" aria-label="Apply a memory size">
    <button id="apply-balanced" type="button" disabled><span class="codicon codicon-check" aria-hidden="true"></span> Apply balanced</button>
    <button id="apply-cheapest" type="button" class="secondary" disabled>Apply cheapest</button>
    <button id="apply-fastest" type="button" class="secondary" disabled>Apply fastest</button>
  </div>
  <p id="status" role="status"></p>
  <section aria-labelledby="duration-title">
    <h2 id="duration-title">Duration against memory</h2>
    <div class="chart"><canvas id="duration-chart" role="img" aria-label="Duration (ms) against memory (MB), cold and warm"></canvas></div>
  </section>
  <section aria-labelledby="cost-title">
    <h2 id="cost-title">Cost per million invocations against memory</h2>
    <div class="chart"><canvas id="cost-chart" role="img" aria-label="Cost per million invocations (USD) against memory (MB)"></canvas></div>
  </section>
  <table id="sizes" aria-label="Results per memory size"><thead><tr><th scope="col">Memory (MB)</th><th scope="col">Cold Init (ms)</th><th scope="col">First Duration (ms)</th><th scope="col">Warm p50 (ms)</th><th scope="col">Warm p90 (ms)</th><th scope="col">Billed (ms)</th><th scope="col">Max Memory Used (MB)</th><th scope="col">$ per 1M</th></tr></thead><tbody></tbody></table>
  <p id="prices" class="mark"></p>`,
  );
}
