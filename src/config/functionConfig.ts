// The function configuration every layer speaks: what Lambda knows about a function
// (handler, runtime, memory, timeout, /tmp size, variables, layers), its defaults, and
// Lambda's own validation of it. Readers of SAM templates, serverless.yml and launch
// arguments all produce a FunctionConfig; the engine only ever consumes one. No Node APIs:
// the webviews import the rules they show (limits, defaults, vCPU share) from here.

import type { CpuMachine, CpuShareInfo } from '../protocol/engineEvents';

export const NODE_RUNTIMES = ['nodejs18.x', 'nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const;
export const CUSTOM_RUNTIMES = ['provided.al2', 'provided.al2023'] as const;
export const RUNTIMES = [...NODE_RUNTIMES, ...CUSTOM_RUNTIMES] as const;
export type RuntimeId = (typeof RUNTIMES)[number];
export type NodeRuntimeId = (typeof NODE_RUNTIMES)[number];

export const DEFAULT_RUNTIME: RuntimeId = 'nodejs22.x';

export const LIMITS = {
  memoryMB: { min: 128, max: 10240, default: 128 },
  timeoutSeconds: { min: 1, max: 900, default: 3 },
  ephemeralStorageMB: { min: 512, max: 10240, default: 512 },
  /** Total size of all keys and values of the configured environment variables. */
  environmentBytes: 4096,
  /** Synchronous request and response payloads. */
  syncPayloadBytes: 6 * 1024 * 1024,
  initSeconds: 10,
} as const;

/** Variables the runtime sets; a configuration may not set them (Lambda rejects it). */
export const RESERVED_VARIABLES = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
] as const;

export interface FunctionConfig {
  /** Function name: AWS_LAMBDA_FUNCTION_NAME, the log group, the ARN. */
  name: string;
  /** Absolute path of the code root (LAMBDA_TASK_ROOT, the working directory). */
  root: string;
  /** `[dir/]module.export[.nested]`; for custom runtimes it is only passed on as _HANDLER. */
  handler: string;
  runtime: RuntimeId;
  memorySizeMB: number;
  timeoutSeconds: number;
  ephemeralStorageMB: number;
  /** The configured variables (never the reserved ones). */
  environment: Record<string, string>;
  /** Absolute folders whose contents Lambda would extract to /opt, in order (later ones win). */
  layers: string[];
  /** Where this configuration came from, for messages and the UI. */
  source: ConfigSource;
  /** Lambda's LoggingConfig; absent means the Text format. */
  logging?: LoggingConfig;
  /** The instruction set the function is configured for (`Architectures`); x86_64 when absent. */
  architecture?: Architecture;
  /** A published version's number ('1', …); absent for $LATEST. Its environments are its own. */
  version?: string;
  /** Aliases by name, each naming a published version (SAM's AutoPublishAlias publishes '1'). */
  aliases?: Record<string, string>;
  /** Published version numbers besides those aliases name (AWS::Lambda::Version resources). */
  versions?: string[];
  /** SAM's AutoPublishAlias: the alias the function's event sources and URL call. */
  autoPublishAlias?: string;
  /** ReservedConcurrentExecutions: at most this many environments of the function (every
   * version together); invocations past it are throttled. 0 throttles every invocation. */
  reservedConcurrency?: number;
  /** EventInvokeConfig: how an asynchronous (Event) invocation is retried and how old it may get. */
  eventInvokeConfig?: EventInvokeConfig;
}

export interface EventInvokeConfig {
  /** 0–2; Lambda's default is 2. */
  maximumRetryAttempts?: number;
  /** 60–21,600; Lambda's default is 21,600 (6 hours). */
  maximumEventAgeSeconds?: number;
}

/** The version an invocation of `config` runs: its published number, else $LATEST. */
export function versionOf(config: FunctionConfig): string {
  return config.version ?? '$LATEST';
}

export type Architecture = 'x86_64' | 'arm64';
export const LOG_FORMATS = ['Text', 'JSON'] as const;
export const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;
export type ApplicationLogLevel = (typeof APPLICATION_LOG_LEVELS)[number];
export type SystemLogLevel = (typeof SYSTEM_LOG_LEVELS)[number];

/** Lambda's LoggingConfig. The levels only apply to the JSON format; both default to INFO. */
export interface LoggingConfig {
  format: (typeof LOG_FORMATS)[number];
  applicationLogLevel?: ApplicationLogLevel;
  systemLogLevel?: SystemLogLevel;
}

/** A LoggingConfig from loosely typed input (template, launch configuration, CLI); throws a
 * ConfigError naming the field and the accepted values. */
export function parseLoggingConfig(input: {
  format?: unknown;
  applicationLogLevel?: unknown;
  systemLogLevel?: unknown;
}): LoggingConfig | undefined {
  const pick = <T extends string>(label: string, value: unknown, allowed: readonly T[]): T | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    const found = allowed.find((a) => a.toLowerCase() === String(value).toLowerCase());
    if (!found) throw new ConfigError(`${label} '${String(value)}' is not one of: ${allowed.join(', ')}.`);
    return found;
  };
  const format = pick('LogFormat', input.format, LOG_FORMATS);
  const applicationLogLevel = pick('ApplicationLogLevel', input.applicationLogLevel, APPLICATION_LOG_LEVELS);
  const systemLogLevel = pick('SystemLogLevel', input.systemLogLevel, SYSTEM_LOG_LEVELS);
  if (!format && !applicationLogLevel && !systemLogLevel) return undefined;
  if (format !== 'JSON' && (applicationLogLevel || systemLogLevel))
    throw new ConfigError('ApplicationLogLevel and SystemLogLevel need LogFormat JSON (as on Lambda).');
  return { format: format ?? 'Text', applicationLogLevel, systemLogLevel };
}

export type ConfigSource =
  | { kind: 'direct' }
  | { kind: 'sam'; file: string; logicalId: string }
  | { kind: 'serverless'; file: string; key: string };

/** A configuration that Lambda would refuse, with the reason it gives and what to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function isRuntimeId(value: string): value is RuntimeId {
  return (RUNTIMES as readonly string[]).includes(value);
}

export function isNodeRuntime(runtime: RuntimeId): runtime is NodeRuntimeId {
  return (NODE_RUNTIMES as readonly string[]).includes(runtime);
}

/** The major Node.js version a runtime id stands for, e.g. 22 for nodejs22.x. */
export function nodeMajorOf(runtime: NodeRuntimeId): number {
  return Number(/^nodejs(\d+)\.x$/.exec(runtime)![1]);
}

/** Callback-style handlers `(event, context, callback)` were dropped in nodejs24.x. */
export function supportsCallbackHandlers(runtime: NodeRuntimeId): boolean {
  return nodeMajorOf(runtime) < 24;
}

export function parseRuntimeId(value: string): RuntimeId {
  if (!isRuntimeId(value)) {
    throw new ConfigError(`Unknown runtime '${value}'. Use one of: ${RUNTIMES.join(', ')}.`);
  }
  return value;
}

const utf8 = new TextEncoder();

/** Size in bytes (UTF-8) of the variables as Lambda counts them toward the 4 KB limit. */
export function environmentSize(environment: Record<string, string>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(environment)) {
    bytes += utf8.encode(key).length + utf8.encode(String(value)).length;
  }
  return bytes;
}

/** The vCPU share Lambda gives a memory size (1,769 MB is one vCPU; up to 6 at 10,240 MB). */
export function vcpuShare(memoryMB: number): number {
  return Math.min(6, Math.round((memoryMB / 1769) * 100) / 100);
}

/** The vCPUs an environment of `memoryMB` gets on `machine` (Lambda's share, capped by the
 * cores) and what holds it to that. */
export function cpuShareHeld(memoryMB: number, machine: CpuMachine): CpuShareInfo {
  const vcpus = Math.min(memoryMB / 1769, 6, machine.cores);
  let enforcedBy: CpuShareInfo['enforcedBy'] = 'none';
  if (machine.mode === 'share' && machine.mechanism === 'cgroup') enforcedBy = 'cgroup';
  else if (machine.mode === 'share' && machine.mechanism === 'dutyCycle' && vcpus < 1) enforcedBy = 'dutyCycle';
  return { vcpus, enforcedBy };
}

/** What Lambda's checks look at: a configuration, or settings being edited. */
export interface CheckedSettings {
  memorySizeMB: number;
  timeoutSeconds: number;
  ephemeralStorageMB: number;
  runtime: string;
  environment: Record<string, string>;
  /** Checked for Node runtimes when given. */
  handler?: string;
}

/** One thing Lambda would refuse. `field` is the launch / settings name ('environment.NAME' for one variable). */
export interface ConfigProblem {
  field: string;
  message: string;
}

/** Lambda's checks on a configuration, one problem per field (empty when Lambda would accept it).
 * The one rule set behind validateFunctionConfig and the Configuration view's settingsProblems. */
export function functionConfigProblems(settings: CheckedSettings): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const range = (field: string, label: string, value: number, limits: { min: number; max: number }, unit: string) => {
    if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
      problems.push({
        field,
        message: `${label} must be a whole number from ${limits.min} to ${limits.max} ${unit} (got ${value}).`,
      });
    }
  };
  range('memorySize', 'Memory size', settings.memorySizeMB, LIMITS.memoryMB, 'MB');
  range('timeout', 'Timeout', settings.timeoutSeconds, LIMITS.timeoutSeconds, 'seconds');
  range('ephemeralStorage', 'Ephemeral storage', settings.ephemeralStorageMB, LIMITS.ephemeralStorageMB, 'MB');
  if (!isRuntimeId(settings.runtime)) {
    problems.push({
      field: 'runtime',
      message: `Unknown runtime '${settings.runtime}'. Use one of: ${RUNTIMES.join(', ')}.`,
    });
  }
  for (const name of Object.keys(settings.environment)) {
    if ((RESERVED_VARIABLES as readonly string[]).includes(name)) {
      problems.push({
        field: `environment.${name}`,
        message: `${name} is reserved: Lambda sets it itself and refuses a configuration that sets it; remove it.`,
      });
    } else if (!/^[a-zA-Z]([a-zA-Z0-9_])*$/.test(name)) {
      problems.push({
        field: `environment.${name}`,
        message: `${name}: an environment variable name starts with a letter and has only letters, digits and underscores.`,
      });
    }
  }
  const size = environmentSize(settings.environment);
  if (size > LIMITS.environmentBytes) {
    problems.push({
      field: 'environment',
      message: `Environment variables take ${size} bytes; Lambda allows 4 KB (${LIMITS.environmentBytes} bytes) for all keys and values together.`,
    });
  }
  const handler = settings.handler;
  if (handler !== undefined && isRuntimeId(settings.runtime) && isNodeRuntime(settings.runtime)) {
    if (handler.includes('..')) {
      problems.push({
        field: 'handler',
        message: `'${handler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
      });
    } else if (!/^([^.]*)\.(.+)$/.test(handler.slice(handler.lastIndexOf('/') + 1))) {
      problems.push({
        field: 'handler',
        message: `Handler '${handler}' must look like 'file.export' (for example 'index.handler' or 'src/app.handler').`,
      });
    }
  }
  return problems;
}

/** Lambda's checks on a configuration; throws a ConfigError naming every problem found. */
export function validateFunctionConfig(config: FunctionConfig): void {
  const problems = functionConfigProblems(config);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => p.message).join('\n'));
  }
}

/** A configuration with Lambda's defaults for what was not given. */
export function withDefaults(
  partial: Partial<FunctionConfig> & Pick<FunctionConfig, 'root' | 'handler'>,
): FunctionConfig {
  return {
    name: partial.name ?? defaultFunctionName(partial.handler),
    root: partial.root,
    handler: partial.handler,
    runtime: partial.runtime ?? DEFAULT_RUNTIME,
    memorySizeMB: partial.memorySizeMB ?? LIMITS.memoryMB.default,
    timeoutSeconds: partial.timeoutSeconds ?? LIMITS.timeoutSeconds.default,
    ephemeralStorageMB: partial.ephemeralStorageMB ?? LIMITS.ephemeralStorageMB.default,
    environment: partial.environment ?? {},
    layers: partial.layers ?? [],
    source: partial.source ?? { kind: 'direct' },
    ...(partial.logging ? { logging: partial.logging } : {}),
    ...(partial.architecture ? { architecture: partial.architecture } : {}),
    ...(partial.version ? { version: partial.version } : {}),
    ...(partial.aliases && Object.keys(partial.aliases).length > 0 ? { aliases: partial.aliases } : {}),
    ...(partial.versions && partial.versions.length > 0 ? { versions: partial.versions } : {}),
    ...(partial.autoPublishAlias ? { autoPublishAlias: partial.autoPublishAlias } : {}),
    ...(partial.reservedConcurrency !== undefined ? { reservedConcurrency: partial.reservedConcurrency } : {}),
    ...(partial.eventInvokeConfig ? { eventInvokeConfig: partial.eventInvokeConfig } : {}),
  };
}

/** A function name derived from a handler string: `src/app.handler` → `app`. */
export function defaultFunctionName(handler: string): string {
  const base = handler.slice(handler.lastIndexOf('/') + 1);
  const name = base.split('.')[0] || 'function';
  return name.replace(/[^a-zA-Z0-9-_]/g, '-');
}
