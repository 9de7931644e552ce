// The Functions view of the Lambda sidebar: the functions the workspace defines (SAM
// templates, serverless.yml, `lambda` launch configurations), grouped by file, each with
// Invoke / Debug / Open handler actions, and under a function its environments while a
// session runs (warm or cold, invocations, memory used). Refreshes when those files change.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FUNCTION_FILES_GLOB, discoverConfigFiles, readFunctions } from '../config';
import { findHandlerFile } from '../config/handlerFile';
import type { EngineEvent } from '../protocol/engineEvents';
import {
  emptySession,
  environmentsOf,
  environmentTreeItem,
  reduce,
  type EnvironmentModel,
  type SessionModel,
} from '../protocol/environmentModel';
import { DEBUG_TYPE, Events, type LambdaLaunchArguments } from '../protocol/debugProtocol';

type Item =
  | { kind: 'source'; label: string; file: string; functions: FunctionItem[]; error: string | null }
  | FunctionItem
  | { kind: 'environment'; label: string; description: string };

interface FunctionItem {
  kind: 'function';
  name: string;
  launch: LambdaLaunchArguments;
  handlerFile: string | null;
  functionName: string;
}

export class FunctionsTree implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Each running session's environments, folded by the shared reducer (each engine numbers its own). */
  private readonly sessions = new Map<string, SessionModel>();
  private readonly disposables: vscode.Disposable[] = [];

  /** `findHandlers`: files exporting a handler that no file above names (the language server finds them). */
  constructor(
    private readonly findHandlers: () => Promise<Array<{ file: string; exportName: string }>> = async () => [],
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(FUNCTION_FILES_GLOB);
    const refresh = () => this.changed.fire(undefined);
    this.disposables.push(
      watcher,
      watcher.onDidChange(refresh),
      watcher.onDidCreate(refresh),
      watcher.onDidDelete(refresh),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.type === DEBUG_TYPE && event.event === Events.engine)
          this.engineEvent(event.session.id, event.body as EngineEvent);
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type !== DEBUG_TYPE) return;
        // Only that session's environments: another session's keep running.
        this.sessions.delete(session.id);
        refresh();
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(item: Item): vscode.TreeItem {
    if (item.kind === 'source') {
      const tree = new vscode.TreeItem(item.label, vscode.TreeItemCollapsibleState.Expanded);
      tree.resourceUri = vscode.Uri.file(item.file);
      tree.description = item.error ?? `${item.functions.length} function${item.functions.length === 1 ? '' : 's'}`;
      tree.tooltip = item.error ?? item.file;
      tree.iconPath = new vscode.ThemeIcon(item.error ? 'warning' : 'file-code');
      tree.contextValue = 'lambdaSource';
      return tree;
    }
    if (item.kind === 'function') {
      const running = this.runningEnvironments(item.functionName);
      const tree = new vscode.TreeItem(
        item.name,
        running.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
      );
      tree.description = item.launch.handler;
      tree.tooltip = `${item.name} · ${item.launch.handler ?? ''}`;
      tree.iconPath = new vscode.ThemeIcon('symbol-function');
      tree.contextValue = 'lambdaFunction';
      tree.id = `${item.launch.template ?? 'launch'}#${item.name}`;
      return tree;
    }
    const tree = new vscode.TreeItem(item.label, vscode.TreeItemCollapsibleState.None);
    tree.description = item.description;
    tree.iconPath = new vscode.ThemeIcon('server-process');
    tree.contextValue = 'lambdaEnvironment';
    return tree;
  }

  async getChildren(item?: Item): Promise<Item[]> {
    if (!item) return [...this.sources(), ...(await this.looseHandlers())];
    if (item.kind === 'source') return item.functions;
    if (item.kind === 'function') {
      return this.runningEnvironments(item.functionName).map((e) => ({
        kind: 'environment' as const,
        ...environmentTreeItem(e),
      }));
    }
    return [];
  }

  /** The functions of the workspace, by the file that defines them. */
  sources(): Array<Extract<Item, { kind: 'source' }>> {
    const sources: Array<Extract<Item, { kind: 'source' }>> = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const root = folder.uri.fsPath;
      for (const file of discoverConfigFiles(root)) {
        const label = path.relative(root, file);
        try {
          const functions = readFunctions(file).functions.map((definition): FunctionItem => {
            const source = definition.config.source;
            const name =
              source.kind === 'sam'
                ? source.logicalId
                : source.kind === 'serverless'
                  ? source.key
                  : definition.config.name;
            return {
              kind: 'function',
              name,
              launch: { template: file, function: name, handler: definition.config.handler },
              handlerFile: handlerFileOf(definition.config.root, definition.config.handler),
              functionName: definition.config.name,
            };
          });
          sources.push({ kind: 'source', label, file, functions, error: null });
        } catch (error) {
          sources.push({ kind: 'source', label, file, functions: [], error: (error as Error).message.split('\n')[0] });
        }
      }
      const launchFile = path.join(root, '.vscode', 'launch.json');
      const configurations = (
        vscode.workspace.getConfiguration('launch', folder.uri).get<Array<Record<string, unknown>>>('configurations') ??
        []
      ).filter((c) => c.type === DEBUG_TYPE && typeof c.handler === 'string' && !c.template);
      if (configurations.length > 0) {
        sources.push({
          kind: 'source',
          label: 'Launch configurations',
          file: launchFile,
          error: null,
          functions: configurations.map((c) => {
            const codeRoot = String(c.root ?? '${workspaceFolder}').replace(/\$\{workspaceFolder\}/g, root);
            const handler = String(c.handler);
            return {
              kind: 'function',
              name: String(c.name ?? handler),
              launch: { ...(c as LambdaLaunchArguments), root: codeRoot, cwd: root },
              handlerFile: handlerFileOf(path.resolve(root, codeRoot), handler),
              functionName: handler.slice(handler.lastIndexOf('/') + 1).split('.')[0],
            };
          }),
        });
      }
    }
    return sources;
  }

  /** Handlers in files no template names, as one more group. */
  private async looseHandlers(): Promise<Array<Extract<Item, { kind: 'source' }>>> {
    const found = await this.findHandlers().catch(() => []);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    if (found.length === 0) return [];
    return [
      {
        kind: 'source',
        label: 'Handlers in no template',
        file: root,
        error: null,
        functions: found.map((h) => {
          const module = path.basename(h.file).replace(/\.[^.]+$/, '');
          const handler = `${module}.${h.exportName}`;
          return {
            kind: 'function' as const,
            name: path.relative(root, h.file),
            launch: { handler, root: path.dirname(h.file), cwd: root },
            handlerFile: h.file,
            functionName: module,
          };
        }),
      },
    ];
  }

  /** The live environments of a function, in every running session. */
  private runningEnvironments(functionName: string): EnvironmentModel[] {
    return [...this.sessions.values()].flatMap((model) =>
      environmentsOf(model, { alive: true }).filter((e) => e.functionName === functionName),
    );
  }

  private engineEvent(sessionId: string, event: EngineEvent): void {
    // What an environment carries (snapshots) is the panel's: the tree shows none of it.
    if (event.type === 'log' || event.type === 'inspectorOpened' || event.type === 'stateSnapshot') return;
    this.sessions.set(sessionId, reduce(this.sessions.get(sessionId) ?? emptySession(), event));
    this.changed.fire(undefined);
  }
}

function handlerFileOf(root: string, handler: string): string | null {
  try {
    const file = findHandlerFile(root, handler);
    return fs.statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}
