// The diagnostics, their stable codes and messages, for handler files and templates;
// each says why it matters on Lambda and what to do. Pure functions of the workspace
// model and the file's text, so the server and the tests share them.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { LIMITS, RESERVED_VARIABLES, environmentSize } from '../../src/config/functionConfig';
import { analyseFile, type FileAnalysis, type Span } from './handlerAnalysis';
import type { TemplateModel, TemplateFunction } from './templateModel';
import { resolveHandler, type HandlerUse, type WorkspaceModel } from './workspace';

export const CODES = [
  'handler-not-found',
  'callback-handler-node24',
  'client-in-handler',
  'pending-work-at-return',
  'write-outside-tmp',
  'env-undefined',
  'env-budget',
  'memory-range',
  'timeout-range',
  'ephemeral-storage-range',
  'template-syntax',
] as const;
export type Code = (typeof CODES)[number];

export interface Problem {
  code: Code;
  span: Span;
  message: string;
  severity: 'error' | 'warning';
  /** Data for a quick fix. */
  fix?:
    | { kind: 'move-to-module-scope'; statement: Span; before: Span }
    | {
        kind: 'add-variable';
        name: string;
        template: string;
        functionId: string;
        path: Array<string | number>;
        ownerLength: number;
      };
}

/** Variables Lambda or Node set by themselves: reading them needs no configuration. */
const PROVIDED_VARIABLES = new Set<string>([
  ...RESERVED_VARIABLES,
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_LAMBDA_LOG_FORMAT',
  'AWS_LAMBDA_LOG_LEVEL',
  'AWS_XRAY_CONTEXT_MISSING',
  'AWS_XRAY_DAEMON_ADDRESS',
  '_AWS_XRAY_DAEMON_ADDRESS',
  '_AWS_XRAY_DAEMON_PORT',
  'TZ',
  'LANG',
  'PATH',
  'LD_LIBRARY_PATH',
  'NODE_PATH',
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
  'AWS_NODEJS_CONNECTION_REUSE_ENABLED',
]);

const nodeMajor = (runtime: string | null) => Number(/^nodejs(\d+)/.exec(runtime ?? '')?.[1] ?? 0);

/** Diagnostics of a JS/TS file: the functions that run it decide which exports are handlers. */
export function checkHandlerFile(
  file: string,
  text: string,
  workspace: WorkspaceModel,
): { problems: Problem[]; analysis: FileAnalysis } {
  const uses = workspace.usesOf(file);
  const handlerNames = uses.length > 0 ? new Set(uses.map((u) => u.exportName.split('.')[0])) : new Set(['handler']);
  const analysis = analyseFile(file, text, handlerNames);
  const isHandlerFile = uses.length > 0 || analysis.exports.some((e) => e.name === 'handler');
  const problems: Problem[] = [];
  if (!isHandlerFile) return { problems, analysis };

  for (const finding of analysis.findings) {
    problems.push({
      code: finding.code,
      span: finding.span,
      message: finding.message,
      severity: finding.code === 'write-outside-tmp' ? 'error' : 'warning',
      fix: finding.move ? { kind: 'move-to-module-scope', ...finding.move } : undefined,
    });
  }
  for (const use of uses) {
    const exported = analysis.exports.find((e) => e.name === use.exportName.split('.')[0]);
    // As the 4.x runtime client: any non-streaming handler declaring 3+ parameters, async or not.
    if (exported && nodeMajor(use.fn.runtime) >= 24 && !exported.streaming && exported.parameterCount >= 3) {
      problems.push({
        code: 'callback-handler-node24',
        span: exported.nameSpan,
        severity: 'error',
        message: `${use.fn.id} runs on ${use.fn.runtime}, which no longer supports callback handlers (event, context, callback): Init fails with Runtime.CallbackHandlerDeprecated. Make it \`async (event, context)\` and return the result.`,
      });
    }
  }
  if (uses.length > 0) {
    for (const read of analysis.envReads) {
      if (read.guarded || PROVIDED_VARIABLES.has(read.name)) continue;
      const missing = uses.filter((u) => !u.fn.variables.has(read.name));
      if (missing.length === 0) continue;
      const first = missing[0];
      problems.push({
        code: 'env-undefined',
        span: read.span,
        severity: 'warning',
        message: `process.env.${read.name} is not configured for ${missing.map((u) => u.fn.id).join(', ')}: on Lambda it reads undefined. Add it to the function's Environment.Variables.`,
        fix: first.fn.variablesPath
          ? {
              kind: 'add-variable',
              name: read.name,
              template: first.template.file,
              functionId: first.fn.id,
              path: first.fn.variablesPath,
              ownerLength: first.fn.variablesOwnerLength,
            }
          : undefined,
      });
    }
  }
  return { problems, analysis };
}

function rangeProblem(
  fn: TemplateFunction,
  value: { value: unknown; range: Span } | null,
  code: Code,
  label: string,
  limits: { min: number; max: number },
  unit: string,
): Problem | null {
  if (!value || typeof value.value === 'object') return null; // an intrinsic (!Ref) is resolved at deploy time
  const n = Number(value.value);
  if (Number.isInteger(n) && n >= limits.min && n <= limits.max) return null;
  return {
    code,
    span: value.range,
    severity: 'error',
    message: `${label} of ${fn.id} is ${String(value.value)}; Lambda accepts whole numbers from ${limits.min} to ${limits.max} ${unit} and rejects the deployment otherwise.`,
  };
}

/** Diagnostics of a template. */
export function checkTemplate(model: TemplateModel): Problem[] {
  const problems: Problem[] = model.errors.map((e) => ({
    code: 'template-syntax' as const,
    span: e.range,
    message: e.message,
    severity: 'error' as const,
  }));
  for (const fn of model.functions) {
    if (fn.handler && (!fn.runtime || fn.runtime.startsWith('nodejs'))) {
      const resolved = resolveHandler(fn);
      if (resolved.problem) {
        problems.push({
          code: 'handler-not-found',
          span: fn.handler.range,
          severity: 'error',
          message: `${resolved.problem} On Lambda, Init fails with Runtime.ImportModuleError.`,
        });
      } else if (resolved.file && !exportExists(resolved.file, resolved.exportName)) {
        problems.push({
          code: 'handler-not-found',
          span: fn.handler.range,
          severity: 'error',
          message: `${path.basename(resolved.file)} has no export "${resolved.exportName}": on Lambda, Init fails with Runtime.HandlerNotFound. Export it, or fix Handler.`,
        });
      }
    }
    for (const p of [
      rangeProblem(fn, fn.memorySize, 'memory-range', 'MemorySize', LIMITS.memoryMB, 'MB'),
      rangeProblem(fn, fn.timeout, 'timeout-range', 'Timeout', LIMITS.timeoutSeconds, 'seconds'),
      rangeProblem(
        fn,
        fn.ephemeralStorage,
        'ephemeral-storage-range',
        'EphemeralStorage.Size',
        LIMITS.ephemeralStorageMB,
        'MB',
      ),
    ]) {
      if (p) problems.push(p);
    }
    const variables = Object.fromEntries([...fn.variables].map(([k, v]) => [k, v.value]));
    const size = environmentSize(variables);
    if (size > LIMITS.environmentBytes) {
      problems.push({
        code: 'env-budget',
        span: fn.idRange,
        severity: 'error',
        message: `The environment variables of ${fn.id} take ${size} bytes; Lambda allows 4 KB (${LIMITS.environmentBytes} bytes) for all keys and values together and rejects the configuration.`,
      });
    }
  }
  return problems;
}

function exportExists(file: string, exportPath: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return true; // a package folder or unreadable: the runtime decides
  }
  const first = exportPath.split('.')[0];
  const analysis = analyseFile(file, text, new Set());
  // Nested paths (a.b) are checked at their first step; exports the syntax cannot list are given the benefit of the doubt.
  return analysis.opaqueExports || analysis.exports.some((e) => e.name === first);
}

export type { HandlerUse };
