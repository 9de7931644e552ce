// Local settings of a function as the sidebar edits them (memory, timeout, ephemeral
// storage, environment variables, runtime): checked field by field as Lambda checks them,
// and written into a template's function when asked, keeping the template's comments,
// formatting and CloudFormation tags.

import { isMap, parseDocument } from 'yaml';
import type { FunctionSettings, SettingsProblems } from '../protocol/webviewProtocol';
import { LIMITS, RESERVED_VARIABLES, environmentSize, isRuntimeId, RUNTIMES } from './functionConfig';

export type { FunctionSettings } from '../protocol/webviewProtocol';

/** What Lambda would refuse, by field ('environment.NAME' for one variable). Empty when fine. */
export function settingsProblems(settings: FunctionSettings): SettingsProblems {
  const problems: SettingsProblems = {};
  const range = (field: keyof FunctionSettings, value: number, limits: { min: number; max: number }, unit: string) => {
    if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
      problems[field] = `Must be a whole number from ${limits.min} to ${limits.max} ${unit}.`;
    }
  };
  range('memorySize', settings.memorySize, LIMITS.memoryMB, 'MB');
  range('timeout', settings.timeout, LIMITS.timeoutSeconds, 'seconds');
  range('ephemeralStorage', settings.ephemeralStorage, LIMITS.ephemeralStorageMB, 'MB');
  if (!isRuntimeId(settings.runtime)) problems.runtime = `Unknown runtime; use one of ${RUNTIMES.join(', ')}.`;
  for (const name of Object.keys(settings.environment)) {
    if ((RESERVED_VARIABLES as readonly string[]).includes(name)) {
      problems[`environment.${name}`] =
        `${name} is reserved: Lambda sets it itself and refuses a configuration that sets it.`;
    } else if (!/^[a-zA-Z]([a-zA-Z0-9_])*$/.test(name)) {
      problems[`environment.${name}`] = 'A name starts with a letter and has only letters, digits and underscores.';
    }
  }
  const size = environmentSize(settings.environment);
  if (size > LIMITS.environmentBytes) {
    problems.environment = `The variables take ${size} bytes; Lambda allows ${LIMITS.environmentBytes} bytes (4 KB) for all names and values together.`;
  }
  return problems;
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
