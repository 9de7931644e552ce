// Variables the engine updates before a phase (fresh AWS credentials, see protocol/sandbox.ts):
// set in the process's own environment, as Lambda's are, so the AWS SDK and child processes
// see them.

import type { EngineToRuntime } from '../../protocol/sandbox';

export function applyVariableUpdate(message: EngineToRuntime): void {
  if (!('env' in message) || !message.env) return;
  for (const [name, value] of Object.entries(message.env)) {
    if (value === null) delete process.env[name];
    else process.env[name] = value;
  }
}
