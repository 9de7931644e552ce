// Lambda's public prices, the only place they are written down: per GB-second of billed
// duration (by architecture) and per request. Taken from AWS's pricing page
// (https://aws.amazon.com/lambda/pricing/) for us-east-1 as published in 2025, first tier
// (no volume discount, no free tier). Regions not in the table are priced as us-east-1,
// and the tuning report says so.

import type { Architecture } from '../../protocol/tuning';

export type { Architecture };

/** When the table was taken from the pricing page. */
export const PRICES_TAKEN = '2025 (aws.amazon.com/lambda/pricing, us-east-1, first tier)';

export interface RegionPrices {
  perGbSecond: Record<Architecture, number>;
  perMillionRequests: number;
}

const TABLE: Record<string, RegionPrices> = {
  'us-east-1': { perGbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 }, perMillionRequests: 0.2 },
};

export interface PriceQuote extends RegionPrices {
  /** The region whose prices these are (us-east-1 when `region` is not in the table). */
  pricedAs: string;
}

export function pricesFor(region: string): PriceQuote {
  const known = TABLE[region];
  return known ? { ...known, pricedAs: region } : { ...TABLE['us-east-1'], pricedAs: 'us-east-1' };
}

/** Dollars per million invocations of `billedMs` at `memorySizeMB`. */
export function costPerMillion(
  prices: RegionPrices,
  architecture: Architecture,
  memorySizeMB: number,
  billedMs: number,
): number {
  const gbSeconds = (memorySizeMB / 1024) * (billedMs / 1000);
  return 1_000_000 * gbSeconds * prices.perGbSecond[architecture] + prices.perMillionRequests;
}
