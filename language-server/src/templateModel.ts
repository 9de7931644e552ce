// The files that name functions, read for editing, not for running: SAM templates
// (template.yaml|yml|json), serverless.yml and launch configurations (.vscode/launch.json).
// Tolerant of half-typed text and of values out of range, with the source range of every
// value the checks and hovers point at. CloudFormation tags (!Ref, !Sub…) parse as in
// src/config.

import * as path from 'node:path';
import { isMap, isScalar, parseDocument, type Node, type YAMLMap } from 'yaml';
import { parseTree, findNodeAtLocation, getNodeValue, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { cloudFormationTags } from '../../src/config/sam';
import { describeIntrinsic, resolveIntrinsics, templateScope, type TemplateScope } from '../../src/config/intrinsics';

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
  variables: Map<string, { value: string; range: SourceRange; fromGlobals: boolean; origin?: string }>;
  /** Where a new variable goes (a path in the YAML document); null where none can be added. */
  variablesPath: Array<string | number> | null;
  /** How much of variablesPath must exist already (the function's own block). */
  variablesOwnerLength: number;
}

export interface TemplateModel {
  file: string;
  kind: 'sam' | 'serverless' | 'launch';
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
  return node && isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')
    ? String(node.value)
    : null;
}

export const FUNCTION_FILE = /(^|[\\/])(template\.(ya?ml|json)|serverless\.ya?ml|\.vscode[\\/]launch\.json)$/;

export function parseTemplateModel(source: string, file: string): TemplateModel {
  if (/serverless\.ya?ml$/.test(file)) return parseServerlessModel(source, file);
  if (/launch\.json$/.test(file)) return parseLaunchModel(source, file);
  const document = parseDocument(source, {
    customTags: cloudFormationTags,
    keepSourceTokens: false,
    uniqueKeys: false,
  });
  const errors = yamlErrors(document);
  const dir = path.dirname(file);
  const functions: TemplateFunction[] = [];
  const root = document.contents;
  const globals = get(get(root, 'Globals'), 'Function');
  const resources = get(root, 'Resources');
  const whole = document.toJS({ maxAliasCount: 1000 }) as unknown;
  const scope = templateScope(whole !== null && typeof whole === 'object' ? (whole as Record<string, unknown>) : {});
  if (isMap(resources)) {
    for (const pair of resources.items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const type = text(get(pair.value, 'Type'));
      if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Lambda::Function') continue;
      const id = String(pair.key.value);
      const props = get(pair.value, 'Properties');
      const prop = (name: string) => get(props, name) ?? get(globals, name);
      const codeUri = text(
        get(props, type === 'AWS::Lambda::Function' ? 'Code' : 'CodeUri') ?? get(globals, 'CodeUri'),
      );
      const handlerNode = prop('Handler');
      const handler = text(handlerNode);
      const variables = variablesOf(
        [get(get(globals, 'Environment'), 'Variables'), true],
        [get(get(props, 'Environment'), 'Variables'), false],
        scope,
      );
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
        variablesOwnerLength: 3,
      });
    }
  }
  return { file, kind: 'sam', functions, errors };
}

function yamlErrors(document: ReturnType<typeof parseDocument>) {
  return document.errors.map((e) => ({ message: e.message.split('\n')[0], range: { start: e.pos[0], end: e.pos[1] } }));
}

function variablesOf(
  globalsVars: [unknown, boolean],
  ownVars: [unknown, boolean],
  scope?: TemplateScope,
): TemplateFunction['variables'] {
  const variables: TemplateFunction['variables'] = new Map();
  for (const [vars, fromGlobals] of [globalsVars, ownVars]) {
    if (!isMap(vars)) continue;
    for (const v of vars.items) {
      if (!isScalar(v.key)) continue;
      const range = rangeOf(v.key as Node);
      // A tag such as !Sub reads as a scalar holding its intrinsic object.
      if (isScalar(v.value) && (typeof v.value.value !== 'object' || v.value.value === null)) {
        variables.set(String(v.key.value), { value: String(v.value.value), range, fromGlobals });
        continue;
      }
      const raw = (isScalar(v.value) ? v.value.value : (v.value as Node | null)?.toJSON?.()) as unknown;
      // A template value (intrinsic) resolved as sam local resolves it, with where it came from.
      const resolved = scope ? resolveIntrinsics(raw, scope) : null;
      const value =
        resolved?.ok === true
          ? typeof resolved.value === 'object'
            ? JSON.stringify(resolved.value)
            : String(resolved.value)
          : JSON.stringify(raw ?? '');
      const origin = !resolved
        ? undefined
        : resolved.ok
          ? `${describeIntrinsic(raw)}${resolved.origins.length ? ` → ${resolved.origins.join(', ')}` : ''}`
          : `${describeIntrinsic(raw)} cannot be resolved locally (${resolved.reason}); it is empty, set it in an env file`;
      variables.set(String(v.key.value), {
        value: resolved?.ok === false ? '' : value,
        range,
        fromGlobals,
        ...(origin ? { origin } : {}),
      });
    }
  }
  return variables;
}

/** serverless.yml: \`provider\` defaults and \`functions\`. */
function parseServerlessModel(source: string, file: string): TemplateModel {
  const document = parseDocument(source, { customTags: cloudFormationTags, uniqueKeys: false });
  const provider = get(document.contents, 'provider');
  const functions: TemplateFunction[] = [];
  const all = get(document.contents, 'functions');
  if (isMap(all)) {
    for (const pair of all.items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const key = String(pair.key.value);
      const own = (name: string) => get(pair.value, name) ?? get(provider, name);
      const handlerNode = get(pair.value, 'handler');
      const handler = text(handlerNode);
      const storage = own('ephemeralStorageSize');
      functions.push({
        id: key,
        idRange: rangeOf(pair.key as Node),
        root: path.dirname(file),
        handler: handler !== null ? { value: handler, range: rangeOf(handlerNode) } : null,
        runtime: text(own('runtime')),
        memorySize: scalarOf(own('memorySize')),
        timeout: scalarOf(own('timeout')),
        ephemeralStorage: scalarOf(storage),
        variables: variablesOf([get(provider, 'environment'), true], [get(pair.value, 'environment'), false]),
        variablesPath: ['functions', key, 'environment'],
        variablesOwnerLength: 2,
      });
    }
  }
  return { file, kind: 'serverless', functions, errors: yamlErrors(document) };
}

/** .vscode/launch.json (JSON with comments): \`lambda\` configurations that name a handler. */
function parseLaunchModel(source: string, file: string): TemplateModel {
  const parseErrors: ParseError[] = [];
  const tree = parseTree(source, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const functions: TemplateFunction[] = [];
  const workspace = path.dirname(path.dirname(file));
  const configurations = tree ? findNodeAtLocation(tree, ['configurations']) : undefined;
  for (const configuration of configurations?.children ?? []) {
    const value = getNodeValue(configuration) as Record<string, unknown> | null;
    if (!value || value.type !== 'lambda' || typeof value.handler !== 'string' || value.template) continue;
    const at = (key: string): JsonNode | undefined => findNodeAtLocation(configuration, [key]);
    const range = (node: JsonNode | undefined) =>
      node
        ? { start: node.offset, end: node.offset + node.length }
        : { start: configuration.offset, end: configuration.offset };
    const root = typeof value.root === 'string' ? value.root.replace(/\$\{workspaceFolder\}/g, workspace) : workspace;
    const environment = new Map<string, { value: string; range: SourceRange; fromGlobals: boolean }>();
    for (const [k, v] of Object.entries((value.environment as Record<string, unknown>) ?? {}))
      environment.set(k, { value: String(v), range: range(at('environment')), fromGlobals: false });
    functions.push({
      id: typeof value.name === 'string' ? value.name : value.handler,
      idRange: range(at('name')),
      root: path.resolve(workspace, root),
      handler: { value: value.handler, range: range(at('handler')) },
      runtime: typeof value.runtime === 'string' ? value.runtime : null,
      memorySize: value.memorySize === undefined ? null : { value: value.memorySize, range: range(at('memorySize')) },
      timeout: value.timeout === undefined ? null : { value: value.timeout, range: range(at('timeout')) },
      ephemeralStorage:
        value.ephemeralStorage === undefined
          ? null
          : { value: value.ephemeralStorage, range: range(at('ephemeralStorage')) },
      variables: environment,
      variablesPath: null,
      variablesOwnerLength: 0,
    });
  }
  const errors = parseErrors.map((e) => ({
    message: `launch.json: syntax error (${e.error})`,
    range: { start: e.offset, end: e.offset + e.length },
  }));
  return { file, kind: 'launch', functions, errors };
}
