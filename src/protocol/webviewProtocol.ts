// Messages between the extension and its webviews, both ways, one union per direction:
// the state panel (fed engine events as they happen, no polling; asks for invokes and
// shutdowns) and the Configuration view (shows a function's settings; sends edits back).
// The webview scripts (src/webviews/) and the extension (src/ui/) both import these.

import type { SizeResult, TuneSummary } from './tuning';
import type { CpuMachine, EngineEvent } from './engineEvents';

// ----- The state panel ------------------------------------------------------------------

/** The function a session runs, as launched (each environment also reports its own settings). */
export interface PanelFunction {
  functionName: string;
  memorySizeMB: number;
  ephemeralStorageMB: number;
  timeoutSeconds: number;
}

/** Extension → panel. */
export type ToPanel =
  /** A (new) session: forget what was shown, show this function. */
  | { type: 'session'; fn: PanelFunction }
  /** An engine event of the session (log lines excepted). */
  | { type: 'engine'; event: EngineEvent }
  /** The session ended: the panel keeps the last state, marked as ended. */
  | { type: 'ended' }
  /** Show this lifecycle entry (a Call Stack frame was chosen): an invocation is selected,
   * any entry scrolled to and marked. */
  | ({ type: 'reveal' } & PanelEntry)
  /** A CodeLens over an import: show that environment's Init profile at entry `index`. */
  | { type: 'revealInit'; environmentId: string; index: number };

/** One entry of an environment's lifecycle: its index in the lifecycle, oldest first. */
export interface PanelEntry {
  environmentId: string;
  entry: number;
}

/** Panel → extension. */
export type FromPanel =
  /** The panel's script runs: send the session's story. */
  | { type: 'ready' }
  | { type: 'invoke'; cold: boolean }
  | { type: 'invokeWithEvent' }
  | { type: 'shutdown'; environmentId: string }
  /** Open a file of an environment's /tmp (path as the function sees it) in an editor. */
  | { type: 'openTmpFile'; environmentId: string; path: string };

/** What the panel keeps in the webview's state (getState/setState) to survive hiding and reloads. */
export interface PanelState {
  fn: PanelFunction | null;
  ended: boolean;
  /** The session's engine events, folded again on reload. */
  events: EngineEvent[];
}

// ----- The Configuration view ------------------------------------------------------------

/** A function's settings as the Configuration view edits them. */
export interface FunctionSettings {
  memorySize: number;
  timeout: number;
  ephemeralStorage: number;
  environment: Record<string, string>;
  runtime: string;
  /** Lambda's LoggingConfig: Text or JSON; the levels apply to JSON only. */
  logFormat?: 'Text' | 'JSON';
  applicationLogLevel?: string;
  systemLogLevel?: string;
}

/** The settings field a problem is about ('environment.NAME' for one variable). */
export type SettingsField = keyof FunctionSettings | `environment.${string}`;
/** What Lambda would refuse, by field (keys are SettingsFields). Empty when fine. */
export type SettingsProblems = Record<string, string>;

/** What the view shows for the selected function (also its saved webview state). */
export interface ConfigViewShow {
  type: 'show';
  name: string;
  settings: FunctionSettings;
  runtimes: readonly string[];
  canWriteTemplate: boolean;
  /** Where the values come from, e.g. "From template.yaml." */
  sourceNote: string;
  /** Whether and how this machine holds the CPU share of the memory size (the
   * lambdaLifecycle.cpu setting, or the launch configuration's `cpu`). */
  cpu: CpuMachine;
}

/** Extension → Configuration view. */
export type ToConfigView =
  | ConfigViewShow
  /** Lambda would refuse these values: nothing was saved. */
  | { type: 'problems'; problems: SettingsProblems }
  /** Saved; `note` says where, and whether warm environments were retired. */
  | { type: 'saved'; note: string }
  /** The CPU setting changed (lambdaLifecycle.cpu, or the launch configuration's). */
  | { type: 'cpu'; cpu: CpuMachine };

/** Configuration view → extension. */
export type FromConfigView =
  | { type: 'ready' }
  /** Save as local settings (launch configuration) and apply to a running session. */
  | { type: 'apply'; settings: FunctionSettings }
  /** Write into the function's template. */
  | { type: 'writeTemplate'; settings: FunctionSettings };

/** What the memory tuning chart shows: each size's result and the summary
 * (engine/tuning/tuneRun.ts), as `lambda-lifecycle tune --json` prints them. */
export interface TuneChartShow {
  type: 'show';
  sizes: SizeResult[];
  summary: TuneSummary;
  /** Where Apply may write MemorySize: the local settings first (the default), then the
   * function's SAM template when it has one. */
  targets: ApplyTarget[];
}

/** A place Tune Memory's Apply writes MemorySize to. */
export interface ApplyTarget {
  /** `local`: the launch configuration's local settings; `template`: the SAM template. */
  id: 'local' | 'template';
  /** What the chart says, e.g. "Local settings (.vscode/launch.json)" or "template.yaml". */
  label: string;
}

/** Extension → tuning chart. */
export type ToTuneChart =
  | TuneChartShow
  /** The chosen MemorySize was written; `note` says where. */
  | { type: 'applied'; note: string };

/** Tuning chart → extension. */
export type FromTuneChart =
  | { type: 'ready' }
  /** Write this MemorySize to the local settings, or into the function's template. */
  | { type: 'apply'; memorySizeMB: number; target: ApplyTarget['id'] };
