// Memory tuning: runs a function at each memory size in a fresh environment (its own
// engine, so nothing is shared), the cold start measured apart from N warm invocations,
// with Lambda's CPU share for each size; then prices each size and recommends one. Used by
// `lambda-lifecycle tune` (cli/tune.ts) and Tune Memory… in VS Code.

import { Engine } from '../engine';
import type { EngineOptions } from '../options';
import type { FunctionConfig } from '../../config/functionConfig';
import type { SizeResult, TuneSummary } from '../../protocol/tuning';
import { costPerMillion, pricesFor, PRICES_TAKEN, type Architecture } from './prices';

export type { SizeResult, TuneSummary };
import { recommend } from './recommend';

export interface TuneRequest {
  config: FunctionConfig;
  payload: string;
  memorySizesMB: number[];
  /** Warm invocations per size after the cold one. */
  times: number;
  region: string;
  architecture: Architecture;
  /** Engine options for every size (cpu, sandbox, node…). */
  engineOptions?: EngineOptions;
  /** Called with each size's result as soon as it is known. */
  onSize?: (result: SizeResult) => void;
  /** Cancels: the size under way is ended and no further size starts. */
  signal?: AbortSignal;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

export async function tuneMemory(request: TuneRequest): Promise<{ sizes: SizeResult[]; summary: TuneSummary }> {
  const prices = pricesFor(request.region);
  const sizes: SizeResult[] = [];
  for (const memorySizeMB of request.memorySizesMB) {
    if (request.signal?.aborted) break;
    const result = await runSize(request, memorySizeMB);
    if (result.billedDurationMs !== null) {
      result.costPerMillionUsd = costPerMillion(prices, request.architecture, memorySizeMB, result.billedDurationMs);
    }
    sizes.push(result);
    request.onSize?.(result);
  }
  const chosen = recommend(
    sizes.map((s) => ({
      memorySizeMB: s.memorySizeMB,
      ok: s.ok && s.costPerMillionUsd !== null,
      warmP50Ms: s.warmP50Ms ?? s.coldDurationMs ?? Infinity,
      costPerMillion: s.costPerMillionUsd ?? Infinity,
    })),
  );
  return {
    sizes,
    summary: {
      type: 'summary',
      functionName: request.config.name,
      region: request.region,
      pricedAs: prices.pricedAs,
      architecture: request.architecture,
      pricesTaken: PRICES_TAKEN,
      warmInvocations: request.times,
      cancelled: request.signal?.aborted ?? false,
      ...chosen,
    },
  };
}

async function runSize(request: TuneRequest, memorySizeMB: number): Promise<SizeResult> {
  const result: SizeResult = {
    type: 'size',
    memorySizeMB,
    ok: true,
    errorType: null,
    coldInitDurationMs: null,
    coldDurationMs: null,
    warmP50Ms: null,
    warmP90Ms: null,
    billedDurationMs: null,
    maxMemoryUsedMB: null,
    costPerMillionUsd: null,
    sandbox: null,
    cpu: null,
  };
  // The cold start is measured as Lambda's: no process started ahead.
  const engine = new Engine({ ...request.engineOptions, prestart: false });
  const abort = () => void engine.close();
  request.signal?.addEventListener('abort', abort);
  engine.on((event) => {
    if (event.type !== 'environmentCreated') return;
    result.sandbox = event.sandbox ?? null;
    result.cpu = event.cpu ?? null;
  });
  try {
    const pool = engine.pool({ ...request.config, memorySizeMB });
    const warm: { durationMs: number; billedMs: number }[] = [];
    let maxMemory = 0;
    for (let i = 0; i <= request.times && !request.signal?.aborted; i++) {
      const invocation = await pool.invoke(request.payload);
      const { report } = invocation;
      maxMemory = Math.max(maxMemory, report.maxMemoryUsedMB);
      if (i === 0) {
        result.coldInitDurationMs = report.initDurationMs;
        result.coldDurationMs = report.durationMs;
        result.billedDurationMs = report.billedDurationMs;
      } else {
        warm.push({ durationMs: report.durationMs, billedMs: report.billedDurationMs });
      }
      if (invocation.status !== 'success') {
        result.ok = false;
        result.errorType = invocation.error?.errorType ?? invocation.status;
        break;
      }
    }
    result.maxMemoryUsedMB = maxMemory;
    if (warm.length > 0) {
      const durations = warm.map((w) => w.durationMs);
      result.warmP50Ms = percentile(durations, 50);
      result.warmP90Ms = percentile(durations, 90);
      result.billedDurationMs = warm.find((w) => w.durationMs === result.warmP50Ms)!.billedMs;
    }
  } catch (error) {
    result.ok = false;
    result.errorType ??= (error as Error).name;
  } finally {
    request.signal?.removeEventListener('abort', abort);
    await engine.close();
  }
  return result;
}
