// A real LSP client for tests: starts `node dist/languageServer.js --stdio`, speaks
// JSON-RPC to it, collects published diagnostics, and ends it.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const SERVER = path.resolve(__dirname, '..', '..', 'dist', 'languageServer.js');

export class LspClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Told the uri of each publication of diagnostics. */
  private readonly waiters = new Set<(uri: string) => void>();
  private versions = new Map<string, number>();

  private constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      for (const waiter of [...this.waiters]) waiter(params.uri);
    });
    connection.onRequest('workspace/configuration', () => [null]);
    connection.onRequest('client/registerCapability', () => null);
    connection.onNotification('window/logMessage', () => undefined);
  }

  static async start(workspace: string, initializationOptions: unknown = null): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new LspClient(child, connection);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri(workspace),
      workspaceFolders: [{ uri: uri(workspace), name: 'ws' }],
      capabilities: {},
      initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** Opens (or changes) a document and waits for its diagnostics. */
  async open(file: string, text: string, languageId = 'javascript'): Promise<Diagnostic[]> {
    const u = uri(file);
    const version = (this.versions.get(u) ?? 0) + 1;
    this.versions.set(u, version);
    this.diagnostics.delete(u);
    if (version === 1) {
      await this.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: u, languageId, version, text },
      });
    } else {
      await this.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: u, version },
        contentChanges: [{ text }],
      });
    }
    return this.diagnosticsOf(file);
  }

  /** A document's diagnostics: at once if published, else when the server publishes them. */
  diagnosticsOf(file: string, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const u = uri(file);
    const published = this.diagnostics.get(u);
    if (published) return Promise.resolve(published);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`No diagnostics for ${file}`));
      }, timeoutMs);
      const waiter = (publishedUri: string) => {
        if (publishedUri !== u) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(this.diagnostics.get(u)!);
      };
      this.waiters.add(waiter);
    });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // Already gone.
    }
    this.connection.dispose();
    this.process.kill();
  }
}

export const uri = (file: string) => pathToFileURL(file).href;
