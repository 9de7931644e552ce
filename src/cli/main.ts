// The command line: `lambda-lifecycle invoke` runs a function in the same engine the
// debugger uses, for scripts and CI. Logs stream to stderr in Lambda's format; results go
// to stdout (one JSON object per invocation with --json). Exit status: 0 when every
// invocation succeeded, 1 when one failed, 2 for a usage or configuration error.
// Every process and temp folder it started is gone when it exits, also on Ctrl-C.

import { parseArgs } from 'node:util';
import { FUNCTION_OPTIONS } from './functionOptions';
import { parameterOverrides } from './parameterOverrides';
import { Engine } from '../engine/engine';
import { InvokeRejectedError, type PoolInvocationResult } from '../engine/pool';
import { ConfigError, FunctionConfig } from '../config/functionConfig';
import { CLI_NAMES, readEventFile, resolveFunction } from '../config/resolve';
import type { CredentialsChoice } from '../provision/credentials';
import { resolveAwsAccess } from '../provision/awsAccess';
import { runSubcommand } from './subcommands';
import type { SandboxKind } from '../protocol/engineEvents';
import { runTune, TUNE_USAGE } from './tune';

const USAGE = `Usage: lambda-lifecycle invoke [HANDLER] [options]

Runs a Lambda function locally in execution environments that behave like Lambda's.

  HANDLER              e.g. src/app.handler, relative to --root (omit with --template/--function)
  --root DIR           code root (LAMBDA_TASK_ROOT); default: the current directory
  --template FILE      SAM template or serverless.yml; --function NAME picks the function
  --event FILE|-       event JSON from a file or stdin; default {}
  --runtime ID         nodejs18.x | nodejs20.x | nodejs22.x | nodejs24.x | provided.al2 | provided.al2023
  --memory MB          default 128          --timeout SECONDS   default 3
  --tmp-size MB        default 512          --env KEY=VALUE     repeatable
  --env-file FILE      JSON object of variables, or SAM's {"FunctionName": {...}} form
  --times N            N invocations one after another (warm reuse)
  --idle-ms MS         pause between sequential invocations (the environment is frozen meanwhile)
  --concurrency C      run C invocations at once
  --cold               every invocation in a new environment
  --json               one JSON object per invocation on stdout (logs go to stderr)
  --init-profile       time every module the function's Init loads (--json: "initProfile")

More:
  --provisioned N      initialise N environments before invoking (provisioned concurrency)
  --reserved N         at most N environments at once; more are throttled (reserved concurrency)
  --inherit-env NAME   pass a host variable into the sandbox (repeatable), e.g. AWS_PROFILE
  --aws-credentials    pass the host's AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN
  --profile NAME       AWS credentials from this profile (default: the AWS SDK's default chain)
  --region REGION      AWS_REGION (default: the host's AWS_REGION, else us-east-1)
  --no-credentials     no AWS credentials for the function
  --parameter-overrides K=V ...  template parameters, as sam local (repeatable, or space-separated)
  --log-format Text|JSON          --log-level LEVEL (application; JSON format)
  --allow-writes       do not make writes outside /tmp fail with EROFS
  --node PATH          the Node.js executable for Node runtimes: a path, 'node' (the one on PATH) or
                       'host' (this one). Default: a Node of the runtime's major version, found on
                       this machine or fetched once into the per-user cache (LLD_CACHE_DIR moves it)

Sandbox:
  --cpu full           the machine's full speed (default: share, memory / 1,769 MB of a vCPU as on Lambda)
  --sandbox portable   never the kernel's sandbox (default: auto, cgroups where the machine allows them)

${TUNE_USAGE}`;

class UsageError extends Error {}

interface CliOptions {
  config: FunctionConfig;
  payload: string;
  times: number;
  idleMs: number;
  concurrency: number;
  cold: boolean;
  json: boolean;
  initProfile: boolean;
  provisioned: number;
  reserved: number | null;
  inheritVariables: string[];
  inheritCredentials: boolean;
  credentials: CredentialsChoice;
  region: string | undefined;
  readOnly: boolean;
  nodeExecutable: string | undefined;
  /** The sandbox switches (--cpu, --sandbox). */
  sandbox: { cpu: 'share' | 'full'; sandbox: 'auto' | 'portable' };
}

function positiveInteger(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be a whole number of at least ${min} (got '${value}').`);
  return n;
}

function parseCommandLine(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...FUNCTION_OPTIONS,
      'idle-ms': { type: 'string' },
      concurrency: { type: 'string' },
      cold: { type: 'boolean' },
      json: { type: 'boolean' },
      'init-profile': { type: 'boolean' },
      provisioned: { type: 'string' },
      reserved: { type: 'string' },
      'inherit-env': { type: 'string', multiple: true },
      'aws-credentials': { type: 'boolean' },
      profile: { type: 'string' },
      region: { type: 'string' },
      'no-credentials': { type: 'boolean' },
      'parameter-overrides': { type: 'string', multiple: true },
      'log-format': { type: 'string' },
      'log-level': { type: 'string' },
      'allow-writes': { type: 'boolean' },
      node: { type: 'string' },
      cpu: { type: 'string' },
      sandbox: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const [command, handlerArg, ...extra] = positionals;
  if (command !== 'invoke') {
    throw new UsageError(
      command ? `Unknown command '${command}'. The commands are 'invoke' and 'tune'.` : 'Missing command: invoke.',
    );
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}'.`);

  const environment: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env takes KEY=VALUE (got '${pair}').`);
    environment[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const config = resolveFunction(
    {
      template: values.template,
      function: values.function,
      handler: handlerArg,
      root: values.root,
      runtime: values.runtime,
      memorySizeMB: number(values.memory),
      timeoutSeconds: number(values.timeout),
      ephemeralStorageMB: number(values['tmp-size']),
      envFile: values['env-file'],
      environment,
      parameterOverrides: parameterOverrides(values['parameter-overrides'] ?? []),
      logFormat: values['log-format'],
      applicationLogLevel: values['log-level'],
    },
    process.cwd(),
    CLI_NAMES,
  );

  return {
    config,
    payload: values.event === undefined ? '{}' : readEventFile(values.event),
    times: positiveInteger('times', values.times, 1),
    idleMs: positiveInteger('idle-ms', values['idle-ms'], 0, 0),
    concurrency: positiveInteger('concurrency', values.concurrency, 1),
    cold: values.cold ?? false,
    json: values.json ?? false,
    initProfile: values['init-profile'] ?? false,
    provisioned: positiveInteger('provisioned', values.provisioned, 0, 0),
    reserved: values.reserved === undefined ? null : positiveInteger('reserved', values.reserved, 0, 0),
    inheritVariables: values['inherit-env'] ?? [],
    inheritCredentials: values['aws-credentials'] ?? false,
    credentials: values['no-credentials']
      ? { kind: 'none' }
      : { kind: values['aws-credentials'] ? 'none' : 'aws', profile: values.profile },
    region: values.region,
    readOnly: !values['allow-writes'],
    nodeExecutable: values.node,
    sandbox: sandboxSwitches(values.cpu, values.sandbox),
  };
}

function sandboxSwitches(cpu = 'share', sandbox = 'auto'): CliOptions['sandbox'] {
  if (cpu !== 'share' && cpu !== 'full') throw new UsageError(`--cpu is share or full (got '${cpu}').`);
  if (sandbox !== 'auto' && sandbox !== 'portable')
    throw new UsageError(`--sandbox is auto or portable (got '${sandbox}').`);
  return { cpu, sandbox };
}

function jsonLine(result: PoolInvocationResult, sandbox: SandboxKind | undefined): string {
  return JSON.stringify({
    sandbox: sandbox ?? null,
    requestId: result.requestId,
    environmentId: result.environmentId,
    cold: result.cold,
    initDurationMs: result.report.initDurationMs,
    initPhases: result.initPhases ?? null,
    ...(result.initProfile !== undefined ? { initProfile: result.initProfile } : {}),
    durationMs: result.report.durationMs,
    billedDurationMs: result.report.billedDurationMs,
    memorySizeMB: result.report.memorySizeMB,
    maxMemoryUsedMB: result.report.maxMemoryUsedMB,
    status: result.status,
    result: result.result,
    error: result.error,
    logs: result.logs,
    initLogs: result.initLogs,
    pending: result.pending,
    nodeVersion: result.nodeVersion,
  });
}

function rejectedLine(error: InvokeRejectedError, config: FunctionConfig): string {
  return JSON.stringify({
    requestId: null,
    environmentId: null,
    cold: false,
    initDurationMs: null,
    initPhases: null,
    durationMs: 0,
    billedDurationMs: 0,
    memorySizeMB: config.memorySizeMB,
    maxMemoryUsedMB: 0,
    status: 'error',
    result: null,
    error: { errorType: error.errorType, errorMessage: error.message, trace: [] },
    logs: '',
    initLogs: null,
  });
}

async function run(options: CliOptions): Promise<number> {
  // AWS_REGION (--region, the host's, the profile's), credentials and endpoints.
  const aws = await resolveAwsAccess(options.credentials, {
    region: options.region,
    onMessage: (text) => process.stderr.write(`lambda-lifecycle: ${text}\n`),
  });
  const engine = new Engine({
    region: aws.region,
    credentials: aws.credentials,
    awsVariables: aws.endpointVariables,
    provisionedConcurrency: options.provisioned,
    reservedConcurrency: options.reserved ?? undefined,
    inheritVariables: options.inheritVariables,
    inheritCredentials: options.inheritCredentials,
    readOnlyFilesystem: options.readOnly,
    nodeExecutable: options.nodeExecutable,
    initProfile: options.initProfile,
    ...options.sandbox,
    // Nothing to pre-start for a single invocation in a fresh environment.
    prestart: options.times * options.concurrency > 1 || options.cold,
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void engine.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);

  const sandboxes = new Map<string, SandboxKind | undefined>();
  engine.on((event) => {
    if (event.type === 'log') process.stderr.write(event.line + '\n');
    // Fetching what the runtime needs (a Node binary, the runtime's SDK), and warnings about it.
    if (event.type === 'provisioning' && event.message) process.stderr.write(`lambda-lifecycle: ${event.message}\n`);
    if (event.type === 'environmentCreated') sandboxes.set(event.environmentId, event.sandbox);
  });

  let failed = false;
  try {
    const pool = engine.pool(options.config);
    await pool.whenProvisioned();
    for (let round = 0; round < options.times && !stopping; round++) {
      if (round > 0 && options.idleMs > 0) await new Promise((r) => setTimeout(r, options.idleMs));
      const results = await Promise.all(
        Array.from({ length: options.concurrency }, () =>
          pool.invoke(options.payload, { cold: options.cold }).catch((error: unknown) => error),
        ),
      );
      for (const outcome of results) {
        if (outcome instanceof InvokeRejectedError) {
          failed = true;
          if (options.json) process.stdout.write(rejectedLine(outcome, options.config) + '\n');
          else process.stderr.write(`${outcome.errorType}: ${outcome.message}\n`);
          continue;
        }
        if (outcome instanceof Error) throw outcome;
        const result = outcome as PoolInvocationResult;
        if (result.status !== 'success') failed = true;
        if (options.json) process.stdout.write(jsonLine(result, sandboxes.get(result.environmentId)) + '\n');
        else {
          const body = result.status === 'success' ? result.result : result.error;
          process.stdout.write(JSON.stringify(body, null, 2) + '\n');
        }
      }
    }
  } finally {
    await engine.close();
  }
  return failed ? 1 : 0;
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'serve' || command === 'generate-event') return runSubcommand(command, process.argv.slice(3));
  if (process.argv.slice(2).find((arg) => !arg.startsWith('-')) === 'tune') {
    process.exitCode = await runTune(process.argv.slice(2));
    return;
  }
  let options: CliOptions;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    const known =
      error instanceof UsageError ||
      error instanceof ConfigError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`lambda-lifecycle: ${(error as Error).message}\n`);
    if (!known) process.stderr.write((error as Error).stack + '\n');
    process.stderr.write(`Run 'lambda-lifecycle --help' for the options.\n`);
    process.exit(2);
  }
  try {
    process.exitCode = await run(options);
  } catch (error) {
    process.stderr.write(`lambda-lifecycle: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}

void main();
