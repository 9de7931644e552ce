// The `lambda` debug adapter as a program speaking DAP on stdin/stdout
// (dist/debugAdapter.js), for tests and for DAP clients other than VS Code.

import { DebugSession } from '@vscode/debugadapter';
import { LambdaDebugSession } from './lambdaDebugSession';

DebugSession.run(LambdaDebugSession);
