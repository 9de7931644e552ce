// A template (SAM template.yaml|yml|json) read for editing, not for running: tolerant of
// half-typed text and of values out of range, with the source range of every value the
// checks and hovers point at. CloudFormation tags (!Ref, !Sub…) parse as in src/config.

import * as path from 'node:path';
import { isMap, isScalar, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import { cloudFormationTags } from '../../src/config/sam';

/** Offsets into the template text. */
export interface SourceRange {
  start: number;
  end: number;
}

export interface Located<T> {
  value: T;
  range: SourceRange;
}

export interface TemplateFunction {
  /** The logical id. */
  id: string;
  idRange: SourceRange;
  /** Absolute code root (CodeUri). */
  root: string;
  handler: Located<string> | null;
  runtime: string | null;
  memorySize: Located<unknown> | null;
  timeout: Located<unknown> | null;
  ephemeralStorage: Located<unknown> | null;
  /** Globals' variables, then the function's own (later wins). */
  variables: Map<string, { value: string; range: SourceRange; fromGlobals: boolean }>;
  /** Where a new variable goes: the function's Environment.Variables path. */
  variablesPath: Array<string>;
}

export interface TemplateModel {
  file: string;
  document: Document;
  functions: TemplateFunction[];
  /** YAML syntax errors, with ranges. */
  errors: Array<{ message: string; range: SourceRange }>;
}

const rangeOf = (node: Node | null | undefined): SourceRange => {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
};

function get(map: unknown, key: string): Node | null {
  if (!isMap(map)) return null;
  for (const pair of (map as YAMLMap).items) {
    if (isScalar(pair.key) && pair.key.value === key) return (pair.value as Node) ?? null;
  }
  return null;
}

function scalarOf(node: Node | null): Located<unknown> | null {
  if (!node) return null;
  if (isScalar(node)) return { value: node.value, range: rangeOf(node) };
  return { value: node.toJSON(), range: rangeOf(node) };
}

function text(node: Node | null): string | null {
  return node && isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : null;
}

export function parseTemplateModel(source: string, file: string): TemplateModel {
  const document = parseDocument(source, { customTags: cloudFormationTags, keepSourceTokens: false, uniqueKeys: false });
  const errors = document.errors.map((e) => ({ message: e.message.split('\n')[0], range: { start: e.pos[0], end: e.pos[1] } }));
  const dir = path.dirname(file);
  const functions: TemplateFunction[] = [];
  const root = document.contents;
  const globals = get(get(root, 'Globals'), 'Function');
  const resources = get(root, 'Resources');
  if (isMap(resources)) {
    for (const pair of resources.items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const type = text(get(pair.value, 'Type'));
      if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Lambda::Function') continue;
      const id = String(pair.key.value);
      const props = get(pair.value, 'Properties');
      const prop = (name: string) => get(props, name) ?? get(globals, name);
      const codeUri = text(get(props, type === 'AWS::Lambda::Function' ? 'Code' : 'CodeUri') ?? get(globals, 'CodeUri'));
      const handlerNode = prop('Handler');
      const handler = text(handlerNode);
      const variables: TemplateFunction['variables'] = new Map();
      for (const [source, fromGlobals] of [[globals, true], [props, false]] as const) {
        const vars = get(get(source, 'Environment'), 'Variables');
        if (!isMap(vars)) continue;
        for (const v of vars.items) {
          if (!isScalar(v.key)) continue;
          const value = isScalar(v.value) ? String(v.value.value) : JSON.stringify((v.value as Node | null)?.toJSON?.() ?? '');
          variables.set(String(v.key.value), { value, range: rangeOf(v.key as Node), fromGlobals });
        }
      }
      functions.push({
        id,
        idRange: rangeOf(pair.key as Node),
        root: path.resolve(dir, codeUri && !codeUri.startsWith('s3://') ? codeUri : '.'),
        handler: handler !== null ? { value: handler, range: rangeOf(handlerNode) } : null,
        runtime: text(prop('Runtime')),
        memorySize: scalarOf(prop('MemorySize')),
        timeout: scalarOf(prop('Timeout')),
        ephemeralStorage: scalarOf(get(prop('EphemeralStorage'), 'Size')),
        variables,
        variablesPath: ['Resources', id, 'Properties', 'Environment', 'Variables'],
      });
    }
  }
  return { file, document, functions, errors };
}
