// Edits to a template for quick fixes, through src/config's comment-keeping YAML edit.

import { setYamlValues, textDiff } from '../../src/config/settingsEdit';

/** A single text replacement: [start, end) becomes newText. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

/** Adds `name: ""` at `variablesPath` (e.g. a SAM function's Environment.Variables), creating
 * the blocks below the function's own (the first `ownerLength` keys) as needed. */
export function addVariableEdit(
  text: string,
  variablesPath: Array<string | number>,
  ownerLength: number,
  name: string,
): TextEdit | null {
  try {
    const owner = variablesPath.slice(0, ownerLength);
    const next = setYamlValues(text, owner, [{ path: [...variablesPath.slice(ownerLength), name], value: '' }]);
    return next === text ? null : textDiff(text, next);
  } catch {
    return null;
  }
}
