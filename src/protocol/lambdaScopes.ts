// The Lambda scopes of an environment as the Variables view shows them next to the
// JavaScript scopes (event, context, module state, /tmp, pending work, last REPORT),
// derived from the shared environment model. Plain data; the children of "Module state"
// are the runtime's preview nodes, told apart by their `stateNodes` key.

import type { EnvironmentModel } from './environmentModel';

export interface LambdaScope {
  name: string;
  /** Plain JSON, or `{ stateNodes }` for the module state. */
  value: unknown;
}

export function lambdaScopes(environment: EnvironmentModel): LambdaScope[] {
  const { carried, settings } = environment;
  const invoke = [...environment.lifecycle].reverse().find((entry) => entry.kind === 'invoke');
  const scopes: LambdaScope[] = [
    { name: 'Event', value: environment.lastEvent ?? {} },
    {
      name: 'Context',
      value: {
        awsRequestId: environment.lastRequestId,
        functionName: environment.functionName,
        memoryLimitInMB: settings ? String(settings.memorySizeMB) : undefined,
        timeoutSeconds: settings?.timeoutSeconds,
        cold: invoke?.cold,
      },
    },
  ];
  if (carried.moduleState) {
    scopes.push({
      name: 'Module state',
      value: { stateNodes: [...carried.moduleState.module, ...carried.moduleState.globals] },
    });
  }
  scopes.push(
    {
      name: '/tmp',
      value: Object.fromEntries(carried.tmp.map((e) => [e.path, e.type === 'file' ? `${e.sizeBytes} bytes` : e.type])),
    },
    {
      name: 'Pending work',
      value: Object.fromEntries(
        carried.pending.map((p) => [
          `#${p.id} ${p.description}`,
          p.site ? `${p.site.file}:${p.site.line}:${p.site.column}` : p.resourceType,
        ]),
      ),
    },
    { name: 'Last REPORT', value: environment.lastResult?.report ?? {} },
  );
  return scopes;
}
