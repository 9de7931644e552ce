// The `lambda` debug configurations VS Code asks for: with no launch.json, the functions of
// the workspace's templates (F5 offers them in a pick), and every launch resolved with the
// workspace folder as `cwd`, VS Code's JavaScript debugger on (`lineDebugging`) and the AWS
// profile picked in the sidebar (unless the configuration names its own); once resolved,
// the launch's engine is started ahead of the session.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { Settings } from './contributions';
import { discoverConfigFiles, readFunctions } from '../config';
import { DEBUG_TYPE, type LambdaLaunchArguments } from '../protocol/debugProtocol';
import { readSetting } from './vscodeContributions';
import { activateJsDebugAhead } from './jsDebugBridge';
import type { LaunchesAhead } from '../adapter/sessionEngine';

export class LambdaConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly ahead?: Pick<LaunchesAhead, 'prepare'>) {}

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
      const picked = await pickFunction(root);
      if (!picked) return undefined;
      config = picked;
    }
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

  /** The launch as it will run: its engine and the first environment's process start now,
   * while VS Code starts the session (adapter/sessionEngine.ts). */
  resolveDebugConfigurationWithSubstitutedVariables(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration {
    const launch = config as vscode.DebugConfiguration & LambdaLaunchArguments;
    if (launch.request === 'launch' && launch.prepared === undefined) launch.prepared = this.ahead?.prepare(launch);
    return launch;
  }
}

/** Registers the provider for both the initial and the dynamic (F5 drop-down) configurations. */
export function registerConfigurationProvider(ahead?: Pick<LaunchesAhead, 'prepare'>): vscode.Disposable[] {
  const provider = new LambdaConfigurationProvider(ahead);
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

async function pickFunction(root: string | undefined): Promise<vscode.DebugConfiguration | undefined> {
  const found = root ? functionConfigurations(root) : [];
  if (!root || found.length === 0) {
    await vscode.window.showErrorMessage(
      'Lambda: no function found. Add a template.yaml (SAM) or serverless.yml, or a "lambda" launch configuration with a "handler".',
    );
    return undefined;
  }
  if (found.length === 1) return found[0];
  const picked = await vscode.window.showQuickPick(
    found.map((c) => ({
      label: c.function as string,
      description: path.relative(root, c.template as string),
      config: c,
    })),
    { placeHolder: 'Debug which Lambda function?' },
  );
  return picked?.config;
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
