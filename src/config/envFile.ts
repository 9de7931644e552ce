// Reads the CLI's --env-file: a JSON object of variables, or SAM's env-vars form
// {"Parameters": {...}, "<FunctionLogicalId>": {...}} (the function's own entry wins).

import * as fs from 'node:fs';
import { ConfigError } from './functionConfig';

export function readEnvFile(file: string, functionName: string, logicalId?: string): Record<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Cannot read the env file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const before = text.slice(0, position ? Number(position[1]) : text.length);
    const line = before.split('\n').length;
    throw new ConfigError(
      `The env file ${file} is not valid JSON (line ${line}, column ${before.length - before.lastIndexOf('\n')}): ${(error as Error).message}`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`The env file ${file} must hold a JSON object.`);
  }
  const entries = data as Record<string, unknown>;
  const isSamForm = Object.values(entries).some((v) => typeof v === 'object' && v !== null);
  const flat = (source: unknown): Record<string, string> =>
    Object.fromEntries(Object.entries((source ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  if (!isSamForm) return flat(entries);
  return { ...flat(entries.Parameters), ...flat(entries[logicalId ?? ''] ?? entries[functionName]) };
}
