// `--parameter-overrides` as `sam local` takes it, for `invoke` and `serve`.

/** sam local's forms: `K=V`, `ParameterKey=K,ParameterValue=V`, several in one argument. */
export function parameterOverrides(args: string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const arg of args) {
    for (const pair of arg.match(/ParameterKey=[^,\s]+,ParameterValue=\S*|[^\s=]+=\S*/g) ?? []) {
      const long = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(pair);
      const eq = pair.indexOf('=');
      if (long) overrides[long[1]] = long[2];
      else overrides[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return overrides;
}
