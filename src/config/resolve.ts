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
  parseLoggingConfig,
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
  /** Template parameters (and pseudo parameters) by name, as `sam local --parameter-overrides`. */
  parameterOverrides?: Record<string, string>;
  /** LoggingConfig overrides: `--log-format` / `--log-level`, the launch configuration. */
  logFormat?: string;
  applicationLogLevel?: string;
  systemLogLevel?: string;
}

/** How the caller names its own fields in messages. */
export interface SelectionNames {
  template: string;
  function: string;
  handler: string;
  root: string;
}

export const CLI_NAMES: SelectionNames = {
  template: '--template FILE',
  function: '--function NAME',
  handler: 'HANDLER',
  root: '--root DIR',
};

/** Relative paths are taken from `baseDir`. */
export function resolveFunction(selection: FunctionSelection, baseDir: string, names: SelectionNames): FunctionConfig {
  const from = (p: string) => path.resolve(baseDir, p);
  let config: FunctionConfig;
  if (selection.template) {
    const file = from(selection.template);
    if (!fs.existsSync(file))
      throw new ConfigError(`Template ${selection.template} does not exist (looked for ${file}).`);
    config = findFunction(
      readFunctions(file, { parameterOverrides: selection.parameterOverrides }),
      selection.function,
      names.function,
    ).config;
    if (selection.handler) config = { ...config, handler: selection.handler };
    if (selection.root) config = { ...config, root: from(selection.root) };
  } else {
    if (selection.function) throw new ConfigError(`${names.function} needs ${names.template}.`);
    if (!selection.handler) {
      throw new ConfigError(
        `Missing ${names.handler} (e.g. index.handler), or use ${names.template} with ${names.function}.`,
      );
    }
    config = withDefaults({ root: from(selection.root ?? '.'), handler: selection.handler });
  }
  if (selection.runtime) config = { ...config, runtime: parseRuntimeId(selection.runtime) };
  if (selection.memorySizeMB !== undefined) config = { ...config, memorySizeMB: selection.memorySizeMB };
  if (selection.timeoutSeconds !== undefined) config = { ...config, timeoutSeconds: selection.timeoutSeconds };
  if (selection.ephemeralStorageMB !== undefined)
    config = { ...config, ephemeralStorageMB: selection.ephemeralStorageMB };
  const environment = { ...config.environment };
  const logicalId = config.source.kind === 'sam' ? config.source.logicalId : undefined;
  if (selection.envFile) Object.assign(environment, readEnvFile(from(selection.envFile), config.name, logicalId));
  Object.assign(environment, selection.environment ?? {});
  config = { ...config, environment };
  if (selection.logFormat || selection.applicationLogLevel || selection.systemLogLevel) {
    const levels = selection.applicationLogLevel || selection.systemLogLevel;
    const format = selection.logFormat ?? (levels ? 'JSON' : config.logging?.format);
    const text = format?.toLowerCase() === 'text';
    const logging = parseLoggingConfig({
      format,
      applicationLogLevel: text ? undefined : (selection.applicationLogLevel ?? config.logging?.applicationLogLevel),
      systemLogLevel: text ? undefined : (selection.systemLogLevel ?? config.logging?.systemLogLevel),
    });
    config = { ...config, logging };
  }

  if (!fs.existsSync(config.root) || !fs.statSync(config.root).isDirectory()) {
    throw new ConfigError(`The code root ${config.root} does not exist or is not a folder (${names.root}).`);
  }
  validateFunctionConfig(config);
  if (!isNodeRuntime(config.runtime) && !fs.existsSync(path.join(config.root, 'bootstrap'))) {
    throw new ConfigError(
      `A ${config.runtime} function needs an executable named 'bootstrap' in its code root (${config.root}).`,
    );
  }
  return config;
}

/** The offset of the first syntax error in JSON text (Node 20's messages do not always say). */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail();
    i += match![0].length;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return void literal('true');
    if (c === 'f') return void literal('false');
    if (c === 'n') return void literal('null');
    return number();
  };
  try {
    value();
    space();
    return i < text.length ? i : -1;
  } catch (offset) {
    return offset as number;
  }
}

/** Where JSON text first goes wrong, as line and column. */
function jsonErrorPosition(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset < 0 || offset >= text.length) return 'the end of the input';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** Checks an event's JSON text; an empty text is the empty event `{}`. */
export function checkEventJson(text: string, label: string): string {
  if (text.trim() === '') return '{}';
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `Malformed event JSON in ${label} at ${jsonErrorPosition(text)}: ${(error as Error).message}. The event must be valid JSON.`,
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
    throw new ConfigError(
      `Cannot read the event file ${label}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  return checkEventJson(text, label);
}
