// The ids the extension contributes in package.json (commands, settings, context keys,
// views), typed, in one place (as vscode-js-debug's contributionUtils.ts); the rest of the
// UI names them through these, and test/unit/contributions.test.ts keeps them in step with
// the manifest. No vscode import: the ids are plain data.

import type { LambdaLaunchArguments } from '../protocol/debugProtocol';
import type { PanelEntry } from '../protocol/webviewProtocol';
import { CodeLensCommands } from '../protocol/languageProtocol';

export const Commands = {
  /** Debug toolbar: invoke the session's function (warm if an environment is idle). */
  invoke: 'lambdaLifecycle.invoke',
  invokeCold: 'lambdaLifecycle.invokeCold',
  invokeWithEvent: 'lambdaLifecycle.invokeWithEvent',
  shutdown: 'lambdaLifecycle.shutdown',
  showState: 'lambdaLifecycle.showState',
  /** The CodeLens over an import: the state panel's Init tree at that entry. */
  showInitEntry: 'lambdaLifecycle.showInitEntry',
  /** CodeLens over a handler (the language server's). */
  invokeFunction: CodeLensCommands.invokeFunction,
  debugFunction: CodeLensCommands.debugFunction,
  /** The Functions view's item and title actions. */
  functionsInvoke: 'lambdaLifecycle.functions.invoke',
  functionsDebug: 'lambdaLifecycle.functions.debug',
  functionsOpenHandler: 'lambdaLifecycle.functions.openHandler',
  functionsRefresh: 'lambdaLifecycle.functions.refresh',
  /** The Functions view's title: the AWS profile whose credentials functions get. */
  chooseAwsProfile: 'lambdaLifecycle.chooseAwsProfile',
  /** The status bar item of a serving debug session: copy what it serves. */
  copyServeUrls: 'lambdaLifecycle.copyServeUrls',
  /** Tune Memory…: from the command palette (picks a function), the CodeLens over a handler
   * or a function in the view. */
  tuneMemory: CodeLensCommands.tuneMemory,
  functionsTuneMemory: 'lambdaLifecycle.functions.tuneMemory',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** An entry of a session's Init profile, as the import CodeLens names it. */
export interface InitEntryTarget {
  sessionId: string;
  environmentId: string;
  index: number;
}

/** A function item of the Functions view, as its commands receive it. */
export interface FunctionNode {
  launch: LambdaLaunchArguments;
  handlerFile: string | null;
}

/** The arguments each command is called with. */
export interface CommandArguments {
  [Commands.invoke]: [];
  [Commands.invokeCold]: [];
  [Commands.invokeWithEvent]: [];
  [Commands.shutdown]: [];
  [Commands.showState]: [PanelEntry?];
  [Commands.showInitEntry]: [InitEntryTarget];
  [Commands.invokeFunction]: [LambdaLaunchArguments];
  [Commands.debugFunction]: [LambdaLaunchArguments];
  [Commands.functionsInvoke]: [FunctionNode];
  [Commands.functionsDebug]: [FunctionNode];
  [Commands.functionsOpenHandler]: [FunctionNode];
  [Commands.functionsRefresh]: [];
  [Commands.chooseAwsProfile]: [];
  [Commands.copyServeUrls]: [];
  [Commands.tuneMemory]: [LambdaLaunchArguments?];
  [Commands.functionsTuneMemory]: [FunctionNode];
}

export const Settings = {
  /** The language server's checks on or off by diagnostic code. */
  checks: 'lambdaLifecycle.checks',
  /** DAP traffic in the "Lambda Lifecycle" log: off, messages, verbose. */
  trace: 'lambdaLifecycle.trace',
  /** The AWS profile for sessions whose launch configuration names none: '' is the AWS
   * SDK's default chain, 'none' no credentials. */
  awsProfile: 'lambdaLifecycle.awsProfile',
  /** share: Lambda's CPU for the memory size; full: the machine's speed. */
  cpu: 'lambdaLifecycle.cpu',
  /** The memory sizes Tune Memory… offers first (MB, comma-separated). */
  tuneSizes: 'lambdaLifecycle.tuneMemory.sizes',
} as const;
export type SettingId = (typeof Settings)[keyof typeof Settings];

/** The values each setting holds. */
export interface SettingValues {
  [Settings.checks]: Record<string, boolean>;
  [Settings.trace]: 'off' | 'messages' | 'verbose';
  [Settings.awsProfile]: string;
  [Settings.cpu]: 'share' | 'full';
  [Settings.tuneSizes]: string;
}

export const ContextKeys = {
  /** A lambda session runs: the toolbar's Lambda buttons show. */
  active: 'lambdaLifecycle.active',
} as const;

export const Views = {
  functions: 'lambdaLifecycle.functions',
  configuration: 'lambdaLifecycle.configuration',
} as const;

/** The log the extension and the adapter write to. */
export const LOG_NAME = 'Lambda Lifecycle';
