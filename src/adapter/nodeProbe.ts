// Asks a Node executable its version without blocking: the adapter runs inline in the
// extension host, where a synchronous spawn would freeze every extension meanwhile.

import { execFile } from 'node:child_process';
import type { NodeProbe } from './launchResolution';

export const probeNodeVersion: NodeProbe = (executable) =>
  new Promise((resolve) => {
    execFile(executable, ['--version'], { encoding: 'utf8', timeout: 10_000 }, (error, stdout) => {
      if (!error) resolve({ version: stdout });
      else {
        const code = (error as NodeJS.ErrnoException).code;
        resolve({ failure: typeof code === 'string' ? code : `exit ${String(code ?? error.message)}` });
      }
    });
  });
