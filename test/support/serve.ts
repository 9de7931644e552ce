// Test helper for the fronts: runs `node dist/cli.js serve` as users and other tools run it,
// waits for "Ready.", gives its URLs and printed lines, collects its stderr (the logs), and
// stops it with Ctrl-C (SIGINT), checking it exits.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';

const CLI = path.join(__dirname, '../../dist/cli.js');

export interface ServeProcess {
  child: ChildProcess;
  invokeApiUrl: string;
  httpUrl: string;
  lines: string[];
  stderr(): string;
  /** Resolves once stderr contains `text` (a log line the test waits for). */
  waitForLog(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<number | null>;
}

export function startServe(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<ServeProcess> {
  // The fronts' contract is tested at full speed in the portable sandbox (whose processes keep
  // the host's LAMBDA_TASK_ROOT and see the test's gate files); the kernel's sandbox and the
  // CPU share have their own suites.
  const sandbox = args.includes('--sandbox') ? [] : ['--sandbox', 'portable'];
  const cpu = args.includes('--cpu') ? [] : ['--cpu', 'full'];
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--port', '0', '--lambda-port', '0', ...sandbox, ...cpu, ...args],
    {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  const logWaiters: { test: (s: string) => boolean; resolve: () => void }[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of [...logWaiters])
      if (w.test(err)) {
        logWaiters.splice(logWaiters.indexOf(w), 1);
        w.resolve();
      }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before Ready.\n${out}\n${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('Ready.\n')) return;
      const lines = out.split('\n').filter((l) => l !== '');
      const invokeApiUrl = /^Invoke API {2}(\S+)$/.exec(lines[0])![1];
      const httpUrl = /(http:\/\/127\.0\.0\.1:\d+)/.exec(lines[1] ?? '')?.[1] ?? '';
      resolve({
        child,
        invokeApiUrl,
        httpUrl,
        lines,
        stderr: () => err,
        waitForLog: (text, timeoutMs = 20_000) =>
          new Promise<void>((done, fail) => {
            const test = (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));
            if (test(err)) return done();
            const timer = setTimeout(() => fail(new Error(`No log ${String(text)} in:\n${err}`)), timeoutMs);
            logWaiters.push({ test, resolve: () => (clearTimeout(timer), done()) });
          }),
        stop: async () => {
          child.kill('SIGINT');
          const code = await exited;
          assert.equal(code, 130, err);
          return code;
        },
      });
    });
  });
}
