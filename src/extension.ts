// The extension's wiring in VS Code: the `lambda` debug type with its adapter inline in
// the extension host, the configuration provider (F5 with no launch.json offers the
// functions of the workspace's templates), VS Code's JavaScript debugger attached to each
// environment as a child session, the Invoke / Invoke cold / Invoke with event… /
// Shut down commands on the debug toolbar, the clock paused while that debugger is, and
// the Lambda language server (diagnostics, CodeLens Invoke / Debug, hovers).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { StatePanel } from './ui/statePanel';
import { FunctionsTree } from './ui/functionsTree';
import { ConfigurationView } from './ui/configurationView';
import { LambdaDebugSession } from './adapter/lambdaDebugSession';
import { discoverConfigFiles, readFunctions } from './config';
import {
  DEBUG_TYPE,
  Events,
  Requests,
  type AttachEventBody,
  type InvokeArguments,
  type LambdaLaunchArguments,
} from './protocol/debugProtocol';

/** What a child JavaScript debug session carries to find its environment. */
const ENVIRONMENT_KEY = '__lambdaEnvironmentId';

/** What the extension gives other extensions (and its tests). */
export interface LambdaLifecycleApi {
  functions: FunctionsTree;
  configuration: ConfigurationView;
}

export function activate(context: vscode.ExtensionContext): LambdaLifecycleApi {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new LambdaDebugSession()),
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new LambdaConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new LambdaConfigurationProvider(),
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => onCustomEvent(event, context)),
    vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
      createDebugAdapterTracker: (session) => pauseTracker(session),
    }),
    vscode.commands.registerCommand('lambdaLifecycle.invoke', () => invoke({})),
    vscode.commands.registerCommand('lambdaLifecycle.invokeCold', () => invoke({ cold: true })),
    vscode.commands.registerCommand('lambdaLifecycle.invokeWithEvent', invokeWithEvent),
    vscode.commands.registerCommand('lambdaLifecycle.shutdown', shutdown),
    // CodeLens over handlers: run (no stops) or debug the function.
    vscode.commands.registerCommand('lambdaLifecycle.invokeFunction', (target: LambdaLaunchArguments) =>
      launchFunction(target, true),
    ),
    vscode.commands.registerCommand('lambdaLifecycle.debugFunction', (target: LambdaLaunchArguments) =>
      launchFunction(target, false),
    ),
    // The toolbar's Lambda buttons show while a lambda session runs, also when one of its
    // JavaScript child sessions is the focused one.
    vscode.debug.onDidStartDebugSession((session) => updateActiveContext(session, true)),
    vscode.debug.onDidTerminateDebugSession((session) => updateActiveContext(session, false)),
  );
  const functions = new FunctionsTree(async () =>
    languageClient ? languageClient.sendRequest('lambda/workspaceHandlers') : [],
  );
  const functionsView = vscode.window.createTreeView('lambdaLifecycle.functions', { treeDataProvider: functions });
  const configuration = new ConfigurationView(context);
  type FunctionNode = { launch: LambdaLaunchArguments; handlerFile: string | null };
  context.subscriptions.push(
    functions,
    functionsView,
    functionsView.onDidChangeSelection((event) => {
      const item = event.selection[0];
      if (item?.kind === 'function') configuration.select({ name: item.name, launch: item.launch });
    }),
    vscode.window.registerWebviewViewProvider('lambdaLifecycle.configuration', configuration),
    vscode.commands.registerCommand('lambdaLifecycle.functions.invoke', (item: FunctionNode) =>
      launchFunction(item.launch, true),
    ),
    vscode.commands.registerCommand('lambdaLifecycle.functions.debug', (item: FunctionNode) =>
      launchFunction(item.launch, false),
    ),
    vscode.commands.registerCommand('lambdaLifecycle.functions.openHandler', async (item: FunctionNode) => {
      if (item.handlerFile) await vscode.window.showTextDocument(vscode.Uri.file(item.handlerFile));
      else void vscode.window.showErrorMessage(`Lambda: no file for the handler "${item.launch.handler}".`);
    }),
    vscode.commands.registerCommand('lambdaLifecycle.functions.refresh', () => functions.refresh()),
  );
  const statePanel = new StatePanel(context);
  context.subscriptions.push(
    statePanel,
    vscode.commands.registerCommand('lambdaLifecycle.showState', () => statePanel.show()),
  );
  languageClient = startLanguageClient(context);
  return { functions, configuration };
}

const lambdaSessions = new Set<string>();

function updateActiveContext(session: vscode.DebugSession, running: boolean): void {
  if (session.type !== DEBUG_TYPE) return;
  if (running) lambdaSessions.add(session.id);
  else lambdaSessions.delete(session.id);
  void vscode.commands.executeCommand('setContext', 'lambdaLifecycle.active', lambdaSessions.size > 0);
}

let languageClient: LanguageClient | undefined;

export async function deactivate(): Promise<void> {
  await languageClient?.stop();
}

function startLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'languageServer.js'));
  const client = new LanguageClient(
    'lambdaLifecycle',
    'Lambda',
    { run: { module, transport: TransportKind.ipc }, debug: { module, transport: TransportKind.ipc } },
    {
      documentSelector: [
        { scheme: 'file', language: 'javascript' },
        { scheme: 'file', language: 'typescript' },
        { scheme: 'file', pattern: '**/{template.{yaml,yml,json},serverless.{yml,yaml},.vscode/launch.json}' },
      ],
      synchronize: {
        configurationSection: 'lambdaLifecycle',
        fileEvents: vscode.workspace.createFileSystemWatcher(
          '**/{template.{yaml,yml,json},serverless.{yml,yaml},.vscode/launch.json}',
        ),
      },
      initializationOptions: {
        lambdaLifecycle: { checks: vscode.workspace.getConfiguration('lambdaLifecycle').get('checks') },
      },
    },
  );
  void client.start();
  return client;
}

async function launchFunction(target: LambdaLaunchArguments, noDebug: boolean): Promise<void> {
  const name = target.function ?? target.handler ?? 'handler';
  const folder = vscode.workspace.workspaceFolders?.[0];
  await vscode.debug.startDebugging(
    folder,
    { type: DEBUG_TYPE, request: 'launch', name: `Lambda: ${name}`, ...target },
    { noDebug },
  );
}

class LambdaConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** With no launch.json: the functions of the workspace's templates, to pick from. */
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const root = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!root) return [];
    return functionConfigurations(root);
  }

  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const root = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!config.type && !config.request && !config.name) {
      // F5 with no launch.json: offer the functions found.
      const found = root ? functionConfigurations(root) : [];
      if (found.length === 0) {
        await vscode.window.showErrorMessage(
          'Lambda: no function found. Add a template.yaml (SAM) or serverless.yml, or a "lambda" launch configuration with a "handler".',
        );
        return undefined;
      }
      const picked =
        found.length === 1
          ? found[0]
          : (
              await vscode.window.showQuickPick(
                found.map((c) => ({
                  label: c.function as string,
                  description: path.relative(root!, c.template as string),
                  config: c,
                })),
                { placeHolder: 'Debug which Lambda function?' },
              )
            )?.config;
      if (!picked) return undefined;
      config = picked;
    }
    const launch = config as vscode.DebugConfiguration & LambdaLaunchArguments;
    launch.cwd ??= root;
    launch.lineDebugging ??= true;
    return launch;
  }
}

function functionConfigurations(root: string): vscode.DebugConfiguration[] {
  const configurations: vscode.DebugConfiguration[] = [];
  for (const file of discoverConfigFiles(root)) {
    try {
      for (const definition of readFunctions(file).functions) {
        const source = definition.config.source;
        const name =
          source.kind === 'sam' ? source.logicalId : source.kind === 'serverless' ? source.key : definition.config.name;
        configurations.push({
          type: DEBUG_TYPE,
          request: 'launch',
          name: `Lambda: ${name}`,
          template: file,
          function: name,
        });
      }
    } catch {
      // A template that does not parse offers nothing; the language server reports it.
    }
  }
  return configurations;
}

/** Per environment: the JavaScript debug session stopped in it, and its stopped thread. */
const pausedTargets = new Map<string, { session: vscode.DebugSession; threadId: number }>();

async function onCustomEvent(event: vscode.DebugSessionCustomEvent, context: vscode.ExtensionContext): Promise<void> {
  if (event.session.type !== DEBUG_TYPE) return;
  if (event.event === Events.continue) {
    // Continue pressed on the environment's thread of the Lambda session.
    const target = pausedTargets.get((event.body as { environmentId: string }).environmentId);
    if (target)
      await target.session.customRequest('continue', { threadId: target.threadId }).then(undefined, () => undefined);
    return;
  }
  if (event.event !== Events.attach) return;
  const body = event.body as AttachEventBody;
  const runtimeDir = path.join(context.extensionPath, 'dist', 'runtime');
  await vscode.debug.startDebugging(
    event.session.workspaceFolder,
    {
      type: 'pwa-node',
      request: 'attach',
      name: body.name,
      websocketAddress: body.websocketAddress,
      continueOnAttach: true,
      // Source maps of the user's code wherever it is, and of our phase points (phases.ts).
      resolveSourceMapLocations: ['**', '!**/node_modules/**'],
      // Our runtime is skipped: Step Into from a phase stop lands in the user's code.
      skipFiles: ['<node_internals>/**', `${runtimeDir}/node/bootstrap.js`, `${runtimeDir}/node/tsLoaderHooks.js`],
      [ENVIRONMENT_KEY]: body.environmentId,
    },
    {
      parentSession: event.session,
      lifecycleManagedByParent: true,
      consoleMode: vscode.DebugConsoleMode.MergeWithParent,
      compact: true,
    },
  );
}

/** Tells the Lambda session when the JavaScript debugger pauses or resumes an environment,
 * so the function's clock stops meanwhile. */
function pauseTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
  // js-debug runs the target in a child of the session we started: walk up to ours.
  let environmentId: string | undefined;
  let parent: vscode.DebugSession | undefined = session;
  while (parent && parent.type !== DEBUG_TYPE) {
    environmentId ??= parent.configuration[ENVIRONMENT_KEY] as string | undefined;
    parent = parent.parentSession;
  }
  if (!environmentId || !parent) return undefined;
  const lambda = parent;
  const tell = (paused: boolean) =>
    void lambda.customRequest(Requests.debuggerPaused, { environmentId, paused }).then(undefined, () => undefined);
  return {
    onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
      if (message.type === 'event' && message.event === 'stopped') {
        pausedTargets.set(environmentId, { session, threadId: message.body?.threadId ?? 0 });
        tell(true);
      }
    },
    // Stepping is debugger time too: the clock runs again only on Continue.
    onWillReceiveMessage: (message: { type?: string; command?: string }) => {
      if (message.type === 'request' && message.command === 'continue') {
        pausedTargets.delete(environmentId);
        tell(false);
      }
    },
    onExit: () => pausedTargets.delete(environmentId),
  };
}

/** The Lambda session the command is for: the active one, or its parent. */
function lambdaSession(): vscode.DebugSession | undefined {
  let session = vscode.debug.activeDebugSession;
  while (session && session.type !== DEBUG_TYPE) session = session.parentSession;
  return session;
}

async function invoke(args: InvokeArguments): Promise<void> {
  const session = lambdaSession();
  if (!session) {
    void vscode.window.showErrorMessage('Lambda: start a "lambda" debug session first (F5).');
    return;
  }
  try {
    await session.customRequest(Requests.invoke, args);
  } catch (error) {
    void vscode.window.showErrorMessage(`Lambda: ${(error as Error).message}`);
  }
}

async function invokeWithEvent(): Promise<void> {
  const files = await vscode.workspace.findFiles('**/*.json', '**/{node_modules,.aws-sam,dist}/**', 200);
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Invoke with which event?' },
  );
  if (picked) await invoke({ event: picked.uri.fsPath });
}

async function shutdown(): Promise<void> {
  const session = lambdaSession();
  if (!session) return;
  try {
    await session.customRequest(Requests.shutdown, {});
  } catch (error) {
    void vscode.window.showErrorMessage(`Lambda: ${(error as Error).message}`);
  }
}
