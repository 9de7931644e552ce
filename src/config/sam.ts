// Reads functions from a SAM template (template.yaml|yml|json): AWS::Serverless::Function
// resources with Globals.Function merged in, local CodeUri folders and local layers.
// CloudFormation tags (!Ref, !Sub, !GetAtt, …) never break parsing; their values are
// resolved as sam local resolves them (intrinsics.ts). A function Lambda would refuse is
// kept with the reason, so the template's other functions still run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument, type Tags } from 'yaml';
import {
  ConfigError,
  FunctionConfig,
  functionConfigProblems,
  parseLoggingConfig,
  parseRuntimeId,
  withDefaults,
} from './functionConfig';
import { describeIntrinsic, resolveIntrinsics, templateScope } from './intrinsics';

export interface TemplateReadResult {
  functions: FunctionDefinition[];
  warnings: string[];
}
export interface FunctionDefinition {
  config: FunctionConfig;
  /** Why Lambda would refuse this function (naming it and the field); the others still run. */
  invalid?: string;
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

export interface TemplateReadOptions {
  /** `--parameter-overrides` / `parameterOverrides`: template parameters (and pseudo parameters
   * such as `AWS::Region`) by name. */
  parameterOverrides?: Record<string, string>;
}

export function parseSamTemplate(text: string, file: string, options: TemplateReadOptions = {}): TemplateReadResult {
  const template = parseYamlOrJson(text, file);
  const dir = path.dirname(path.resolve(file));
  const warnings: string[] = [];
  const scope = templateScope(template, options.parameterOverrides);
  const resources = scope.resources;
  const globals = isObj(template.Globals) && isObj(template.Globals.Function) ? template.Globals.Function : {};
  const functions: FunctionDefinition[] = [];
  const where = (id: string) => `${path.basename(file)}, function ${id}`;

  for (const [id, resource] of Object.entries(resources)) {
    if (
      !isObj(resource) ||
      (resource.Type !== 'AWS::Serverless::Function' && resource.Type !== 'AWS::Lambda::Function')
    )
      continue;
    const problems: string[] = [];
    /** A property's value with its intrinsics resolved; unresolvable ones warn and give `fallback`. */
    const resolved = (label: string, value: unknown, fallback: unknown = undefined): unknown => {
      if (!isObj(value) && !Array.isArray(value)) return value;
      const result = resolveIntrinsics(value, scope);
      if (result.ok) return result.value;
      warnings.push(
        `${where(id)}: ${label} uses ${describeIntrinsic(value)}, which cannot be resolved locally (${result.reason}).` +
          (label.startsWith('variable ')
            ? ` It is empty here, as with sam local; set it in an env file: {"${id}": {"${label.slice(9)}": "..."}}.`
            : ''),
      );
      return fallback;
    };
    const own = isObj(resource.Properties) ? resource.Properties : {};
    const props: Obj = { ...globals, ...own };
    if (props.PackageType === 'Image') {
      warnings.push(`${where(id)}: container image functions are not run locally; skipped.`);
      continue;
    }
    const codeUri = resolved('CodeUri', resource.Type === 'AWS::Lambda::Function' ? props.Code : props.CodeUri);
    if (codeUri !== undefined && (typeof codeUri !== 'string' || codeUri.startsWith('s3://'))) {
      warnings.push(`${where(id)}: its code is not in a local folder (CodeUri ${JSON.stringify(codeUri)}); skipped.`);
      continue;
    }
    const variables: Obj = {
      ...(isObj(globals.Environment) && isObj(globals.Environment.Variables) ? globals.Environment.Variables : {}),
      ...(isObj(own.Environment) && isObj(own.Environment.Variables) ? own.Environment.Variables : {}),
    };
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(variables)) {
      const v = resolved(`variable ${key}`, value, '');
      if (v !== undefined) environment[key] = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
    }
    const layers: string[] = [];
    for (const layer of Array.isArray(props.Layers) ? props.Layers : []) {
      const ref = isObj(layer) && typeof layer.Ref === 'string' ? resources[layer.Ref] : undefined;
      const content =
        isObj(ref) && isObj(ref.Properties) ? (ref.Properties.ContentUri ?? ref.Properties.Content) : undefined;
      if (typeof content === 'string' && !content.startsWith('s3://')) layers.push(path.resolve(dir, content));
      else
        warnings.push(`${where(id)}: layer ${JSON.stringify(layer)} is not a local folder in this template; ignored.`);
    }
    const runtime = props.Runtime === undefined ? undefined : String(resolved('Runtime', props.Runtime));
    let parsedRuntime;
    try {
      parsedRuntime = runtime === undefined ? undefined : parseRuntimeId(runtime);
    } catch (error) {
      problems.push(`Runtime: ${(error as Error).message}`);
    }
    const number = (label: string, value: unknown) => {
      const v = resolved(label, value);
      return v === undefined ? undefined : Number(v);
    };
    const storage = isObj(props.EphemeralStorage) ? props.EphemeralStorage.Size : undefined;
    const name = resolved('FunctionName', own.FunctionName);
    const logging = isObj(props.LoggingConfig) ? props.LoggingConfig : undefined;
    let parsedLogging;
    try {
      parsedLogging = logging
        ? parseLoggingConfig({
            format: resolved('LogFormat', logging.LogFormat),
            applicationLogLevel: resolved('ApplicationLogLevel', logging.ApplicationLogLevel),
            systemLogLevel: resolved('SystemLogLevel', logging.SystemLogLevel),
          })
        : undefined;
    } catch (error) {
      problems.push(`LoggingConfig: ${(error as Error).message}`);
    }
    const reserved = number('ReservedConcurrentExecutions', props.ReservedConcurrentExecutions);
    if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 0))
      problems.push(`ReservedConcurrentExecutions must be a whole number of 0 or more (got ${reserved}).`);
    // AutoPublishAlias: SAM publishes a version (the first is 1) and points the alias at it;
    // the function's event sources and function URL then call the alias.
    const alias =
      resource.Type === 'AWS::Serverless::Function' ? resolved('AutoPublishAlias', props.AutoPublishAlias) : undefined;
    if (alias !== undefined && (typeof alias !== 'string' || !/^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/.test(alias)))
      problems.push(
        `AutoPublishAlias: '${String(alias)}' is not an alias name (letters, digits, - and _, not only digits).`,
      );
    const invokeConfig = isObj(props.EventInvokeConfig) ? props.EventInvokeConfig : undefined;
    const retries = invokeConfig ? number('MaximumRetryAttempts', invokeConfig.MaximumRetryAttempts) : undefined;
    const maxAge = invokeConfig ? number('MaximumEventAgeInSeconds', invokeConfig.MaximumEventAgeInSeconds) : undefined;
    if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0 && retries <= 2))
      problems.push(`EventInvokeConfig: MaximumRetryAttempts must be 0, 1 or 2 (got ${retries}).`);
    if (maxAge !== undefined && !(Number.isInteger(maxAge) && maxAge >= 60 && maxAge <= 21600))
      problems.push(`EventInvokeConfig: MaximumEventAgeInSeconds must be from 60 to 21600 (got ${maxAge}).`);
    const architectures = resolved('Architectures', props.Architectures);
    const architecture = Array.isArray(architectures) ? String(architectures[0]) : undefined;
    if (architecture !== undefined && architecture !== 'x86_64' && architecture !== 'arm64')
      problems.push(`Architectures: '${architecture}' is not one of: x86_64, arm64.`);
    const config = withDefaults({
      name: typeof name === 'string' && name !== '' ? name : id,
      root: path.resolve(dir, typeof codeUri === 'string' ? codeUri : '.'),
      handler: String(resolved('Handler', props.Handler) ?? ''),
      runtime: parsedRuntime,
      memorySizeMB: number('MemorySize', props.MemorySize),
      timeoutSeconds: number('Timeout', props.Timeout),
      ephemeralStorageMB: number('EphemeralStorage', storage),
      environment,
      layers,
      source: { kind: 'sam', file: path.resolve(file), logicalId: id },
      logging: parsedLogging,
      architecture: architecture === 'arm64' || architecture === 'x86_64' ? architecture : undefined,
      reservedConcurrency: reserved,
      ...publishedOf(id, resources, typeof alias === 'string' ? alias : undefined),
      autoPublishAlias: typeof alias === 'string' ? alias : undefined,
      eventInvokeConfig:
        retries !== undefined || maxAge !== undefined
          ? { maximumRetryAttempts: retries, maximumEventAgeSeconds: maxAge }
          : undefined,
    });
    problems.push(...functionConfigProblems(config).map((p) => p.message));
    functions.push(problems.length > 0 ? { config, invalid: `${where(id)}: ${problems.join(' ')}` } : { config });
  }
  return { functions, warnings };
}

/** A function's published versions and aliases: SAM's AutoPublishAlias (version 1 and the
 * alias), AWS::Lambda::Version resources naming the function (numbered 1, 2, … in template
 * order, after AutoPublishAlias's), and AWS::Lambda::Alias resources naming the function and
 * a version (`!GetAtt Version.Version`, a number, or $LATEST). */
function publishedOf(
  id: string,
  resources: Obj,
  autoAlias: string | undefined,
): { aliases?: Record<string, string>; versions?: string[] } {
  const namesFunction = (value: unknown) =>
    isObj(value) && (value.Ref === id || (Array.isArray(value['Fn::GetAtt']) && value['Fn::GetAtt'][0] === id));
  const aliases: Record<string, string> = autoAlias ? { [autoAlias]: '1' } : {};
  const versions: string[] = autoAlias ? ['1'] : [];
  const versionOfResource = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObj(resource) || resource.Type !== 'AWS::Lambda::Version' || !isObj(resource.Properties)) continue;
    if (!namesFunction(resource.Properties.FunctionName)) continue;
    const number = String(versions.length + 1);
    versions.push(number);
    versionOfResource.set(logicalId, number);
  }
  for (const resource of Object.values(resources)) {
    if (!isObj(resource) || resource.Type !== 'AWS::Lambda::Alias' || !isObj(resource.Properties)) continue;
    const p = resource.Properties;
    if (!namesFunction(p.FunctionName) || typeof p.Name !== 'string') continue;
    const target = p.FunctionVersion;
    const viaGetAtt =
      isObj(target) && Array.isArray(target['Fn::GetAtt'])
        ? versionOfResource.get(String(target['Fn::GetAtt'][0]))
        : undefined;
    const version =
      viaGetAtt ?? (typeof target === 'string' || typeof target === 'number' ? String(target) : undefined);
    if (version === undefined) continue;
    aliases[p.Name] = version;
    if (version !== '$LATEST' && !versions.includes(version)) versions.push(version);
  }
  return { aliases, versions };
}

export function readSamTemplate(file: string, options: TemplateReadOptions = {}): TemplateReadResult {
  return parseSamTemplate(fs.readFileSync(file, 'utf8'), file, options);
}
