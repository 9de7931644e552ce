// The command-line options that name a function and its configuration, shared by `invoke`
// and `tune` (node:util parseArgs' form).

export const FUNCTION_OPTIONS = {
  root: { type: 'string' },
  template: { type: 'string' },
  function: { type: 'string' },
  event: { type: 'string' },
  runtime: { type: 'string' },
  memory: { type: 'string' },
  timeout: { type: 'string' },
  'tmp-size': { type: 'string' },
  env: { type: 'string', multiple: true },
  'env-file': { type: 'string' },
  times: { type: 'string' },
} as const;
