// The `lambda` debug adapter as a program speaking DAP on stdin/stdout
// (dist/debugAdapter.js), for tests and for DAP clients other than VS Code. Its log goes
// to stderr when LAMBDA_LIFECYCLE_TRACE is `messages` or `verbose`.

import { DebugSession } from '@vscode/debugadapter';
import { LambdaDebugSession } from './lambdaDebugSession';
import { silentLogger, type AdapterLogger, type DapTraceLevel } from './logger';

function stderrLogger(level: string | undefined): AdapterLogger {
  if (level !== 'messages' && level !== 'verbose') return silentLogger;
  const write = (text: string) => process.stderr.write(`[lambda-adapter] ${text}\n`);
  return {
    dapTrace: level as DapTraceLevel,
    dap: write,
    debugEnabled: () => level === 'verbose',
    debug: write,
    info: write,
    error: (message, error) => write(`${message}${error === undefined ? '' : `: ${String(error)}`}`),
  };
}

class StandaloneLambdaDebugSession extends LambdaDebugSession {
  constructor() {
    super({ logger: stderrLogger(process.env.LAMBDA_LIFECYCLE_TRACE) });
  }
}

DebugSession.run(StandaloneLambdaDebugSession);
