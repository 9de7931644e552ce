// What the language server knows of the workspace: the files that name functions (SAM
// templates, serverless.yml, launch.json; open ones as edited, the others from disk) and, for each handler file, the functions that run it: their
// export, runtime and environment variables. Recomputed when a template changes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverConfigFiles } from '../../src/config';
import { findHandlerFile } from '../../src/config/handlerFile';
import { FUNCTION_FILE, parseTemplateModel, type TemplateFunction, type TemplateModel } from './templateModel';

export interface HandlerUse {
  template: TemplateModel;
  fn: TemplateFunction;
  /** The handler's export path (e.g. "handler" or "a.b"). */
  exportName: string;
}

export { FUNCTION_FILE };

export class WorkspaceModel {
  private readonly templates = new Map<string, TemplateModel>();
  private byHandlerFile = new Map<string, HandlerUse[]>();

  constructor(readonly roots: string[]) {}

  /** Reads every template under the workspace folders from disk. */
  scan(): void {
    for (const root of this.roots) {
      for (const file of [...discoverConfigFiles(root), path.join(root, '.vscode', 'launch.json')]) {
        if (!FUNCTION_FILE.test(file) || this.templates.has(file) || !fs.existsSync(file)) continue;
        try {
          this.templates.set(file, parseTemplateModel(fs.readFileSync(file, 'utf8'), file));
        } catch {
          // Unreadable: nothing to know.
        }
      }
    }
    this.index();
  }

  /** An edited (or newly saved) template's text. */
  updateTemplate(file: string, text: string): TemplateModel {
    const model = parseTemplateModel(text, file);
    this.templates.set(file, model);
    this.index();
    return model;
  }

  template(file: string): TemplateModel | undefined {
    return this.templates.get(file);
  }

  allTemplates(): TemplateModel[] {
    return [...this.templates.values()];
  }

  /** The functions whose handler lives in `file`. */
  usesOf(file: string): HandlerUse[] {
    return this.byHandlerFile.get(path.resolve(file)) ?? [];
  }

  private index(): void {
    const byFile = new Map<string, HandlerUse[]>();
    for (const template of this.templates.values()) {
      for (const fn of template.functions) {
        const resolved = resolveHandler(fn);
        if (!resolved.file) continue;
        const uses = byFile.get(resolved.file) ?? [];
        uses.push({ template, fn, exportName: resolved.exportName });
        byFile.set(resolved.file, uses);
      }
    }
    this.byHandlerFile = byFile;
  }
}

/** The handler's file (as the Node runtime finds it) and export path, or why there is none. */
export function resolveHandler(fn: TemplateFunction): {
  file: string | null;
  exportName: string;
  problem: string | null;
} {
  const handler = fn.handler?.value ?? '';
  const base = handler.slice(handler.lastIndexOf('/') + 1);
  const exportName = base.includes('.') ? base.slice(base.indexOf('.') + 1) : '';
  if (fn.runtime && !fn.runtime.startsWith('nodejs')) return { file: null, exportName, problem: null };
  try {
    return { file: findHandlerFile(fn.root, handler), exportName, problem: null };
  } catch (error) {
    return { file: null, exportName, problem: (error as Error).message };
  }
}
