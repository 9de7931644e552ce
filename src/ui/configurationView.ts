// The Configuration view of the Lambda sidebar (a webview view) for the function selected
// in the Functions view: memory, timeout, ephemeral storage, runtime, environment
// variables. Values are checked as Lambda checks them; changes are local overrides kept in
// the workspace's launch configuration, and the template is rewritten only by "Write to
// template" (comments kept). A change while the function's session runs retires its warm
// environments, as on Lambda.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeLambdaSession } from './lambdaSessions';
import { findFunction, readFunctions } from '../config';
import { DEFAULT_RUNTIME, LIMITS, RUNTIMES, type FunctionConfig } from '../config/functionConfig';
import { loggingInput, setFunctionProperty, settingsProblems, setYamlValues, textDiff } from '../config/settingsEdit';
import { DEBUG_TYPE, Requests, type LambdaLaunchArguments } from '../protocol/debugProtocol';
import type {
  ApplyTarget,
  FromConfigView,
  FunctionSettings,
  SettingsProblems,
  ToConfigView,
} from '../protocol/webviewProtocol';
import { configViewHtml } from './webviewPages';
import { showPage } from './webviewContent';
import { Settings } from './contributions';
import { readSetting } from './vscodeContributions';
import { cpuMechanism } from '../engine/sandbox/environmentSandbox';
import { availableCores } from '../engine/sandbox/cpuShare';
import type { CpuMachine } from '../protocol/engineEvents';

export interface SelectedFunction {
  name: string;
  launch: LambdaLaunchArguments;
}

export class ConfigurationView implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | null = null;
  /** The page has loaded and asked for its function: before that, VS Code would queue a
   * `show` and the page's `ready` would bring a second one, resetting what the user typed. */
  private ready = false;
  private selected: SelectedFunction | null = null;

  constructor(private readonly context: vscode.ExtensionContext) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    // The CPU share's note follows the setting (and launch.json's `cpu`) as it changes.
    const watch = vscode.workspace.onDidChangeConfiguration((change) => {
      if (this.selected && (change.affectsConfiguration(Settings.cpu) || change.affectsConfiguration('launch')))
        this.post({ type: 'cpu', cpu: this.cpuOf(this.selected) });
    });
    view.onDidDispose(() => {
      watch.dispose();
      if (this.view === view) this.view = null;
    });
    showPage(view.webview, this.context.extensionUri, 'configView.js', configViewHtml);
    view.webview.onDidReceiveMessage(async (message: FromConfigView) => {
      if (message.type === 'ready') {
        this.ready = true;
        this.showSelected();
      } else {
        const note = await this.save(message.settings, message.type === 'writeTemplate').catch((error: Error) => ({
          problems: { environment: error.message },
        }));
        this.post(typeof note === 'string' ? { type: 'saved', note } : { type: 'problems', problems: note.problems });
      }
    });
  }

  /** Where Tune Memory's Apply may write the function's MemorySize: the local settings, and
   * its SAM template when it comes from one. */
  applyTargets(selected: SelectedFunction): ApplyTarget[] {
    const targets: ApplyTarget[] = [{ id: 'local', label: 'Local settings (.vscode/launch.json)' }];
    const base = this.baseConfig(selected);
    if (base?.source.kind === 'sam')
      targets.push({
        id: 'template',
        label: `${path.basename(base.source.file)} (MemorySize of ${base.source.logicalId})`,
      });
    return targets;
  }

  /** Tune Memory's Apply: `memorySizeMB` saved as the Configuration view's Apply saves it
   * (the local settings), or written into the function's SAM template (that one value; the
   * rest of the file as it was). Returns the note saying where. */
  async applyMemorySize(
    selected: SelectedFunction,
    memorySizeMB: number,
    target: ApplyTarget['id'] = 'local',
  ): Promise<string> {
    this.selected = selected;
    this.showSelected();
    if (target === 'template') return this.writeTemplateMemorySize(selected, memorySizeMB);
    const saved = await this.save({ ...this.settingsOf(selected), memorySize: memorySizeMB }, false);
    return typeof saved === 'string' ? saved : `Not written: ${Object.values(saved.problems).join(' ')}`;
  }

  private async writeTemplateMemorySize(selected: SelectedFunction, memorySizeMB: number): Promise<string> {
    const source = this.baseConfig(selected)?.source;
    if (source?.kind !== 'sam') return 'Not written: this function has no SAM template to write to.';
    const problems = settingsProblems({ ...this.settingsOf(selected), memorySize: memorySizeMB });
    if (problems.memorySize) return `Not written: ${problems.memorySize}`;
    // The open document's text, unsaved changes included: the edit lands on what the user sees.
    const document = await vscode.workspace.openTextDocument(source.file);
    const text = document.getText();
    const change = textDiff(text, setFunctionProperty(text, source.file, source.logicalId, 'MemorySize', memorySizeMB));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      document.uri,
      new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)),
      change.newText,
    );
    if (!(await vscode.workspace.applyEdit(edit)))
      return `Not written: ${path.basename(source.file)} refused the edit.`;
    await document.save();
    let note = `MemorySize ${memorySizeMB} written to ${path.basename(source.file)} (function ${source.logicalId}; the rest of the file as it was).`;
    // A local memory setting would go on hiding the template's value.
    const override = this.override(selected);
    if (override && override.configuration.memorySize !== undefined) {
      await this.writeOverride(selected, null, ['memorySize']);
      note += " The local memory setting is removed, so the template's value holds.";
    }
    const session = this.runningSession(selected);
    if (
      session &&
      (await session.customRequest(Requests.reconfigure, this.settingsOf(selected)).then(
        () => true,
        () => false,
      ))
    ) {
      note += ' The running session retired its warm environments: the next invocation is cold.';
    }
    this.showSelected();
    return note;
  }

  select(selected: SelectedFunction | null): void {
    this.selected = selected;
    this.showSelected();
  }

  /** The function's settings: its template's (or launch configuration's), with the local overrides. */
  settingsOf(selected: SelectedFunction): FunctionSettings {
    const base = this.baseConfig(selected);
    const override = this.override(selected)?.configuration ?? {};
    return {
      // Lambda's defaults, as the engine applies them (src/config/functionConfig.ts).
      memorySize: (override.memorySize as number | undefined) ?? base?.memorySizeMB ?? LIMITS.memoryMB.default,
      timeout: (override.timeout as number | undefined) ?? base?.timeoutSeconds ?? LIMITS.timeoutSeconds.default,
      ephemeralStorage:
        (override.ephemeralStorage as number | undefined) ??
        base?.ephemeralStorageMB ??
        LIMITS.ephemeralStorageMB.default,
      runtime: (override.runtime as string | undefined) ?? base?.runtime ?? DEFAULT_RUNTIME,
      environment: {
        ...(base?.environment ?? {}),
        ...((override.environment as Record<string, string> | undefined) ?? {}),
      },
      logFormat: (override.logFormat as 'Text' | 'JSON' | undefined) ?? base?.logging?.format ?? 'Text',
      applicationLogLevel:
        (override.applicationLogLevel as string | undefined) ?? base?.logging?.applicationLogLevel ?? 'INFO',
      systemLogLevel: (override.systemLogLevel as string | undefined) ?? base?.logging?.systemLogLevel ?? 'INFO',
    };
  }

  /**
   * Saves settings: as local overrides in the launch configuration (and to the running
   * session), or into the template. Returns a note for the user, or the problems.
   */
  async save(settings: FunctionSettings, toTemplate: boolean): Promise<string | { problems: SettingsProblems }> {
    const selected = this.selected;
    if (!selected) return { problems: { environment: 'Select a function first.' } };
    const problems = settingsProblems(settings);
    if (Object.keys(problems).length > 0) return { problems };
    let note: string;
    if (toTemplate) {
      if (!selected.launch.template || !selected.launch.function)
        return { problems: { environment: 'This function has no template to write to.' } };
      const file = selected.launch.template;
      const text = fs.readFileSync(file, 'utf8');
      const next = setYamlValues(
        text,
        ['Resources', selected.launch.function, 'Properties'],
        [
          { path: ['MemorySize'], value: settings.memorySize },
          { path: ['Timeout'], value: settings.timeout },
          { path: ['EphemeralStorage', 'Size'], value: settings.ephemeralStorage },
          { path: ['Runtime'], value: settings.runtime },
          { path: ['Environment', 'Variables'], value: settings.environment },
          // LoggingConfig only when it says something (JSON), or the function had one.
          ...(settings.logFormat === 'JSON' || this.baseConfig(selected)?.logging
            ? [
                {
                  path: ['LoggingConfig'],
                  value: Object.fromEntries(
                    Object.entries({
                      LogFormat: settings.logFormat,
                      ApplicationLogLevel: loggingInput(settings).applicationLogLevel,
                      SystemLogLevel: loggingInput(settings).systemLogLevel,
                    }).filter(([, v]) => v !== undefined),
                  ),
                },
              ]
            : []),
        ],
      );
      const edit = new vscode.WorkspaceEdit();
      const document = await vscode.workspace.openTextDocument(file);
      const change = textDiff(text, next);
      edit.replace(
        document.uri,
        new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)),
        change.newText,
      );
      await vscode.workspace.applyEdit(edit);
      await document.save();
      await this.writeOverride(selected, null);
      note = `Written to ${path.basename(file)} (its comments kept); the local overrides are cleared.`;
    } else {
      await this.writeOverride(selected, settings);
      note = 'Saved as local settings in .vscode/launch.json; the template is unchanged.';
    }
    const session = this.runningSession(selected);
    // A session that is ending refuses; there is nothing to retire then.
    if (
      session &&
      (await session.customRequest(Requests.reconfigure, settings).then(
        () => true,
        () => false,
      ))
    ) {
      note +=
        ' The running session retired its warm environments, as Lambda does on a configuration change: the next invocation is cold.';
    }
    this.showSelected();
    return note;
  }

  private showSelected(): void {
    const selected = this.selected;
    if (!this.view || !this.ready || !selected) return;
    const override = this.override(selected);
    this.post({
      type: 'show',
      name: selected.name,
      settings: this.settingsOf(selected),
      runtimes: RUNTIMES,
      canWriteTemplate: !!selected.launch.template,
      cpu: this.cpuOf(selected),
      sourceNote: override
        ? `Local settings from launch configuration "${String(override.configuration.name)}" over ${selected.launch.template ? path.basename(selected.launch.template) : 'the defaults'}.`
        : selected.launch.template
          ? `From ${path.basename(selected.launch.template)}.`
          : 'From the launch configuration.',
    });
  }

  /** Whether and how the function's environments get the CPU share of their memory: the
   * launch configuration's `cpu` and `sandbox`, else the lambdaLifecycle.cpu setting, and
   * what this machine holds the share with (the engine runs in this process or beside it). */
  cpuOf(selected: SelectedFunction): CpuMachine {
    const override = this.override(selected)?.configuration ?? {};
    const launch = { ...selected.launch, ...override } as LambdaLaunchArguments;
    return {
      mode: launch.cpu ?? readSetting(Settings.cpu, this.folder()?.uri) ?? 'share',
      mechanism: cpuMechanism(launch.sandbox ?? 'auto'),
      cores: availableCores(),
    };
  }

  private post(message: ToConfigView): void {
    void this.view?.webview.postMessage(message);
  }

  private baseConfig(selected: SelectedFunction): FunctionConfig | null {
    if (!selected.launch.template || !selected.launch.function) return null;
    try {
      return findFunction(readFunctions(selected.launch.template), selected.launch.function).config;
    } catch {
      return null;
    }
  }

  private folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
  }

  /** The launch configuration holding this function's local settings, if any. */
  private override(selected: SelectedFunction): { index: number; configuration: Record<string, unknown> } | null {
    const configurations =
      vscode.workspace
        .getConfiguration('launch', this.folder()?.uri)
        .get<Array<Record<string, unknown>>>('configurations') ?? [];
    const index = configurations.findIndex((c) => c.type === DEBUG_TYPE && this.sameFunction(c, selected));
    return index >= 0 ? { index, configuration: configurations[index] } : null;
  }

  private sameFunction(c: Record<string, unknown>, selected: SelectedFunction): boolean {
    const root = this.folder()?.uri.fsPath ?? '';
    const resolve = (p: unknown) =>
      typeof p === 'string' ? path.resolve(root, p.replace(/\$\{workspaceFolder\}/g, root)) : null;
    if (selected.launch.template)
      return c.function === selected.launch.function && resolve(c.template) === path.resolve(selected.launch.template);
    return c.name === selected.name;
  }

  /** Writes the local settings, or clears them (`settings` null): all of them, or only `fields`. */
  private async writeOverride(
    selected: SelectedFunction,
    settings: FunctionSettings | null,
    fields?: string[],
  ): Promise<void> {
    const launch = vscode.workspace.getConfiguration('launch', this.folder()?.uri);
    const configurations = [...(launch.get<Array<Record<string, unknown>>>('configurations') ?? [])];
    const existing = this.override(selected);
    const values = settings
      ? {
          memorySize: settings.memorySize,
          timeout: settings.timeout,
          ephemeralStorage: settings.ephemeralStorage,
          runtime: settings.runtime,
          environment: settings.environment,
          logFormat: settings.logFormat,
          applicationLogLevel: loggingInput(settings).applicationLogLevel,
          systemLogLevel: loggingInput(settings).systemLogLevel,
        }
      : {
          memorySize: undefined,
          timeout: undefined,
          ephemeralStorage: undefined,
          runtime: undefined,
          environment: undefined,
          logFormat: undefined,
          applicationLogLevel: undefined,
          systemLogLevel: undefined,
        };
    if (existing) {
      const changed = fields ? Object.fromEntries(Object.entries(values).filter(([k]) => fields.includes(k))) : values;
      configurations[existing.index] = { ...existing.configuration, ...changed };
    } else if (settings) {
      const root = this.folder()?.uri.fsPath ?? '';
      configurations.push({
        type: DEBUG_TYPE,
        request: 'launch',
        name: `Lambda: ${selected.name}`,
        ...(selected.launch.template
          ? {
              template: '${workspaceFolder}/' + path.relative(root, selected.launch.template).split(path.sep).join('/'),
              function: selected.launch.function,
            }
          : { handler: selected.launch.handler, root: selected.launch.root }),
        ...values,
      });
    } else {
      return;
    }
    await launch.update(
      'configurations',
      configurations.map((c) => JSON.parse(JSON.stringify(c))),
      vscode.ConfigurationTarget.WorkspaceFolder,
    );
  }

  private runningSession(selected: SelectedFunction): vscode.DebugSession | undefined {
    const session = activeLambdaSession();
    if (!session) return undefined;
    const launch = session.configuration as LambdaLaunchArguments;
    return launch.function === selected.launch.function &&
      (launch.template
        ? path.resolve(launch.cwd ?? '', launch.template) === path.resolve(selected.launch.template ?? '')
        : true)
      ? session
      : undefined;
  }
}
