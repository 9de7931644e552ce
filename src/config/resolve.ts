// One function's configuration from what a user gives (the CLI's options, a launch
// configuration's fields): a template and a function name, or a handler and a code root,
// with overrides on top; and the event JSON. Errors say what to fix in the caller's own
// terms (`--function NAME` for the CLI, `"function"` for launch.json).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { findFunction, readFunctions } from './index';
import { readEnvFile } from './envFile';
import {
  ConfigError,
  FunctionConfig,
  isNodeRuntime,
  parseRuntimeId,
  validateFunctionConfig,
  withDefaults,
} from './functionConfig';

export interface FunctionSelection {
  template?: string;
  function?: string;
  handler?: string;
  root?: string;
  runtime?: string;
  memorySizeMB?: number;
  timeoutSeconds?: number;
  ephemeralStorageMB?: number;
  envFile?: string;
  environment?: Record<string, string>;
}

/** How the caller names its own fields in messages. */
export interface SelectionNames {
  template: string;
  function: string;
  handler: string;
  root: string;
}

export const CLI_NAMES: SelectionNames = { template: '--template FILE', function: '--function NAME', handler: 'HANDLER', root: '--root DIR' };

/** Relative paths are taken from `baseDir`. */
export function resolveFunction(selection: FunctionSelection, baseDir: string, names: SelectionNames): FunctionConfig {
  const from = (p: string) => path.resolve(baseDir, p);
  let config: FunctionConfig;
  if (selection.template) {
    const file = from(selection.template);
    if (!fs.existsSync(file)) throw new ConfigError(`Template ${selection.template} does not exist (looked for ${file}).`);
    config = findFunction(readFunctions(file), selection.function, names.function).config;
    if (selection.handler) config = { ...config, handler: selection.handler };
    if (selection.root) config = { ...config, root: from(selection.root) };
  } else {
    if (selection.function) throw new ConfigError(`${names.function} needs ${names.template}.`);
    if (!selection.handler) {
      throw new ConfigError(`Missing ${names.handler} (e.g. index.handler), or use ${names.template} with ${names.function}.`);
    }
    config = withDefaults({ root: from(selection.root ?? '.'), handler: selection.handler });
  }
  if (selection.runtime) config = { ...config, runtime: parseRuntimeId(selection.runtime) };
  if (selection.memorySizeMB !== undefined) config = { ...config, memorySizeMB: selection.memorySizeMB };
  if (selection.timeoutSeconds !== undefined) config = { ...config, timeoutSeconds: selection.timeoutSeconds };
  if (selection.ephemeralStorageMB !== undefined) config = { ...config, ephemeralStorageMB: selection.ephemeralStorageMB };
  const environment = { ...config.environment };
  if (selection.envFile) Object.assign(environment, readEnvFile(from(selection.envFile), config.name));
  Object.assign(environment, selection.environment ?? {});
  config = { ...config, environment };

  if (!fs.existsSync(config.root) || !fs.statSync(config.root).isDirectory()) {
    throw new ConfigError(`The code root ${config.root} does not exist or is not a folder (${names.root}).`);
  }
  validateFunctionConfig(config);
  if (!isNodeRuntime(config.runtime) && !fs.existsSync(path.join(config.root, 'bootstrap'))) {
    throw new ConfigError(`A ${config.runtime} function needs an executable named 'bootstrap' in its code root (${config.root}).`);
  }
  return config;
}

/** Where a JSON.parse error points, as line and column. */
function jsonErrorPosition(text: string, error: Error): string {
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn) return `line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /position (\d+)/.exec(error.message);
  if (!position) return 'the end of the input';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  return `line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/** Checks an event's JSON text; an empty text is the empty event `{}`. */
export function checkEventJson(text: string, label: string): string {
  if (text.trim() === '') return '{}';
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `Malformed event JSON in ${label} at ${jsonErrorPosition(text, error as Error)}: ${(error as Error).message}. The event must be valid JSON.`,
    );
  }
  return text;
}

/** Reads an event file (or standard input for '-'), checked as JSON. */
export function readEventFile(source: string, baseDir = process.cwd()): string {
  const label = source === '-' ? 'standard input' : source;
  let text: string;
  try {
    text = fs.readFileSync(source === '-' ? 0 : path.resolve(baseDir, source), 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the event file ${label}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  return checkEventJson(text, label);
}
