// The keeper of a custom runtime (provided.al2 / provided.al2023): a small Node process
// that starts the user's `bootstrap` executable in its own process group when the engine
// says `init`, stops it (SIGSTOP) when the engine freezes the environment and continues it
// (SIGCONT) when it thaws, and ends the whole group if the engine disappears. The
// bootstrap talks to the Runtime API itself, unchanged, as on Lambda.

import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SANDBOX_SETTINGS_VARIABLE, type SandboxSettings } from '../../protocol/sandbox';
import { onEngineGone, send, waitForMessageAsync } from './keeperChannel';

const settings = JSON.parse(process.env[SANDBOX_SETTINGS_VARIABLE] ?? 'null') as SandboxSettings | null;
delete process.env[SANDBOX_SETTINGS_VARIABLE];

let child: ChildProcess | null = null;

function signalGroup(signal: NodeJS.Signals): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

onEngineGone(() => {
  signalGroup('SIGCONT');
  signalGroup('SIGKILL');
  if (settings) {
    fs.rmSync(settings.environmentDir, { recursive: true, force: true });
    try {
      fs.rmdirSync(path.dirname(settings.environmentDir));
    } catch {
      // Other environments still there.
    }
  }
  process.exit(137);
});

process.on('SIGTERM', () => {
  signalGroup('SIGCONT');
  signalGroup('SIGTERM');
});

function start(): void {
  const bootstrap = path.join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), 'bootstrap');
  const env = { ...process.env };
  if (settings) env.TMPDIR = settings.tmpDir;
  child = spawn(bootstrap, [], { cwd: process.cwd(), env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  child.on('error', (error) => {
    process.stderr.write(`Could not run ${bootstrap}: ${error.message}\n`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal === 'SIGSTOP' ? 'SIGKILL' : signal);
    else process.exit(code ?? 0);
  });
  if (child.pid) send({ t: 'started', pid: child.pid });
}

send({ t: 'ready', bootMs: performance.now() });
void (async () => {
  for (;;) {
    const message = await waitForMessageAsync();
    switch (message.t) {
      case 'init':
        start();
        break;
      case 'freeze':
        signalGroup('SIGSTOP');
        break;
      case 'thaw':
        signalGroup('SIGCONT');
        break;
      case 'shutdown':
        signalGroup('SIGCONT');
        break;
    }
  }
})();
