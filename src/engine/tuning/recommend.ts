// The tuning report's choice among memory sizes that ran without error: the cheapest per
// million invocations, the fastest warm Duration (p50; the smallest size within 5 % of
// the best, since past one vCPU a single-threaded handler only gets noise), and a balanced one — the size with
// the least sum of its cost and its duration, each relative to the best of all sizes (so
// a size twice as expensive as the cheapest must be more than twice as fast to win).

export interface SizeScore {
  memorySizeMB: number;
  ok: boolean;
  warmP50Ms: number;
  costPerMillion: number;
}

import type { Recommendation } from '../../protocol/tuning';

export function recommend(sizes: SizeScore[]): Recommendation {
  const ok = sizes.filter((s) => s.ok);
  if (ok.length === 0) return { cheapestMB: null, fastestMB: null, balancedMB: null };
  // Ties go to the smaller size.
  const best = (score: (s: SizeScore) => number) =>
    ok.reduce((a, b) => (score(b) < score(a) || (score(b) === score(a) && b.memorySizeMB < a.memorySizeMB) ? b : a));
  const minCost = Math.min(...ok.map((s) => s.costPerMillion));
  const minTime = Math.max(Math.min(...ok.map((s) => s.warmP50Ms)), 0.001);
  return {
    cheapestMB: best((s) => s.costPerMillion).memorySizeMB,
    fastestMB: ok.filter((s) => s.warmP50Ms <= minTime * 1.05).sort((a, b) => a.memorySizeMB - b.memorySizeMB)[0]
      .memorySizeMB,
    balancedMB: best((s) => s.costPerMillion / minCost + s.warmP50Ms / minTime).memorySizeMB,
  };
}
