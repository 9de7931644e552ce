// The Lambda language server (LSP over stdio or IPC): diagnostics with `source: "lambda"`
// and stable codes on handler files and templates, quick fixes, CodeLens (Invoke /
// Debug) over handlers, hovers over process.env.NAME and template handler strings. It
// never crashes on broken input: every request is answered, a failure becomes "nothing".

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type Hover,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkHandlerFile, checkTemplate, type Problem } from './checks';
import { FUNCTION_FILE as TEMPLATE_FILE, WorkspaceModel, resolveHandler } from './workspace';
import { findWorkspaceFiles } from '../../src/config';
import { CodeLensCommands, LanguageRequests, type WorkspaceHandler } from '../../src/protocol/languageProtocol';
import { addVariableEdit } from './templateEdit';

const SOURCE = 'lambda';
const HANDLER_FILE = /\.(?:[cm]?[jt]s|jsx|tsx)$/;
/** Files larger than this are not analysed (a bundle or a binary opened by mistake). */
const MAX_BYTES = 2 * 1024 * 1024;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let workspace = new WorkspaceModel([]);
let disabled = new Set<string>();

const fileOf = (uri: string) => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);
const uriOf = (file: string) => pathToFileURL(file).href;

/** Runs `work`, turning any failure into `fallback`: the server answers every request. */
function safely<T>(fallback: T, work: () => T): T {
  try {
    return work();
  } catch (error) {
    connection.console.error(`lambda language server: ${(error as Error).stack ?? error}`);
    return fallback;
  }
}

function readSettings(settings: unknown): void {
  const checks =
    (settings as { lambdaLifecycle?: { checks?: Record<string, boolean> } } | null)?.lambdaLifecycle?.checks ?? {};
  disabled = new Set(
    Object.entries(checks)
      .filter(([, on]) => on === false)
      .map(([code]) => code),
  );
}

connection.onInitialize((params) => {
  const roots = (params.workspaceFolders ?? []).map((f) => fileOf(f.uri));
  if (roots.length === 0 && params.rootUri) roots.push(fileOf(params.rootUri));
  workspace = new WorkspaceModel(roots);
  safely(undefined, () => workspace.scan());
  readSettings(params.initializationOptions);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      codeLensProvider: { resolveProvider: false },
      hoverProvider: true,
    },
    serverInfo: { name: 'lambda-lifecycle-language-server' },
  };
});

connection.onDidChangeConfiguration((change) => {
  readSettings(change.settings);
  refreshAll();
});

function textOf(file: string): string | null {
  const open = documents.get(uriOf(file));
  if (open) return open.getText();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function toDiagnostics(document: TextDocument, problems: Problem[]): Diagnostic[] {
  return problems
    .filter((p) => !disabled.has(p.code))
    .map((p) => ({
      source: SOURCE,
      code: p.code,
      message: p.message,
      severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      range: { start: document.positionAt(p.span.start), end: document.positionAt(p.span.end) },
      data: p.fix,
    }));
}

function problemsOf(document: TextDocument): Problem[] {
  const file = fileOf(document.uri);
  const text = document.getText();
  if (text.length > MAX_BYTES || text.includes('\u0000')) return [];
  if (TEMPLATE_FILE.test(file)) return checkTemplate(workspace.updateTemplate(file, text));
  if (HANDLER_FILE.test(file)) return checkHandlerFile(file, text, workspace).problems;
  return [];
}

function validate(document: TextDocument): void {
  const diagnostics = safely<Diagnostic[]>([], () => toDiagnostics(document, problemsOf(document)));
  void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
}

function refreshAll(): void {
  for (const document of documents.all()) validate(document);
}

documents.onDidChangeContent((change) => {
  validate(change.document);
  // A template's change can change every handler file's diagnostics.
  if (TEMPLATE_FILE.test(fileOf(change.document.uri))) {
    for (const other of documents.all()) if (other.uri !== change.document.uri) validate(other);
  }
});
documents.onDidClose((event) => void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] }));

connection.onCodeAction((params) =>
  safely<CodeAction[]>([], () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const fix = diagnostic.data as Problem['fix'];
      if (fix?.kind === 'move-to-module-scope') {
        const statementText = document.getText().slice(fix.statement.start, fix.statement.end);
        const lineStart = document.offsetAt({ line: document.positionAt(fix.statement.start).line, character: 0 });
        const nextLine = document.offsetAt({ line: document.positionAt(fix.statement.end).line + 1, character: 0 });
        actions.push({
          title: 'Move to module scope (created once per environment, reused while warm)',
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          edit: {
            changes: {
              [document.uri]: [
                {
                  range: { start: document.positionAt(fix.before.start), end: document.positionAt(fix.before.start) },
                  newText: `${statementText.trim()}\n\n`,
                },
                { range: { start: document.positionAt(lineStart), end: document.positionAt(nextLine) }, newText: '' },
              ],
            },
          },
        });
      }
      if (fix?.kind === 'add-variable') {
        const text = textOf(fix.template);
        const edit = text === null ? null : addVariableEdit(text, fix.path, fix.ownerLength, fix.name);
        if (edit) {
          const templateDocument = TextDocument.create(uriOf(fix.template), 'yaml', 0, text!);
          actions.push({
            title: `Add ${fix.name} to ${fix.functionId}'s environment variables in ${path.basename(fix.template)}`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            edit: {
              changes: {
                [uriOf(fix.template)]: [
                  {
                    range: {
                      start: templateDocument.positionAt(edit.start),
                      end: templateDocument.positionAt(edit.end),
                    },
                    newText: edit.newText,
                  },
                ],
              },
            },
          });
        }
      }
    }
    return actions;
  }),
);

connection.onCodeLens((params) =>
  safely<CodeLens[]>([], () => {
    const document = documents.get(params.textDocument.uri);
    const file = fileOf(params.textDocument.uri);
    if (!document || !HANDLER_FILE.test(file) || document.getText().length > MAX_BYTES) return [];
    const { analysis } = checkHandlerFile(file, document.getText(), workspace);
    const uses = workspace.usesOf(file);
    const lenses: CodeLens[] = [];
    for (const exported of analysis.exports) {
      const matching = uses.filter((u) => u.exportName.split('.')[0] === exported.name);
      const targets =
        matching.length > 0
          ? matching.map((u) => ({
              label: uses.length > 1 ? ` ${u.fn.id}` : '',
              args: { template: u.template.file, function: u.fn.id },
            }))
          : exported.name === 'handler'
            ? [
                {
                  label: '',
                  args: {
                    handler: `${path.basename(file).replace(/\.[^.]+$/, '')}.${exported.name}`,
                    root: path.dirname(file),
                  },
                },
              ]
            : [];
      const range = {
        start: document.positionAt(exported.nameSpan.start),
        end: document.positionAt(exported.nameSpan.end),
      };
      for (const target of targets) {
        lenses.push({
          range,
          command: {
            title: `▶ Invoke${target.label}`,
            command: CodeLensCommands.invokeFunction,
            arguments: [target.args],
          },
        });
        lenses.push({
          range,
          command: {
            title: `Debug${target.label}`,
            command: CodeLensCommands.debugFunction,
            arguments: [target.args],
          },
        });
        lenses.push({
          range,
          command: {
            title: `Tune Memory…${target.label}`,
            command: CodeLensCommands.tuneMemory,
            arguments: [target.args],
          },
        });
      }
    }
    return lenses;
  }),
);

connection.onHover((params) =>
  safely<Hover | null>(null, () => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const file = fileOf(document.uri);
    const offset = document.offsetAt(params.position);
    if (TEMPLATE_FILE.test(file)) {
      const model = workspace.template(file) ?? workspace.updateTemplate(file, document.getText());
      const fn = model.functions.find(
        (f) => f.handler && offset >= f.handler.range.start && offset <= f.handler.range.end,
      );
      if (!fn) return null;
      const resolved = resolveHandler(fn);
      return {
        contents: {
          kind: 'markdown',
          value: resolved.file
            ? `**${fn.id}** runs \`${resolved.exportName}\` exported by \`${path.relative(path.dirname(file), resolved.file)}\``
            : `**${fn.id}**: ${resolved.problem ?? 'not a Node.js handler'}`,
        },
      };
    }
    if (!HANDLER_FILE.test(file) || document.getText().length > MAX_BYTES) return null;
    const { analysis } = checkHandlerFile(file, document.getText(), workspace);
    const read = analysis.envReads.find((r) => offset >= r.span.start && offset <= r.span.end);
    if (!read) return null;
    const lines = workspace.usesOf(file).map((u) => {
      const variable = u.fn.variables.get(read.name);
      const where = `${path.basename(u.template.file)}${variable?.fromGlobals ? ' (Globals)' : ''}, ${u.fn.id}`;
      return variable
        ? `\`${read.name}\` = \`${variable.value}\` — ${where}${variable.origin ? ` (from ${variable.origin})` : ''}`
        : `\`${read.name}\` is not configured — ${u.fn.id} reads undefined`;
    });
    return {
      contents: {
        kind: 'markdown',
        value: lines.length ? lines.join('\n\n') : `\`${read.name}\`: no function of the workspace runs this file`,
      },
    };
  }),
);

/** Files exporting a `handler` that no template, serverless.yml or launch configuration
 * names: the Functions view offers them too (the first 3,000 script files looked at). */
connection.onRequest(LanguageRequests.workspaceHandlers, () =>
  safely<WorkspaceHandler[]>([], () => {
    const found: WorkspaceHandler[] = [];
    const scripts = workspace.roots.flatMap((root) =>
      findWorkspaceFiles(root, (name) => HANDLER_FILE.test(name) && !name.endsWith('.d.ts'), 6, 3000),
    );
    for (const file of scripts) {
      if (workspace.usesOf(file).length > 0) continue;
      const text = textOf(file);
      if (text === null || text.length > MAX_BYTES || text.includes('\u0000')) continue;
      const exported = checkHandlerFile(file, text, workspace).analysis.exports.find((e) => e.name === 'handler');
      if (exported)
        found.push({
          file,
          exportName: 'handler',
          line: TextDocument.create('', '', 0, text).positionAt(exported.nameSpan.start).line,
        });
    }
    return found;
  }),
);

// Saved changes to templates that are not open (and new templates) come in as file events.
connection.onDidChangeWatchedFiles((params) => {
  safely(undefined, () => {
    for (const change of params.changes) {
      const file = fileOf(change.uri);
      if (!TEMPLATE_FILE.test(file) || documents.get(change.uri)) continue;
      const text = textOf(file);
      if (text !== null) workspace.updateTemplate(file, text);
    }
    refreshAll();
  });
});

process.on('uncaughtException', (error) => connection.console.error(`lambda language server: ${error.stack ?? error}`));
documents.listen(connection);
connection.listen();
