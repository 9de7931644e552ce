// Memory tuning results, as the engine's tuning run (engine/tuning/tuneRun.ts) makes them,
// `lambda-lifecycle tune --json` prints them and the tuning chart (src/webviews/tuneChart.ts)
// draws them.

import type { CpuShareInfo, SandboxKind } from './engineEvents';

export type Architecture = 'x86_64' | 'arm64';

/** The sizes the tuning report recommends (null: every size failed). */
export interface Recommendation {
  cheapestMB: number | null;
  fastestMB: number | null;
  balancedMB: number | null;
}

/** One memory size, as `--json` prints it (`type: "size"`). */
export interface SizeResult {
  type: 'size';
  memorySizeMB: number;
  /** Every invocation succeeded. */
  ok: boolean;
  /** The first error's type (e.g. Runtime.OutOfMemory, Sandbox.Timedout) when not ok. */
  errorType: string | null;
  coldInitDurationMs: number | null;
  coldDurationMs: number | null;
  warmP50Ms: number | null;
  warmP90Ms: number | null;
  /** Billed Duration of the median warm invocation (the cold one when there is none). */
  billedDurationMs: number | null;
  maxMemoryUsedMB: number | null;
  costPerMillionUsd: number | null;
  sandbox: SandboxKind | null;
  cpu: CpuShareInfo | null;
}

/** The summary, as `--json` prints it last (`type: "summary"`). */
export interface TuneSummary extends Recommendation {
  type: 'summary';
  functionName: string;
  region: string;
  pricedAs: string;
  architecture: Architecture;
  pricesTaken: string;
  warmInvocations: number;
  cancelled: boolean;
}
