// The custom part of the LSP between the extension's language client (src/ui/languageClient.ts)
// and the Lambda language server (language-server/): declared once for both ends, as
// vscode-eslint's customMessages.ts and rust-analyzer's lsp_ext.ts do.

/** Custom requests, client → server. */
export const LanguageRequests = {
  /** The Functions view asks for files exporting a `handler` that no template,
   * serverless.yml or launch configuration names. No parameters; result: WorkspaceHandler[]. */
  workspaceHandlers: 'lambda/workspaceHandlers',
} as const;

/** A file exporting a handler that nothing names yet. */
export interface WorkspaceHandler {
  /** Absolute path. */
  file: string;
  exportName: string;
  /** 0-based line of the export's name. */
  line: number;
}

/** Commands the server's CodeLenses carry (the extension registers them): run, debug or
 * tune the memory of the function a handler belongs to. Argument: the function's
 * LambdaLaunchArguments. */
export const CodeLensCommands = {
  invokeFunction: 'lambdaLifecycle.invokeFunction',
  debugFunction: 'lambdaLifecycle.debugFunction',
  /** Tune Memory… (also in the command palette, where it asks which function). */
  tuneMemory: 'lambdaLifecycle.tuneMemory',
} as const;

/** The settings section the client synchronises to the server (its `checks`). */
export const SETTINGS_SECTION = 'lambdaLifecycle';
