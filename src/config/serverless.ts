// Reads functions from a Serverless Framework serverless.yml: provider defaults and the
// functions map, with the simple variables (${self:…}, ${opt:…, default}, ${env:…, default},
// ${sls:stage}) resolved from the file itself, never from the host.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, parseRuntimeId, validateFunctionConfig, withDefaults } from './functionConfig';
import { parseYamlOrJson, type TemplateReadResult } from './sam';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseServerlessConfig(text: string, file: string): TemplateReadResult {
  const doc = parseYamlOrJson(text, file);
  const warnings: string[] = [];
  const provider = isObj(doc.provider) ? doc.provider : {};
  const stage = typeof provider.stage === 'string' && !provider.stage.includes('${') ? provider.stage : 'dev';
  const lookup = (reference: string): unknown => {
    let value: unknown = doc;
    for (const key of reference.split('.')) value = isObj(value) ? value[key] : undefined;
    return value;
  };
  const resolve = (value: unknown, where: string): unknown => {
    if (typeof value !== 'string') return value;
    return value.replace(/\$\{([^}]+)\}/g, (whole, inner: string) => {
      const [source, fallback] = inner.split(/,\s*/);
      const def = fallback?.replace(/^['"]|['"]$/g, '');
      if (source === 'sls:stage' || source === 'opt:stage') return stage;
      if (source.startsWith('self:')) {
        const found = lookup(source.slice(5));
        if (found !== undefined && typeof found !== 'object') return String(found);
      }
      if (def !== undefined) return def;
      warnings.push(`${path.basename(file)}, ${where}: ${whole} cannot be resolved locally.`);
      return whole;
    });
  };
  const service = String(resolve(isObj(doc.service) ? doc.service.name : doc.service, 'service') ?? 'service');
  const functions = isObj(doc.functions) ? doc.functions : {};
  const result: TemplateReadResult = { functions: [], warnings };
  for (const [key, raw] of Object.entries(functions)) {
    if (!isObj(raw)) continue;
    const where = `function ${key}`;
    const environment: Record<string, string> = {};
    for (const source of [provider.environment, raw.environment]) {
      if (isObj(source))
        for (const [k, v] of Object.entries(source)) environment[k] = String(resolve(v, `${where} variable ${k}`));
    }
    const pick = (name: string, providerName = name) => resolve(raw[name] ?? provider[providerName], where);
    const runtime = pick('runtime');
    let parsedRuntime;
    try {
      parsedRuntime = runtime === undefined ? undefined : parseRuntimeId(String(runtime));
    } catch (error) {
      throw new ConfigError(`${path.basename(file)}, ${where}: ${(error as Error).message}`);
    }
    const num = (v: unknown) => (v === undefined ? undefined : Number(v));
    const config = withDefaults({
      name: `${service}-${stage}-${key}`,
      root: path.dirname(path.resolve(file)),
      handler: String(resolve(raw.handler ?? '', where)),
      runtime: parsedRuntime,
      memorySizeMB: num(pick('memorySize')),
      timeoutSeconds: num(pick('timeout')),
      ephemeralStorageMB: num(pick('ephemeralStorageSize')),
      reservedConcurrency: num(resolve(raw.reservedConcurrency, where)),
      environment,
      source: { kind: 'serverless', file: path.resolve(file), key },
    });
    try {
      validateFunctionConfig(config);
    } catch (error) {
      throw new ConfigError(`${path.basename(file)}, ${where}: ${(error as Error).message}`);
    }
    result.functions.push({ config });
  }
  return result;
}

export function readServerlessConfig(file: string): TemplateReadResult {
  return parseServerlessConfig(fs.readFileSync(file, 'utf8'), file);
}
