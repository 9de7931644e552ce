// `lambda-lifecycle tune`: runs a function at several memory sizes (a fresh environment per
// size, Lambda's CPU share for each) and prints, per size, the cold start, warm Duration
// p50/p90, Billed Duration, Max Memory Used and the cost per million invocations, then the
// cheapest, the fastest and a balanced size. With --json: one record per size, then one
// summary (engine/tuning/tuneRun.ts has their shapes). Exit status as for `invoke`.

import { parseArgs } from 'node:util';
import { FUNCTION_OPTIONS } from './functionOptions';
import { CLI_NAMES, readEventFile, resolveFunction, type FunctionSelection } from '../config/resolve';
import type { FunctionConfig } from '../config/functionConfig';
import { tuneMemory, type SizeResult, type TuneSummary } from '../engine/tuning/tuneRun';
import type { Architecture } from '../engine/tuning/prices';

export const TUNE_USAGE = `Usage: lambda-lifecycle tune [HANDLER | --template T --function F] --event FILE [options]

Runs the function at each memory size in a fresh environment, with the CPU share Lambda
gives that size, and prices each size with Lambda's public prices.

  --memory LIST        memory sizes in MB; default 128,256,512,1024,1769,3008
  --times N            warm invocations per size after the cold one; default 10
  --event FILE|-       event JSON; default {}
  --region REGION      prices of this region; default $AWS_REGION or us-east-1
  --arch ARCH          x86_64 (default) | arm64
  --root DIR, --runtime ID, --timeout SECONDS, --tmp-size MB, --env KEY=VALUE, --env-file FILE
  --sandbox portable   never the kernel's sandbox    --node PATH   Node.js for Node runtimes
  --json               one JSON record per size, then a summary
`;

class UsageError extends Error {}

interface TuneOptions {
  selection: FunctionSelection;
  payload: string;
  memorySizesMB: number[];
  times: number;
  region: string;
  architecture: Architecture;
  sandbox: 'auto' | 'portable';
  nodeExecutable: string | undefined;
  json: boolean;
}

function parse(argv: string[]): TuneOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...FUNCTION_OPTIONS,
      region: { type: 'string' },
      arch: { type: 'string' },
      sandbox: { type: 'string' },
      node: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(TUNE_USAGE);
    process.exit(0);
  }
  const [command, handler, ...extra] = positionals;
  if (command !== 'tune') throw new UsageError(`Expected the 'tune' command.`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}'.`);
  const memorySizesMB = (values.memory ?? '128,256,512,1024,1769,3008').split(',').map((part) => {
    const mb = Number(part.trim());
    if (!Number.isInteger(mb) || mb < 128 || mb > 10240) {
      throw new UsageError(`--memory takes sizes from 128 to 10240 MB, comma-separated (got '${part}').`);
    }
    return mb;
  });
  const times = values.times === undefined ? 10 : Number(values.times);
  if (!Number.isInteger(times) || times < 0)
    throw new UsageError(`--times must be a whole number (got '${values.times}').`);
  const architecture = values.arch ?? 'x86_64';
  if (architecture !== 'x86_64' && architecture !== 'arm64') {
    throw new UsageError(`--arch is x86_64 or arm64 (got '${architecture}').`);
  }
  const sandbox = values.sandbox ?? 'auto';
  if (sandbox !== 'auto' && sandbox !== 'portable')
    throw new UsageError(`--sandbox is auto or portable (got '${sandbox}').`);
  const environment: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--env takes KEY=VALUE (got '${pair}').`);
    environment[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    selection: {
      template: values.template,
      function: values.function,
      handler,
      root: values.root,
      runtime: values.runtime,
      timeoutSeconds: values.timeout === undefined ? undefined : Number(values.timeout),
      ephemeralStorageMB: values['tmp-size'] === undefined ? undefined : Number(values['tmp-size']),
      envFile: values['env-file'],
      environment,
    },
    payload: values.event === undefined ? '{}' : readEventFile(values.event),
    memorySizesMB,
    times,
    region: values.region ?? process.env.AWS_REGION ?? 'us-east-1',
    architecture,
    sandbox,
    nodeExecutable: values.node,
    json: values.json ?? false,
  };
}

const ms = (value: number | null) => (value === null ? '-' : value.toFixed(1));

function sizeLine(size: SizeResult): string {
  const cells = [
    String(size.memorySizeMB).padStart(6),
    `${ms(size.coldInitDurationMs).padStart(9)}`,
    `${ms(size.coldDurationMs).padStart(9)}`,
    `${ms(size.warmP50Ms).padStart(9)}`,
    `${ms(size.warmP90Ms).padStart(9)}`,
    `${(size.billedDurationMs === null ? '-' : String(size.billedDurationMs)).padStart(7)}`,
    `${(size.maxMemoryUsedMB === null ? '-' : String(size.maxMemoryUsedMB)).padStart(7)}`,
    `${(size.costPerMillionUsd === null ? '-' : '$' + size.costPerMillionUsd.toFixed(4)).padStart(10)}`,
    `${size.cpu ? size.cpu.vcpus.toFixed(3) : '-'} vCPU (${size.cpu?.enforcedBy ?? '-'})`,
  ];
  return cells.join('  ') + (size.ok ? '' : `  ${size.errorType}`);
}

const HEADER =
  '   MB   cold Init  1st Dur.  warm p50  warm p90  Billed  MaxMem   $/1M inv  CPU\n' +
  '   --   ---------  --------  --------  --------  ------  ------   --------  ---';

function summaryLines(summary: TuneSummary): string[] {
  const mb = (value: number | null) => (value === null ? 'none (every size failed)' : `${value} MB`);
  return [
    `cheapest ${mb(summary.cheapestMB)}, fastest ${mb(summary.fastestMB)}, balanced ${mb(summary.balancedMB)}`,
    `Prices: ${summary.pricedAs} ${summary.architecture}` +
      (summary.pricedAs === summary.region ? '' : ` (no table for ${summary.region})`) +
      `, taken ${summary.pricesTaken}; cost uses the warm p50's Billed Duration.`,
  ];
}

/** Runs `tune`; returns the exit status (0 every size succeeded, 1 one failed, 2 usage). */
export async function runTune(argv: string[]): Promise<number> {
  let options: TuneOptions;
  let config: FunctionConfig;
  try {
    options = parse(argv);
    config = resolveFunction(options.selection, process.cwd(), CLI_NAMES);
  } catch (error) {
    process.stderr.write(
      `lambda-lifecycle: ${(error as Error).message}\nRun 'lambda-lifecycle tune --help' for the options.\n`,
    );
    return 2;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (!options.json)
    process.stdout.write(`Tuning ${config.name}: ${options.times} warm invocations per size\n${HEADER}\n`);
  const { sizes, summary } = await tuneMemory({
    config,
    payload: options.payload,
    memorySizesMB: options.memorySizesMB,
    times: options.times,
    region: options.region,
    architecture: options.architecture,
    engineOptions: { sandbox: options.sandbox, nodeExecutable: options.nodeExecutable, cpu: 'share' },
    signal: controller.signal,
    onSize: (size) => process.stdout.write((options.json ? JSON.stringify(size) : sizeLine(size)) + '\n'),
  });
  process.stdout.write(options.json ? JSON.stringify(summary) + '\n' : summaryLines(summary).join('\n') + '\n');
  if (summary.cancelled) return 130;
  return sizes.every((s) => s.ok) ? 0 : 1;
}
