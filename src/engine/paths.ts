// Where things live on the host: the bundled runtime assets, and the engine's temp
// folders (one per engine, one per environment inside it). Folders left by an engine
// whose process is gone (killed, crashed) are swept when the next engine starts.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TEMP_PREFIX = 'lambda-lifecycle-';

/** The folder holding dist/runtime (works from dist/*.js and from src/ under tests). */
export function runtimeAssetsDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.basename(dir) === 'dist' ? path.join(dir, 'runtime') : path.join(dir, 'dist', 'runtime');
    if (fs.existsSync(path.join(candidate, 'node', 'bootstrap.js'))) return candidate;
    if (path.dirname(dir) === dir) {
      throw new Error('The runtime bundle (dist/runtime) is missing: run `npm run build` first.');
    }
  }
}

/** Whether a process is alive (EPERM: alive, another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp folders of engines whose process no longer exists. */
export function sweepOrphanedFolders(baseDir = os.tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(baseDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    const dir = path.join(baseDir, name);
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/** A new temp folder for one engine, named after this process so it can be swept. */
export function createEngineFolder(baseDir = os.tmpdir()): string {
  return fs.mkdtempSync(path.join(baseDir, `${TEMP_PREFIX}${process.pid}-`));
}
