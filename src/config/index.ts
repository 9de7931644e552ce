// Finds and reads function configurations: templates and serverless.yml files in a
// workspace, and one function picked by name.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './functionConfig';
import { readSamTemplate, type FunctionDefinition, type TemplateReadOptions, type TemplateReadResult } from './sam';
import { readServerlessConfig } from './serverless';

export type { FunctionDefinition, TemplateReadOptions, TemplateReadResult } from './sam';

/** Every file that defines functions (templates, serverless.yml, launch configurations), as
 * a workspace glob: what the Functions view and the language server watch. */
export const FUNCTION_FILES_GLOB = '**/{template.{yaml,yml,json},serverless.{yml,yaml},.vscode/launch.json}';

const TEMPLATE = /^template\.(ya?ml|json)$/;
const SERVERLESS = /^serverless\.ya?ml$/;

export function readFunctions(file: string, options: TemplateReadOptions = {}): TemplateReadResult {
  const base = path.basename(file);
  if (SERVERLESS.test(base)) return readServerlessConfig(file);
  if (TEMPLATE.test(base) || /\.(ya?ml|json)$/.test(base)) return readSamTemplate(file, options);
  throw new ConfigError(`${file} is neither a SAM template (template.yaml) nor a serverless.yml.`);
}

export function findFunction(
  result: TemplateReadResult,
  name?: string,
  nameHint = '--function NAME',
): FunctionDefinition {
  const names = result.functions.map((f) =>
    f.config.source.kind === 'sam' ? f.config.source.logicalId : f.config.name,
  );
  const usable = (found: FunctionDefinition) => {
    if (found.invalid) throw new ConfigError(found.invalid);
    return found;
  };
  if (name === undefined) {
    if (result.functions.length === 1) return usable(result.functions[0]);
    throw new ConfigError(
      result.functions.length === 0
        ? 'No functions found in the template.'
        : `The template has several functions: ${names.join(', ')}. Use ${nameHint}.`,
    );
  }
  const found = result.functions.find((f) => {
    const s = f.config.source;
    return (
      f.config.name === name ||
      (s.kind === 'sam' && s.logicalId === name) ||
      (s.kind === 'serverless' && s.key === name)
    );
  });
  if (!found) {
    throw new ConfigError(
      `No function '${name}' in the template. Functions there: ${names.join(', ') || 'none'}. Use ${nameHint}.`,
    );
  }
  return usable(found);
}

/** Folders never searched: dependencies, build output, tool caches. */
const SKIP = new Set(['node_modules', '.aws-sam', '.serverless', '.git', 'dist', 'out', '.vscode-test', 'coverage']);

/** Files below `workspaceDir` whose name `accept`s, `depth` folders down at most, the first
 * `limit` found (in directory order), sorted. */
export function findWorkspaceFiles(
  workspaceDir: string,
  accept: (name: string) => boolean,
  depth = 3,
  limit = Infinity,
): string[] {
  const found: string[] = [];
  const visit = (dir: string, level: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= limit) return;
      if (entry.isFile() && accept(entry.name)) found.push(path.join(dir, entry.name));
      else if (entry.isDirectory() && level < depth && !SKIP.has(entry.name))
        visit(path.join(dir, entry.name), level + 1);
    }
  };
  visit(workspaceDir, 0);
  return found.sort();
}

export function discoverConfigFiles(workspaceDir: string, depth = 3): string[] {
  return findWorkspaceFiles(workspaceDir, (name) => TEMPLATE.test(name) || SERVERLESS.test(name), depth);
}
