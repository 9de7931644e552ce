// `lambda-lifecycle generate-event SERVICE TYPE [--field value ...]`: prints a sample event
// as AWS sends it. Without TYPE it lists the service's types; without SERVICE, the services.
// --region and --account set ARNs; every other option is a field of the template.

import { findSample, generateSample, SampleError, samplesOf, services } from '../fronts/samples/index';

export const GENERATE_EVENT_USAGE = `Usage: lambda-lifecycle generate-event SERVICE TYPE [--field value ...] [--region R] [--account ID]

Prints a sample event as AWS sends it. 'generate-event' lists the services, 'generate-event SERVICE'
the types and their fields.
`;

/** Parses `--name value` pairs (every option takes a value). */
function fieldOptions(argv: string[]): { positionals: string[]; fields: Record<string, string> } {
  const positionals: string[] = [];
  const fields: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq !== -1) fields[arg.slice(2, eq)] = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new SampleError(`${arg} needs a value.`);
      fields[arg.slice(2)] = argv[++i];
    }
  }
  return { positionals, fields };
}

export function generateEventCommand(argv: string[], write: (text: string) => void): void {
  if (argv.includes('--help') || argv.includes('-h')) return write(GENERATE_EVENT_USAGE);
  const { positionals, fields } = fieldOptions(argv);
  const [service, type, extra] = positionals;
  if (extra !== undefined) throw new SampleError(`Unexpected argument '${extra}'.`);
  if (!service) {
    const lines = services().map(
      (s) =>
        `${s.padEnd(16)} ${samplesOf(s)
          .map((t) => t.type)
          .join(', ')}`,
    );
    return write(`${GENERATE_EVENT_USAGE}\nServices and types:\n${lines.join('\n')}\n`);
  }
  if (!type) {
    const ofService = samplesOf(service);
    if (ofService.length === 0) findSample(service, '');
    const lines = ofService.map(
      (t) =>
        `${t.type.padEnd(22)} ${t.description}\n${' '.repeat(23)}${Object.entries(t.fields)
          .map(([k, v]) => `--${k} ${JSON.stringify(v)}`)
          .join(' ')}`,
    );
    return write(lines.join('\n') + '\n');
  }
  const { region, account, ...own } = fields;
  const sample = findSample(service, type);
  write(JSON.stringify(generateSample(sample, own, { region, accountId: account }), null, 2) + '\n');
}
