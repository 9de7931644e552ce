// `lambda-lifecycle serve`: every function of a template (or those named with --function)
// behind the Lambda Invoke API (--lambda-port) and its API Gateway routes and function URLs
// (--port), on loopback unless --host says otherwise. Prints what is served where, then
// "Ready.", logs to stderr as `invoke` prints them, and serves until Ctrl-C; every process
// and temp folder is gone afterwards.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine';
import { resolveAwsAccess } from '../provision/awsAccess';
import { parameterOverrides } from './parameterOverrides';
import { ConfigError } from '../config/functionConfig';
import { readEnvFile } from '../config/envFile';
import { readHttpTriggers } from '../config/httpEvents';
import { findFunction, readFunctions } from '../config/index';
import { LAMBDA_RETRY_DELAYS_MS } from '../fronts/asyncInvocations';
import { RunningFronts } from '../fronts/fronts';
import { servedIdOf, type ServedFunction } from '../fronts/servedFunctions';

export const SERVE_USAGE = `Usage: lambda-lifecycle serve [options]

Serves a template's functions, warm, as AWS calls them: API Gateway routes and function URLs
on --port, the Lambda Invoke API (AWS SDK, AWS CLI) on --lambda-port.

  --template FILE      SAM template or serverless.yml (default: template.yaml|yml|json or serverless.yml here)
  --function NAME      serve only this function (repeatable)
  --port N             API Gateway routes and function URLs (default 3000; 0 picks a free port)
  --lambda-port N      the Lambda Invoke API (default 3001; 0 picks a free port)
  --host ADDRESS       the address to listen on (default 127.0.0.1)
  --env-file FILE      JSON object of variables, or SAM's {"FunctionName": {...}} form
  --profile NAME       AWS credentials from this profile (default: the AWS SDK's default chain)
  --no-credentials     no AWS credentials for the functions
  --region REGION      AWS_REGION and ARNs (default: AWS_REGION, else us-east-1)
  --parameter-overrides KEY=VALUE ...  template parameters
  --reserved N         reserved concurrency of every function without ReservedConcurrentExecutions
  --event-retry-delays S,S  seconds before the 2nd and 3rd try of a failed Event invocation
                       (default 60,120: Lambda's one and two minutes)
  --inherit-env NAME   pass a host variable into the sandbox (repeatable)
  --aws-credentials    pass the host's AWS credentials variables
  --allow-writes       do not make writes outside /tmp fail with EROFS
  --node PATH          the Node.js executable for Node runtimes
  --cpu full           the machine's full speed (default: share, memory / 1,769 MB of a vCPU as on Lambda)
  --sandbox portable   never the kernel's sandbox (default: auto, where the machine allows it)
`;

class ServeUsageError extends ConfigError {}

export interface ServeOptions {
  template: string;
  functions: string[];
  port: number;
  lambdaPort: number;
  host: string;
  envFile: string | undefined;
  profile: string | undefined;
  region: string | undefined;
  parameterOverrides: Record<string, string>;
  /** Credentials from the user's AWS configuration (false: none, or the host's variables with --aws-credentials). */
  credentials: boolean;
  reserved: number | undefined;
  /** Waits before the retries of a failed Event invocation (default: Lambda's). */
  eventRetryDelaysMs: number[];
  inheritVariables: string[];
  inheritCredentials: boolean;
  readOnly: boolean;
  nodeExecutable: string | undefined;
  cpu: 'share' | 'full';
  sandbox: 'auto' | 'portable';
}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ServeUsageError(`--${name} must be a port number from 0 to 65535 (got '${value}').`);
  return n;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new ServeUsageError(`--${name} is ${allowed.join(' or ')} (got '${value}').`);
  return value as T;
}

function defaultTemplate(cwd: string): string {
  for (const name of ['template.yaml', 'template.yml', 'template.json', 'serverless.yml', 'serverless.yaml'])
    if (fs.existsSync(path.join(cwd, name))) return name;
  throw new ServeUsageError('No template.yaml or serverless.yml here; use --template FILE.');
}

export function parseServeCommandLine(argv: string[], cwd = process.cwd()): ServeOptions | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      template: { type: 'string' },
      function: { type: 'string', multiple: true },
      port: { type: 'string' },
      'lambda-port': { type: 'string' },
      host: { type: 'string' },
      'env-file': { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
      'parameter-overrides': { type: 'string', multiple: true },
      reserved: { type: 'string' },
      'event-retry-delays': { type: 'string' },
      'inherit-env': { type: 'string', multiple: true },
      'aws-credentials': { type: 'boolean' },
      'no-credentials': { type: 'boolean' },
      'allow-writes': { type: 'boolean' },
      node: { type: 'string' },
      cpu: { type: 'string' },
      sandbox: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  if (positionals.length > 0) throw new ServeUsageError(`Unexpected argument '${positionals[0]}'.`);
  const reserved = values.reserved === undefined ? undefined : Number(values.reserved);
  if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 0))
    throw new ServeUsageError(`--reserved must be a whole number (got '${values.reserved}').`);
  const delays = values['event-retry-delays'];
  const eventRetryDelaysMs =
    delays === undefined ? [...LAMBDA_RETRY_DELAYS_MS] : delays.split(',').map((d) => Number(d) * 1000);
  if (eventRetryDelaysMs.length === 0 || eventRetryDelaysMs.some((d) => !Number.isFinite(d) || d < 0))
    throw new ServeUsageError(`--event-retry-delays is seconds separated by commas, e.g. 1,2 (got '${delays}').`);
  return {
    template: path.resolve(cwd, values.template ?? defaultTemplate(cwd)),
    functions: values.function ?? [],
    port: port('port', values.port, 3000),
    lambdaPort: port('lambda-port', values['lambda-port'], 3001),
    host: values.host ?? '127.0.0.1',
    envFile: values['env-file'] === undefined ? undefined : path.resolve(cwd, values['env-file']),
    profile: values.profile,
    region: values.region,
    parameterOverrides: parameterOverrides(values['parameter-overrides'] ?? []),
    credentials: values['no-credentials'] ? false : !values['aws-credentials'],
    reserved,
    eventRetryDelaysMs,
    inheritVariables: values['inherit-env'] ?? [],
    inheritCredentials: values['aws-credentials'] ?? false,
    readOnly: !values['allow-writes'],
    nodeExecutable: values.node,
    cpu: oneOf('cpu', values.cpu ?? 'share', ['share', 'full'] as const),
    sandbox: oneOf('sandbox', values.sandbox ?? 'auto', ['auto', 'portable'] as const),
  };
}

/** The functions to serve, with the env file applied to each. */
export function servedFunctionsOf(options: ServeOptions): ServedFunction[] {
  if (!fs.existsSync(options.template)) throw new ConfigError(`Template ${options.template} does not exist.`);
  const read = readFunctions(options.template, { parameterOverrides: options.parameterOverrides });
  for (const warning of read.warnings) process.stderr.write(`lambda-lifecycle: ${warning}\n`);
  const chosen =
    options.functions.length > 0 ? options.functions.map((name) => findFunction(read, name)) : read.functions;
  if (chosen.length === 0) throw new ConfigError(`No functions found in ${options.template}.`);
  return chosen.map(({ config }) => {
    const id = servedIdOf(config);
    const environment = { ...config.environment };
    if (options.envFile) Object.assign(environment, readEnvFile(options.envFile, config.name, id));
    return { id, config: { ...config, environment } };
  });
}

export async function runServe(options: ServeOptions): Promise<void> {
  const functions = servedFunctionsOf(options);
  const triggers = readHttpTriggers(options.template);
  for (const warning of triggers.warnings) process.stderr.write(`lambda-lifecycle: ${warning}\n`);
  // AWS_REGION, credentials and endpoints as `invoke` resolves them (main.ts).
  const aws = await resolveAwsAccess(
    options.credentials ? { kind: 'aws', profile: options.profile } : { kind: 'none' },
    {
      region: options.region,
      onMessage: (text) => process.stderr.write(`lambda-lifecycle: ${text}\n`),
    },
  );
  const engine = new Engine({
    region: aws.region,
    credentials: aws.credentials,
    awsVariables: aws.endpointVariables,
    reservedConcurrency: options.reserved,
    inheritVariables: options.inheritVariables,
    inheritCredentials: options.inheritCredentials,
    readOnlyFilesystem: options.readOnly,
    nodeExecutable: options.nodeExecutable,
    cpu: options.cpu,
    sandbox: options.sandbox,
    prestart: true,
  });
  engine.on((event) => {
    if (event.type === 'log') process.stderr.write(event.line + '\n');
    if (event.type === 'provisioning' && event.message) process.stderr.write(`lambda-lifecycle: ${event.message}\n`);
  });
  let fronts: RunningFronts;
  try {
    fronts = await RunningFronts.start({
      engine,
      functions,
      triggers,
      port: options.port,
      lambdaPort: options.lambdaPort,
      host: options.host,
      notice: (line) => process.stderr.write(line + '\n'),
      asyncRetryDelaysMs: options.eventRetryDelaysMs,
    });
  } catch (error) {
    await engine.close();
    throw error;
  }
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void fronts
      .close()
      .then(() => engine.close())
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  process.stdout.write(fronts.describe().join('\n') + '\nReady.\n');
}
