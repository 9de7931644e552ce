// The extension's commands: Invoke / Invoke cold / Invoke with event… / Shut down on the
// debug toolbar (sent to the focused lambda session as custom requests; "Invoke with event…"
// also offers a new sample event), Show state, the CodeLens Invoke / Debug of a handler, the
// Functions view's item actions, and the AWS profile picker (its choice kept in the
// workspace's settings).

import * as vscode from 'vscode';
import { DEBUG_TYPE, Requests, type InvokeArguments, type LambdaLaunchArguments } from '../protocol/debugProtocol';
import { Commands, Settings, type FunctionNode } from './contributions';
import type { PanelEntry } from '../protocol/webviewProtocol';
import { listProfiles } from '../provision/profiles';
import { activeLambdaSession } from './lambdaSessions';
import { newSampleEvent } from './sampleEvents';
import { registerCommand } from './vscodeContributions';

/** What the commands act on besides debug sessions. */
export interface CommandTargets {
  /** Opens the state panel, at a lifecycle entry when given (a Call Stack frame). */
  showState(at?: PanelEntry): void;
  refreshFunctions(): void;
}

export function registerCommands(targets: CommandTargets): vscode.Disposable[] {
  return [
    registerCommand(Commands.invoke, () => invoke({})),
    registerCommand(Commands.invokeCold, () => invoke({ cold: true })),
    registerCommand(Commands.invokeWithEvent, invokeWithEvent),
    registerCommand(Commands.shutdown, shutdown),
    registerCommand(Commands.showState, (at) => targets.showState(at)),
    // CodeLens over handlers: run (no stops) or debug the function.
    registerCommand(Commands.invokeFunction, (target) => launchFunction(target, true)),
    registerCommand(Commands.debugFunction, (target) => launchFunction(target, false)),
    registerCommand(Commands.functionsInvoke, (item) => launchFunction(item.launch, true)),
    registerCommand(Commands.functionsDebug, (item) => launchFunction(item.launch, false)),
    registerCommand(Commands.functionsOpenHandler, openHandler),
    registerCommand(Commands.functionsRefresh, () => targets.refreshFunctions()),
    registerCommand(Commands.chooseAwsProfile, chooseAwsProfile),
  ];
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

async function chooseAwsProfile(): Promise<void> {
  let profiles: Awaited<ReturnType<typeof listProfiles>> = [];
  try {
    profiles = await listProfiles();
  } catch (error) {
    void vscode.window.showWarningMessage(`Lambda: cannot read the AWS configuration: ${(error as Error).message}`);
  }
  const items: Array<vscode.QuickPickItem & { value: string }> = [
    { label: 'Default chain', description: 'as the AWS CLI: AWS_PROFILE, else "default"', value: '' },
    ...profiles.map((p) => ({
      label: p.name,
      description: [p.kind, p.region].filter(Boolean).join(' · '),
      value: p.name,
    })),
    { label: 'No credentials', description: 'functions get no AWS credentials', value: 'none' },
  ];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'AWS credentials for Lambda sessions' });
  if (!picked) return;
  const [section, key] = Settings.awsProfile.split('.');
  await vscode.workspace.getConfiguration(section).update(key, picked.value, vscode.ConfigurationTarget.Workspace);
}

async function openHandler(item: FunctionNode): Promise<void> {
  if (item.handlerFile) await vscode.window.showTextDocument(vscode.Uri.file(item.handlerFile));
  else void vscode.window.showErrorMessage(`Lambda: no file for the handler "${item.launch.handler}".`);
}

async function invoke(args: InvokeArguments): Promise<void> {
  const session = activeLambdaSession();
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
  const NEW_SAMPLE = '$(add) New sample event…';
  const picked = await vscode.window.showQuickPick(
    [
      { label: NEW_SAMPLE, description: 'API Gateway, S3, SQS, … as AWS sends it', uri: undefined },
      ...files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), description: '', uri })),
    ],
    { placeHolder: 'Invoke with which event?' },
  );
  if (!picked) return;
  const file = picked.uri?.fsPath ?? (await newSampleEvent());
  if (file) await invoke({ event: file });
}

async function shutdown(): Promise<void> {
  const session = activeLambdaSession();
  if (!session) return;
  try {
    await session.customRequest(Requests.shutdown, {});
  } catch (error) {
    void vscode.window.showErrorMessage(`Lambda: ${(error as Error).message}`);
  }
}
