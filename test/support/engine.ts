// Test helpers for the suites that run functions (engine, CLI, adapter, webview): write a
// function's code into a fresh folder, run an engine with its own temp base folder and
// check that nothing is left behind, find the processes of an engine's environments.

import { detectCgroups } from '../../src/engine/sandbox/cgroups';
import { namespacesAvailable } from '../../src/engine/sandbox/namespaces';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strict as assert } from 'node:assert';
import { Engine } from '../../src/engine/engine';
import type { EngineOptions } from '../../src/engine/options';
import { FunctionConfig, withDefaults } from '../../src/config/functionConfig';
import type { EngineEvent } from '../../src/protocol/engineEvents';

const created: string[] = [];

/** A code root holding the given files (paths relative to the root). */
export function codeRoot(files: Record<string, string>, executable: string[] = []): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-test-code-'));
  created.push(root);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    if (executable.includes(name)) fs.chmodSync(file, 0o755);
  }
  return root;
}

export function fn(root: string, handler: string, overrides: Partial<FunctionConfig> = {}): FunctionConfig {
  return { ...withDefaults({ root, handler }), ...overrides };
}

export interface TestEngine {
  engine: Engine;
  events: EngineEvent[];
  base: string;
}

/** Runs `body` with an engine whose temp folders live in a private base folder, then closes
 * it and asserts that its folder is gone. */
export async function withEngine<T>(options: EngineOptions, body: (t: TestEngine) => Promise<T>): Promise<T> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-test-base-'));
  created.push(base);
  // The machine's full speed unless a test asks for Lambda's CPU share (a 128 MB function
  // runs at 7 % of a core: every other suite would be fourteen times slower).
  // The portable sandbox unless a test asks for the kernel's (kernelSandbox.test.ts): these
  // suites look at the environment's folders from the host.
  // LLD_TEST_SANDBOX=auto runs a suite in the kernel's sandbox instead (scripts/test.mjs
  // runs a representative set of the behaviour suites both ways).
  const sandbox = process.env.LLD_TEST_SANDBOX === 'auto' ? 'auto' : 'portable';
  const engine = new Engine({ tempBaseDir: base, cpu: 'full', sandbox, ...options });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  try {
    const result = await body({ engine, events, base });
    // Run in the kernel's sandbox, the suite's environments really ran there.
    if (kernelSandbox() && options.sandbox === undefined) {
      const kinds = events.flatMap((e) => (e.type === 'environmentCreated' ? [e.sandbox] : []));
      assert.deepEqual(
        [...new Set(kinds)].filter((k) => k !== 'namespaces+cgroup'),
        [],
        'every environment in the kernel sandbox',
      );
    }
    return result;
  } finally {
    await engine.close();
    assert.deepEqual(fs.readdirSync(base), [], 'the engine left temp folders behind');
  }
}

/** Whether the suites run in the kernel's sandbox (LLD_TEST_SANDBOX=auto, where it is available). */
export const kernelSandbox = (): boolean =>
  process.env.LLD_TEST_SANDBOX === 'auto' && namespacesAvailable() && detectCgroups() !== null;

/** The processes of this base folder's environments: by the folder in their variables, or
 * in the kernel's sandbox (where their paths are Lambda's) by this process's cgroups. */
export function runtimeProcessesUsing(base: string): number[] {
  const pids: number[] = [];
  if (kernelSandbox()) {
    for (const dir of Object.values(detectCgroups()?.dirs ?? {})) {
      for (const group of fs.readdirSync(dir).filter((name) => name.startsWith(`${process.pid}-`))) {
        try {
          const procs = fs
            .readFileSync(path.join(dir, group, 'cgroup.procs'), 'utf8')
            .split('\n')
            .filter(Boolean);
          pids.push(...procs.map(Number).filter((pid) => !pids.includes(pid)));
        } catch {
          // Removed meanwhile.
        }
      }
    }
    return pids;
  }
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.includes(base)) pids.push(Number(entry));
    } catch {
      // Gone or not ours.
    }
  }
  return pids;
}

if (typeof after === 'function')
  after(() => {
    for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
  });

export const json = (value: unknown) => JSON.stringify(value);
