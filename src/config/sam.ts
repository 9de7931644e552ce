// Reads functions from a SAM template (template.yaml|yml|json): AWS::Serverless::Function
// resources with Globals.Function merged in, local CodeUri folders and local layers.
// CloudFormation tags (!Ref, !Sub, !GetAtt, …) never break parsing; values they give are
// resolved where the template itself says (Parameters' defaults, pseudo parameters).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, type Tags } from 'yaml';
import { ConfigError, FunctionConfig, parseRuntimeId, validateFunctionConfig, withDefaults } from './functionConfig';

export interface TemplateReadResult {
  functions: FunctionDefinition[];
  warnings: string[];
}
export interface FunctionDefinition {
  config: FunctionConfig;
}

const INTRINSICS = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Equals',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
  'And',
  'Or',
  'Not',
  'Condition',
  'Transform',
];

/** `!Ref X` reads as `{ Ref: X }`, `!Sub s` as `{ 'Fn::Sub': s }`, in every YAML form. */
export const cloudFormationTags: Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const wrap = (value: unknown) => ({
    [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value,
  });
  return (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    collection: collection === 'scalar' ? undefined : collection,
    resolve: (value: unknown) => wrap(collection === 'scalar' ? value : (value as { toJSON(): unknown }).toJSON()),
    identify: () => false,
  })) as Tags;
});

export function parseYamlOrJson(text: string, file: string): Record<string, unknown> {
  const document = parseDocument(text, { customTags: cloudFormationTags, prettyErrors: true, uniqueKeys: false });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [1, 1];
    throw new ConfigError(`${file}:${line}:${column}: ${error.message.split('\n')[0]}`);
  }
  const value = document.toJS({ maxAliasCount: 1000 }) as unknown;
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(`${file}: expected a mapping at the top level.`);
  return value as Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves intrinsic functions where possible; undefined when it cannot. */
function resolveValue(value: unknown, parameters: Obj): unknown {
  if (!isObj(value)) return value;
  const pseudo: Obj = {
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': '123456789012',
    'AWS::StackName': 'local',
    'AWS::Partition': 'aws',
  };
  if ('Ref' in value && typeof value.Ref === 'string') {
    const p = parameters[value.Ref];
    if (isObj(p) && p.Default !== undefined) return p.Default;
    return pseudo[value.Ref];
  }
  if ('Fn::Sub' in value) {
    const template = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'][0] : value['Fn::Sub'];
    if (typeof template !== 'string') return undefined;
    let unresolved = false;
    const text = template.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      const r = resolveValue({ Ref: name }, parameters);
      if (r === undefined) unresolved = true;
      return String(r);
    });
    return unresolved ? undefined : text;
  }
  if ('Fn::Join' in value && Array.isArray(value['Fn::Join'])) {
    const [separator, parts] = value['Fn::Join'] as [string, unknown[]];
    const resolved = (parts ?? []).map((p) => resolveValue(p, parameters));
    return resolved.some((p) => p === undefined) ? undefined : resolved.join(separator);
  }
  return undefined;
}

function describeIntrinsic(value: Obj): string {
  const [key, arg] = Object.entries(value)[0] ?? ['?', ''];
  return `\${!${key.replace('Fn::', '')} ${Array.isArray(arg) ? arg.join('.') : String(arg)}}`;
}

export function parseSamTemplate(text: string, file: string): TemplateReadResult {
  const template = parseYamlOrJson(text, file);
  const dir = path.dirname(path.resolve(file));
  const warnings: string[] = [];
  const parameters = isObj(template.Parameters) ? template.Parameters : {};
  const resources = isObj(template.Resources) ? template.Resources : {};
  const globals = isObj(template.Globals) && isObj(template.Globals.Function) ? template.Globals.Function : {};
  const functions: FunctionDefinition[] = [];
  const where = (id: string) => `${path.basename(file)}, function ${id}`;

  const scalar = (id: string, label: string, value: unknown): unknown => {
    if (!isObj(value)) return value;
    const resolved = resolveValue(value, parameters);
    if (resolved !== undefined) return resolved;
    warnings.push(`${where(id)}: ${label} uses ${describeIntrinsic(value)}, which cannot be resolved locally.`);
    return describeIntrinsic(value);
  };

  for (const [id, resource] of Object.entries(resources)) {
    if (
      !isObj(resource) ||
      (resource.Type !== 'AWS::Serverless::Function' && resource.Type !== 'AWS::Lambda::Function')
    )
      continue;
    const own = isObj(resource.Properties) ? resource.Properties : {};
    const props: Obj = { ...globals, ...own };
    if (props.PackageType === 'Image') {
      warnings.push(`${where(id)}: container image functions are not run locally; skipped.`);
      continue;
    }
    const codeUri = resource.Type === 'AWS::Lambda::Function' ? props.Code : props.CodeUri;
    if (codeUri !== undefined && (typeof codeUri !== 'string' || codeUri.startsWith('s3://'))) {
      warnings.push(`${where(id)}: its code is not in a local folder (CodeUri ${JSON.stringify(codeUri)}); skipped.`);
      continue;
    }
    const variables: Obj = {
      ...(isObj(globals.Environment) && isObj(globals.Environment.Variables) ? globals.Environment.Variables : {}),
      ...(isObj(own.Environment) && isObj(own.Environment.Variables) ? own.Environment.Variables : {}),
    };
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(variables))
      environment[key] = String(scalar(id, `variable ${key}`, value));
    const layers: string[] = [];
    for (const layer of Array.isArray(props.Layers) ? props.Layers : []) {
      const ref = isObj(layer) && typeof layer.Ref === 'string' ? resources[layer.Ref] : undefined;
      const content =
        isObj(ref) && isObj(ref.Properties) ? (ref.Properties.ContentUri ?? ref.Properties.Content) : undefined;
      if (typeof content === 'string' && !content.startsWith('s3://')) layers.push(path.resolve(dir, content));
      else
        warnings.push(`${where(id)}: layer ${JSON.stringify(layer)} is not a local folder in this template; ignored.`);
    }
    const runtime = props.Runtime === undefined ? undefined : String(scalar(id, 'Runtime', props.Runtime));
    let parsedRuntime;
    try {
      parsedRuntime = runtime === undefined ? undefined : parseRuntimeId(runtime);
    } catch (error) {
      throw new ConfigError(`${where(id)}: ${(error as Error).message}`);
    }
    const number = (label: string, value: unknown) =>
      value === undefined ? undefined : Number(scalar(id, label, value));
    const storage = isObj(props.EphemeralStorage) ? props.EphemeralStorage.Size : undefined;
    const config = withDefaults({
      name: typeof own.FunctionName === 'string' ? own.FunctionName : id,
      root: path.resolve(dir, typeof codeUri === 'string' ? codeUri : '.'),
      handler: String(scalar(id, 'Handler', props.Handler ?? '')),
      runtime: parsedRuntime,
      memorySizeMB: number('MemorySize', props.MemorySize),
      timeoutSeconds: number('Timeout', props.Timeout),
      ephemeralStorageMB: number('EphemeralStorage', storage),
      environment,
      layers,
      source: { kind: 'sam', file: path.resolve(file), logicalId: id },
    });
    try {
      validateFunctionConfig(config);
    } catch (error) {
      throw new ConfigError(`${where(id)}: ${(error as Error).message}`);
    }
    functions.push({ config });
  }
  return { functions, warnings };
}

export function readSamTemplate(file: string): TemplateReadResult {
  return parseSamTemplate(fs.readFileSync(file, 'utf8'), file);
}
