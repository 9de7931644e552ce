// The extension's wiring in VS Code, and nothing else: the `lambda` debug type with its
// adapter inline in the extension host (logging to the "Lambda Lifecycle" output), the
// configuration provider, the bridge to VS Code's JavaScript debugger, the progress of what
// a runtime fetches, when a session's Debug Console opens, the commands, the
// Lambda sidebar (Functions, Configuration), the state panel and the language client.
// Everything registered lives in `context.subscriptions`; there is no module state.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LambdaDebugSession } from './adapter/lambdaDebugSession';
import { probeNodeVersion } from './adapter/nodeProbe';
import { LaunchesAhead } from './adapter/sessionEngine';
import { DEBUG_TYPE } from './protocol/debugProtocol';
import { registerCommands } from './ui/commands';
import { ServingStatusBar } from './ui/servingStatusBar';
import { runTuneMemory } from './ui/tuneMemory';
import { registerCommand } from './ui/vscodeContributions';
import { registerConfigurationProvider } from './ui/configurationProvider';
import { ConfigurationView } from './ui/configurationView';
import { Commands, ContextKeys, Settings, Views } from './ui/contributions';
import { FunctionsTree } from './ui/functionsTree';
import { JsDebugBridge } from './ui/jsDebugBridge';
import { DebugConsoleOpening } from './ui/debugConsole';
import { JsDebugViews } from './ui/jsDebugViews';
import { LambdaLanguageClient } from './ui/languageClient';
import { ActiveSessionsContext } from './ui/lambdaSessions';
import { adapterLogger, createLog } from './ui/log';
import { StatePanel } from './ui/statePanel';
import { InitCodeLens } from './ui/initCodeLens';
import { ProvisioningProgress } from './ui/provisioningProgress';
import { readSetting, setContext } from './ui/vscodeContributions';

/** What the extension gives other extensions (and its tests). */
export interface LambdaLifecycleApi {
  functions: FunctionsTree;
  configuration: ConfigurationView;
  serving: ServingStatusBar;
}

export function activate(context: vscode.ExtensionContext): LambdaLifecycleApi {
  const log = createLog();
  context.subscriptions.push(log);

  const jsDebugViews = new JsDebugViews(path.join(context.extensionPath, 'dist', 'runtime'), log);
  // Engines started when VS Code resolves a launch, taken by its session (or closed).
  const launchesAhead = new LaunchesAhead(probeNodeVersion);
  const jsDebugBridge = new JsDebugBridge(context.extensionPath, log);
  const debugConsole = new DebugConsoleOpening();
  context.subscriptions.push(
    { dispose: () => void launchesAhead.dispose() },
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: (session) =>
        new vscode.DebugAdapterInlineImplementation(
          new LambdaDebugSession({
            logger: adapterLogger(log, readSetting(Settings.trace) ?? 'off', session.name),
            onPhaseStop: (stop) => jsDebugViews.expectPhaseStop(stop),
            launchesAhead,
            onAttach: (body) =>
              void jsDebugBridge
                .attach(session, body)
                .catch((error: unknown) => log.error('JavaScript debugger bridge', error)),
          }),
        ),
    }),
    debugConsole,
    ...registerConfigurationProvider(launchesAhead, debugConsole),
    jsDebugBridge,
    new ProvisioningProgress(),
    jsDebugViews,
    new ActiveSessionsContext((active) => setContext(ContextKeys.active, active)),
  );
  const serving = new ServingStatusBar();
  context.subscriptions.push(serving);

  const languageClient = new LambdaLanguageClient(context, log);
  const functions = new FunctionsTree(() => languageClient.workspaceHandlers());
  const functionsView = vscode.window.createTreeView(Views.functions, { treeDataProvider: functions });
  const configuration = new ConfigurationView(context);
  const statePanel = new StatePanel(context);
  const initLens = new InitCodeLens();
  context.subscriptions.push(
    initLens,
    registerCommand(Commands.showInitEntry, (target) => statePanel.revealInit(target)),
    languageClient,
    functions,
    functionsView,
    functionsView.onDidChangeSelection((event) => {
      const item = event.selection[0];
      if (item?.kind === 'function') configuration.select({ name: item.name, launch: item.launch });
    }),
    vscode.window.registerWebviewViewProvider(Views.configuration, configuration),
    statePanel,
    ...registerCommands({ showState: (at) => statePanel.show(at), refreshFunctions: () => functions.refresh() }),
    registerCommand(Commands.tuneMemory, (launch) => runTuneMemory(context, configuration, launch)),
    registerCommand(Commands.functionsTuneMemory, (item) => runTuneMemory(context, configuration, item.launch)),
  );
  log.info('Lambda Lifecycle Debugger activated');
  return { functions, configuration, serving };
}
