// Local settings of a function as the sidebar edits them (memory, timeout, ephemeral
// storage, environment variables, runtime, LoggingConfig): checked field by field as Lambda checks them,
// and written into a template's function when asked, keeping the template's comments,
// formatting and CloudFormation tags.

import { isMap, parseDocument } from 'yaml';
import type { FunctionSettings, SettingsProblems } from '../protocol/webviewProtocol';
import { functionConfigProblems, parseLoggingConfig } from './functionConfig';

export type { FunctionSettings } from '../protocol/webviewProtocol';

/** What Lambda would refuse, by field ('environment.NAME' for one variable). Empty when fine.
 * The rules are functionConfig's, the same a launch or a template is checked with. */
export function settingsProblems(settings: FunctionSettings): SettingsProblems {
  const problems = functionConfigProblems({
    memorySizeMB: settings.memorySize,
    timeoutSeconds: settings.timeout,
    ephemeralStorageMB: settings.ephemeralStorage,
    runtime: settings.runtime,
    environment: settings.environment,
  });
  const byField: SettingsProblems = Object.fromEntries(problems.map((p) => [p.field, p.message]));
  try {
    parseLoggingConfig(loggingInput(settings));
  } catch (error) {
    byField.logFormat = (error as Error).message;
  }
  return byField;
}

/** The settings' LoggingConfig fields as parseLoggingConfig reads them (levels only with JSON). */
export function loggingInput(settings: FunctionSettings) {
  const json = settings.logFormat === 'JSON';
  return {
    format: settings.logFormat,
    applicationLogLevel: json ? settings.applicationLogLevel : undefined,
    systemLogLevel: json ? settings.systemLogLevel : undefined,
  };
}

/**
 * Sets values in a YAML document's text and returns the new text; the rest of the text
 * (comments, order, quoting, tags like !Ref) is kept. `owner` must exist already.
 */
export function setYamlValues(
  text: string,
  owner: Array<string | number>,
  values: Array<{ path: Array<string | number>; value: unknown }>,
): string {
  // No custom tags: !Ref, !Sub… stay tagged nodes and are written back as they were.
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0)
    throw new Error(`The file does not parse: ${document.errors[0].message.split('\n')[0]}`);
  if (!isMap(document.getIn(owner, true))) throw new Error(`No ${owner.join('.')} in the file.`);
  for (const { path, value } of values) document.setIn([...owner, ...path], value);
  return document.toString({ lineWidth: 0 });
}

/** The smallest single replacement turning `before` into `after`. */
export function textDiff(before: string, after: string): { start: number; end: number; newText: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endOld = before.length;
  let endNew = after.length;
  while (endOld > start && endNew > start && before[endOld - 1] === after[endNew - 1]) {
    endOld--;
    endNew--;
  }
  return { start, end: endOld, newText: after.slice(start, endNew) };
}
