// Typed access to the contributed ids of contributions.ts through the vscode API:
// registering a command with its own argument types, reading a setting with its own
// value type, setting a context key.

import * as vscode from 'vscode';
import type { CommandArguments, CommandId, SettingId, SettingValues } from './contributions';

export function registerCommand<C extends CommandId>(
  id: C,
  handler: (...args: CommandArguments[C]) => unknown,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown);
}

/** A setting's value (`lambdaLifecycle.x` read as section `lambdaLifecycle`, key `x`). */
export function readSetting<S extends SettingId>(
  id: S,
  scope?: vscode.ConfigurationScope,
): SettingValues[S] | undefined {
  const dot = id.indexOf('.');
  return vscode.workspace.getConfiguration(id.slice(0, dot), scope).get<SettingValues[S]>(id.slice(dot + 1));
}

export function setContext(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
