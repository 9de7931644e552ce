// The `lambda` debug configurations VS Code asks for: with no launch.json, the functions of
// the workspace's templates (F5 offers them in a pick), and every launch resolved with the
// workspace folder as `cwd`, VS Code's JavaScript debugger on (`lineDebugging`) and the AWS
// profile picked in the sidebar (unless the configuration names its own); the launch's
// engine started ahead of the session, from when its function is highlighted in the pick.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { Settings } from './contributions';
import { discoverConfigFiles, readFunctions } from '../config';
import { DEBUG_TYPE, type LambdaLaunchArguments } from '../protocol/debugProtocol';
import { readSetting } from './vscodeContributions';
import { activateJsDebugAhead } from './jsDebugBridge';
import type { LaunchesAhead } from '../adapter/sessionEngine';
import type { DebugConsoleOpening } from './debugConsole';

export class LambdaConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly ahead?: Pick<LaunchesAhead, 'prepare' | 'discard'>,
    private readonly debugConsole?: Pick<DebugConsoleOpening, 'takeOver'>,
  ) {}

  /** With no launch.json: the functions of the workspace's templates, to pick from. */
  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    const root = workspaceRoot(folder);
    return root ? functionConfigurations(root) : [];
  }

  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    // A debug session is coming (the function still to be picked): the JavaScript debugger
    // activates meanwhile, off the way to the first stop.
    if (!config.noDebug && config.lineDebugging !== false) activateJsDebugAhead();
    const root = workspaceRoot(folder);
    if (!config.type && !config.request && !config.name) {
      // F5 with no launch.json: offer the functions found.
      const picked = await pickFunction(root, (c) => this.complete(c, folder, root), this.ahead);
      if (!picked) return undefined;
      config = picked;
    }
    const launch = this.complete(config, folder, root);
    // With VS Code's JavaScript debugger started on the way to the first stop, the Debug
    // Console opens after that stop (debugConsole.ts).
    if (!launch.noDebug && launch.lineDebugging !== false) this.debugConsole?.takeOver(launch);
    // The launch as it will run (no variable left for VS Code to substitute): its engine and
    // the first environment's process start now, while VS Code starts the session
    // (adapter/sessionEngine.ts). (Not in resolveDebugConfigurationWithSubstitutedVariables:
    // one more round trip through the workbench on the way to the session.)
    if (launch.request === 'launch' && launch.prepared === undefined && !JSON.stringify(launch).includes('${'))
      launch.prepared = this.ahead?.prepare(launch);
    return launch;
  }

  /** The launch with what the extension adds: the workspace folder as `cwd`, VS Code's
   * JavaScript debugger on, the profile and CPU setting of the Lambda sidebar. */
  private complete(
    config: vscode.DebugConfiguration,
    folder: vscode.WorkspaceFolder | undefined,
    root: string | undefined,
  ): vscode.DebugConfiguration & LambdaLaunchArguments {
    const launch = config as vscode.DebugConfiguration & LambdaLaunchArguments;
    launch.cwd ??= root;
    launch.lineDebugging ??= true;
    // The profile picked in the Lambda sidebar, unless the configuration names its own.
    const profile = readSetting(Settings.awsProfile, folder?.uri);
    if (profile && launch.profile === undefined && launch.credentials === undefined) {
      if (profile === 'none') launch.credentials = 'none';
      else launch.profile = profile;
    }
    launch.cpu ??= readSetting(Settings.cpu, folder?.uri) ?? 'share';
    return launch;
  }
}

/** Registers the provider for both the initial and the dynamic (F5 drop-down) configurations. */
export function registerConfigurationProvider(
  ahead?: Pick<LaunchesAhead, 'prepare' | 'discard'>,
  debugConsole?: Pick<DebugConsoleOpening, 'takeOver'>,
): vscode.Disposable[] {
  const provider = new LambdaConfigurationProvider(ahead, debugConsole);
  return [
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      provider,
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
  ];
}

function workspaceRoot(folder: vscode.WorkspaceFolder | undefined): string | undefined {
  return folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

interface Highlight {
  config: vscode.DebugConfiguration;
  timer: NodeJS.Timeout;
  prepared?: string;
}

/** How long a function stays highlighted in the pick before its engine starts ahead. */
const HIGHLIGHT_MS = 150;

/** The function to debug: the only one, or the one picked. While the pick is open, the
 * function highlighted for a moment has its engine started ahead (its launch then carries
 * the id); the others' are closed as the highlight moves on or the pick closes. */
async function pickFunction(
  root: string | undefined,
  complete: (config: vscode.DebugConfiguration) => vscode.DebugConfiguration & LambdaLaunchArguments,
  ahead: Pick<LaunchesAhead, 'prepare' | 'discard'> | undefined,
): Promise<vscode.DebugConfiguration | undefined> {
  const found = root ? functionConfigurations(root) : [];
  if (!root || found.length === 0) {
    await vscode.window.showErrorMessage(
      'Lambda: no function found. Add a template.yaml (SAM) or serverless.yml, or a "lambda" launch configuration with a "handler".',
    );
    return undefined;
  }
  if (found.length === 1) return found[0];
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { config: vscode.DebugConfiguration }>();
  pick.placeholder = 'Debug which Lambda function?';
  pick.items = found.map((c) => ({
    label: c.function as string,
    description: path.relative(root, c.template as string),
    config: c,
  }));
  // The function highlighted now, and its engine's id once started.
  const state: { highlighted: Highlight | null } = { highlighted: null };
  const letGo = () => {
    if (!state.highlighted) return;
    clearTimeout(state.highlighted.timer);
    if (state.highlighted.prepared !== undefined) ahead?.discard(state.highlighted.prepared);
    state.highlighted = null;
  };
  const subscriptions: vscode.Disposable[] = [];
  if (ahead)
    subscriptions.push(
      pick.onDidChangeActive(([item]) => {
        if (item?.config === state.highlighted?.config) return;
        letGo();
        if (!item) return;
        const entry: Highlight = {
          config: item.config,
          timer: setTimeout(() => (entry.prepared = ahead.prepare(complete({ ...item.config }))), HIGHLIGHT_MS),
        };
        state.highlighted = entry;
      }),
    );
  try {
    const picked = await new Promise<vscode.DebugConfiguration | undefined>((resolve) => {
      subscriptions.push(
        pick.onDidAccept(() => resolve(pick.selectedItems[0]?.config)),
        pick.onDidHide(() => resolve(undefined)),
      );
      pick.show();
    });
    if (!picked) return undefined;
    // The picked function's engine, if it started ahead, goes with its launch.
    if (state.highlighted && state.highlighted.config === picked && state.highlighted.prepared !== undefined) {
      clearTimeout(state.highlighted.timer);
      const prepared = state.highlighted.prepared;
      state.highlighted = null;
      return { ...complete({ ...picked }), prepared };
    }
    return { ...picked };
  } finally {
    letGo();
    for (const d of subscriptions) d.dispose();
    pick.dispose();
  }
}

/** A launch configuration for each function of the workspace's templates. */
export function functionConfigurations(root: string): vscode.DebugConfiguration[] {
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
