// Which generation of the AWS Node.js runtime interface client this environment follows:
// `nodejs18.x`–`nodejs22.x` run its 3.x generation, `nodejs24.x` and later its 4.x
// generation (no callback handlers, a sync return value is the response, every handler
// loaded with import(), no process-level error handlers). Derived from AWS_EXECUTION_ENV,
// which the engine sets to `AWS_Lambda_<runtime>` as Lambda does.

export type ClientGeneration = '3.x' | '4.x';

/** The generation a runtime id (`nodejs22.x`) or execution env (`AWS_Lambda_nodejs22.x`) runs. */
export function generationOf(runtime: string | undefined): ClientGeneration {
  const major = Number(/nodejs(\d+)\.x$/.exec(runtime ?? '')?.[1] ?? NaN);
  return major >= 24 ? '4.x' : '3.x';
}

/** This environment's generation. */
export const generation: ClientGeneration = generationOf(process.env.AWS_EXECUTION_ENV);
export const isGeneration4 = generation === '4.x';
