// Phase breakpoints: the adapter's exception breakpoint filters (`init`, `invoke`,
// `shutdown`, each with an optional `cold`/`warm` condition), as the Breakpoints view shows
// them, and the filters a setExceptionBreakpoints request sets, checked.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { PHASE_FILTERS, type PhaseFilter } from '../protocol/debugProtocol';

export interface PhaseBreakpoint {
  condition: 'cold' | 'warm' | null;
}

/** The filters the initialize response offers. */
export const PHASE_BREAKPOINT_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: 'init',
    label: 'Lambda: Init phase',
    description: 'Stop before the function module loads; Step Into runs its top-level code.',
    default: true,
    supportsCondition: true,
    conditionDescription: '"cold" or "warm"',
  },
  {
    filter: 'invoke',
    label: 'Lambda: Invoke phase',
    description: 'Stop before the handler is called; Step Into enters it.',
    default: true,
    supportsCondition: true,
    conditionDescription: '"cold" (first invocation of an environment) or "warm"',
  },
  {
    filter: 'shutdown',
    label: 'Lambda: Shutdown phase',
    description: 'Stop when an environment shuts down; Step Into enters the SIGTERM listeners.',
    default: false,
    supportsCondition: true,
    conditionDescription: '"cold" or "warm"',
  },
];

/** The phase breakpoints a request sets, and the answer for each filter it names. */
export function phaseBreakpoints(args: DebugProtocol.SetExceptionBreakpointsArguments): {
  breakpoints: Map<PhaseFilter, PhaseBreakpoint>;
  results: DebugProtocol.Breakpoint[];
} {
  const breakpoints = new Map<PhaseFilter, PhaseBreakpoint>();
  const options =
    args.filterOptions ?? args.filters.map((filterId) => ({ filterId }) as DebugProtocol.ExceptionFilterOptions);
  const results: DebugProtocol.Breakpoint[] = [];
  for (const option of options) {
    if (!(PHASE_FILTERS as readonly string[]).includes(option.filterId)) {
      results.push({ verified: false, message: `Unknown phase "${option.filterId}".` });
      continue;
    }
    const condition = option.condition?.trim().toLowerCase() || null;
    if (condition !== null && condition !== 'cold' && condition !== 'warm') {
      results.push({ verified: false, message: `Condition must be "cold" or "warm" (got "${option.condition}").` });
      continue;
    }
    breakpoints.set(option.filterId as PhaseFilter, { condition });
    results.push({ verified: true });
  }
  return { breakpoints, results };
}
