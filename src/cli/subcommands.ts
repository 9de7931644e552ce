// The commands besides `invoke`: `serve` and `generate-event`, each in its own file. Usage
// and configuration errors exit with status 2 and a line saying what to fix, as `invoke`'s do.

import { ConfigError } from '../config/functionConfig';
import { SampleError } from '../fronts/samples/index';
import { generateEventCommand } from './generateEvent';
import { parseServeCommandLine, runServe, SERVE_USAGE } from './serve';

export async function runSubcommand(command: 'serve' | 'generate-event', argv: string[]): Promise<void> {
  try {
    if (command === 'serve') {
      const options = parseServeCommandLine(argv);
      if (!options) return void process.stdout.write(SERVE_USAGE);
      await runServe(options);
    } else generateEventCommand(argv, (text) => process.stdout.write(text));
  } catch (error) {
    const known =
      error instanceof ConfigError ||
      error instanceof SampleError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`lambda-lifecycle: ${(error as Error).message}\n`);
    if (!known) process.stderr.write((error as Error).stack + '\n');
    process.stderr.write(`Run 'lambda-lifecycle ${command} --help' for the options.\n`);
    process.exit(2);
  }
}
