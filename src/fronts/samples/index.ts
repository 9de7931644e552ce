// Every sample event template, by service and type, and how one is made: the template's
// defaults with the caller's fields on top, built for a region and account. The CLI's
// `generate-event` and VS Code's "New sample event…" both use it.

import { DATA_SAMPLES } from './dataSamples';
import { HTTP_SAMPLES } from './httpSamples';
import type { SampleContext, SampleTemplate } from './sample';
import { SERVICE_SAMPLES } from './serviceSamples';

export type { SampleTemplate } from './sample';

export const SAMPLES: readonly SampleTemplate[] = [...HTTP_SAMPLES, ...DATA_SAMPLES, ...SERVICE_SAMPLES];

export class SampleError extends Error {}

export function services(): string[] {
  return [...new Set(SAMPLES.map((s) => s.service))];
}

export function samplesOf(service: string): SampleTemplate[] {
  return SAMPLES.filter((s) => s.service === service);
}

export function findSample(service: string, type: string): SampleTemplate {
  const ofService = samplesOf(service);
  if (ofService.length === 0)
    throw new SampleError(`Unknown service '${service}'. Services: ${services().join(', ')}.`);
  const sample = ofService.find((s) => s.type === type);
  if (!sample)
    throw new SampleError(
      `Unknown ${service} event type '${type}'. Types: ${ofService.map((s) => s.type).join(', ')}.`,
    );
  return sample;
}

export function generateSample(
  sample: SampleTemplate,
  fields: Record<string, string>,
  ctx: Partial<SampleContext> = {},
): unknown {
  for (const name of Object.keys(fields)) {
    if (!(name in sample.fields))
      throw new SampleError(
        `${sample.service} ${sample.type} has no field --${name}. Fields: ${Object.keys(sample.fields)
          .map((f) => `--${f}`)
          .join(', ')}.`,
      );
  }
  return sample.build(
    { ...sample.fields, ...fields },
    { region: ctx.region ?? 'us-east-1', accountId: ctx.accountId ?? '123456789012', now: ctx.now ?? new Date() },
  );
}
