// Edits to a template that keep its comments and formatting: adding an environment
// variable to a function rewrites only that function's Properties block text, through
// the YAML library's document model; CloudFormation tags are kept as written.

import { isMap, parseDocument } from 'yaml';

/** A single text replacement: [start, end) becomes newText. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** Adds `name: ""` at `variablesPath` (e.g. a SAM function's Environment.Variables), creating
 * the blocks below the function's own (the first `ownerLength` keys) as needed. */
export function addVariableEdit(text: string, variablesPath: Array<string | number>, ownerLength: number, name: string): TextEdit | null {
  // No custom tags: !Ref, !Sub… stay tagged nodes and are written back exactly as they were.
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0) return null;
  if (!isMap(document.getIn(variablesPath.slice(0, ownerLength), true))) return null;
  if (document.getIn([...variablesPath, name]) !== undefined) return null;
  document.setIn([...variablesPath, name], '');
  // The document re-serialised keeps comments; only the span that differs is replaced.
  const next = document.toString({ lineWidth: 0 });
  let start = 0;
  while (start < text.length && start < next.length && text[start] === next[start]) start++;
  let endOld = text.length;
  let endNew = next.length;
  while (endOld > start && endNew > start && text[endOld - 1] === next[endNew - 1]) {
    endOld--;
    endNew--;
  }
  return { start, end: endOld, newText: next.slice(start, endNew) };
}
