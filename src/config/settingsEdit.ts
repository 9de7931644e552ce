// Local settings of a function as the sidebar edits them (memory, timeout, ephemeral
// storage, environment variables, runtime, LoggingConfig): checked field by field as Lambda checks them,
// and written into a template's function when asked, keeping the template's comments,
// formatting and CloudFormation tags.

import { applyEdits, modify, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { isMap, isNode, isScalar, parseDocument } from 'yaml';
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

/**
 * Sets one property of a SAM function (`Resources.<logicalId>.Properties.<key>`, e.g.
 * MemorySize) to a number and returns the new text; every other character of the template
 * stays as it was (the value's own text is replaced, or one line added under Properties
 * with its indentation). JSON templates are edited as JSON.
 */
export function setFunctionProperty(text: string, file: string, logicalId: string, key: string, value: number): string {
  const owner = ['Resources', logicalId, 'Properties'];
  if (/\.json$/i.test(file)) {
    const errors: ParseError[] = [];
    parseTree(text, errors);
    if (errors.length > 0) throw new Error(`The file does not parse (${printParseErrorCode(errors[0].error)}).`);
    const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
    const edits = modify(text, [...owner, key], value, {
      formattingOptions: { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length },
    });
    return applyEdits(text, edits);
  }
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0)
    throw new Error(`The file does not parse: ${document.errors[0].message.split('\n')[0]}`);
  const properties = document.getIn(owner, true);
  if (!isMap(properties)) throw new Error(`No ${owner.join('.')} in the file.`);
  const pair = properties.items.find((p) => isScalar(p.key) && p.key.value === key);
  const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
  const valueRange = pair && isNode(pair.value) ? pair.value.range : undefined;
  if (keyRange && valueRange) {
    // From after `Key:` (a tag such as !Ref included) to the end of the old value.
    let start = text.indexOf(':', keyRange[1]) + 1;
    while (text[start] === ' ' || text[start] === '\t') start++;
    return text.slice(0, start) + String(value) + text.slice(valueRange[1]);
  }
  const first = properties.items[0]?.key;
  if (properties.flow && properties.range) {
    // `{ A: 1, B: 2 }`: `, Key: value` after the last entry (or inside an empty `{}`).
    const last = properties.items.at(-1);
    const end = isNode(last?.value) ? last.value.range?.[1] : isNode(last?.key) ? last.key.range?.[1] : undefined;
    const at = end ?? text.lastIndexOf('}', properties.range[1]);
    return text.slice(0, at) + (end === undefined ? `${key}: ${value}` : `, ${key}: ${value}`) + text.slice(at);
  }
  if (isNode(first) && first.range) {
    const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
    const indent = text.slice(lineStart, first.range[0]);
    if (/^[ \t]*$/.test(indent))
      return text.slice(0, lineStart) + `${indent}${key}: ${value}\n` + text.slice(lineStart);
  }
  // A key that shares its line with something else (`- Properties: …` is not SAM's shape).
  return setYamlValues(text, owner, [{ path: [key], value }]);
}
