// Tune Memory…: runs a function at several memory sizes (engine/tuning/tuneRun.ts) under a
// cancellable progress notification, then opens the tuning chart (src/webviews/tuneChart.ts)
// with the results; Apply writes the chosen MemorySize where the Configuration view writes
// it: the local settings, or (offered for a function of a SAM template) into the template.
// Runs from the command palette, the CodeLens over a handler and the Functions view.

import * as vscode from 'vscode';
import { tuneMemory } from '../engine/tuning/tuneRun';
import type { SizeResult, TuneSummary } from '../protocol/tuning';
import { resolveLaunch } from '../adapter/launchResolution';
import { probeNodeVersion } from '../adapter/nodeProbe';
import type { LambdaLaunchArguments } from '../protocol/debugProtocol';
import type { FromTuneChart, ToTuneChart, TuneChartShow } from '../protocol/webviewProtocol';
import type { ConfigurationView } from './configurationView';
import { functionConfigurations } from './configurationProvider';
import { Settings } from './contributions';
import { readSetting } from './vscodeContributions';
import { showPage } from './webviewContent';
import { tuneChartHtml } from './webviewPages';

const DEFAULT_SIZES = '128,256,512,1024,1769,3008';

/** Runs Tune Memory… for `launch` (or a function picked from the workspace). */
export async function runTuneMemory(
  context: vscode.ExtensionContext,
  configuration: ConfigurationView,
  launch: LambdaLaunchArguments | undefined,
): Promise<{ sizes: SizeResult[]; summary: TuneSummary } | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!launch) {
    if (!root) return void vscode.window.showErrorMessage('Open a folder with a Lambda function to tune its memory.');
    const picks = functionConfigurations(root).map((c) => ({
      label: String(c.name),
      launch: c as LambdaLaunchArguments,
    }));
    const picked = await vscode.window.showQuickPick(picks, { title: 'Tune Memory: which function?' });
    if (!picked) return;
    launch = picked.launch;
  }
  const sizesText = await vscode.window.showInputBox({
    title: 'Tune Memory: memory sizes (MB)',
    value: readSetting(Settings.tuneSizes) || DEFAULT_SIZES,
    validateInput: (text) =>
      text.split(',').every((part) => /^\d+$/.test(part.trim()) && +part >= 128 && +part <= 10240)
        ? null
        : 'Comma-separated sizes from 128 to 10240 MB.',
  });
  if (!sizesText) return;
  const memorySizesMB = sizesText.split(',').map((part) => Number(part.trim()));
  let resolved;
  try {
    resolved = await resolveLaunch({ ...launch, cwd: launch.cwd ?? root }, probeNodeVersion, root);
  } catch (error) {
    return void vscode.window.showErrorMessage(`Tune Memory: ${(error as Error).message}`);
  }
  const { config, payload, nodeExecutable } = resolved;
  const cpu = launch.cpu ?? readSetting(Settings.cpu) ?? 'share';
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Tuning memory of ${config.name}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return tuneMemory({
        config,
        payload,
        memorySizesMB,
        times: 10,
        region: process.env.AWS_REGION ?? 'us-east-1',
        architecture: 'x86_64',
        engineOptions: { nodeExecutable, cpu, sandbox: launch.sandbox },
        signal: abort.signal,
        onSize: (size) =>
          progress.report({
            increment: 100 / memorySizesMB.length,
            message: `${size.memorySizeMB} MB: ${size.ok ? `warm p50 ${size.warmP50Ms?.toFixed(1)} ms` : size.errorType}`,
          }),
      });
    },
  );
  if (cpu === 'full') {
    void vscode.window.showWarningMessage(
      'Tune Memory ran at the machine\'s full speed (lambdaLifecycle.cpu is "full"): durations do not follow memory as on Lambda.',
    );
  }
  const selected = { name: config.name, launch };
  const show: TuneChartShow = {
    type: 'show',
    sizes: result.sizes,
    summary: result.summary,
    targets: configuration.applyTargets(selected),
  };
  const panel = vscode.window.createWebviewPanel(
    'lambdaLifecycle.tuneChart',
    `Memory tuning: ${config.name}`,
    vscode.ViewColumn.Active,
  );
  showPage(panel.webview, context.extensionUri, 'tuneChart.js', tuneChartHtml);
  const post = (message: ToTuneChart) => void panel.webview.postMessage(message);
  panel.webview.onDidReceiveMessage(async (message: FromTuneChart) => {
    if (message.type === 'ready') post(show);
    else {
      const note = await configuration
        .applyMemorySize(selected, message.memorySizeMB, message.target)
        .catch((error: Error) => `Not written: ${error.message}`);
      post({ type: 'applied', note });
    }
  });
  return result;
}
