// The AWS SDK for JavaScript v3 that Lambda's Node runtimes ship in /var/runtime/node_modules:
// here a folder of the per-user cache (<cache>/aws-sdk/node_modules), filled on first use
// of each package by npm from the npm registry, then reused offline. Only the packages a
// function imports and cannot resolve from its own code or layers are installed. No vscode.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDirectory } from './cache';

/** The packages Lambda's runtime provides (the SDK v3 and what it is built from). */
export const RUNTIME_PACKAGE = /^@(aws-sdk|smithy|aws-crypto)\//;

/** Node majors whose runtime ships an SDK frozen at a date, the newest SDK no longer running
 * on them: nodejs18.x was deprecated on 2025-09-01 (its SDK no longer updated), and the SDK
 * requires Node 20 from 3.970.0 (January 2026). npm installs what was published by then. */
const FROZEN_SDK: Record<number, string> = { 18: '2025-09-01' };

/** The runtime's copy of the SDK: a folder holding node_modules (on NODE_PATH after the
 * layers); one for the current runtimes, one per runtime whose SDK is frozen. */
export function runtimeSdkDir(nodeMajor?: number): string {
  const frozen = nodeMajor !== undefined && FROZEN_SDK[nodeMajor] !== undefined;
  return path.join(cacheDirectory(), frozen ? `aws-sdk-node${nodeMajor}` : 'aws-sdk');
}

export function runtimeModulesDir(nodeMajor?: number): string {
  return path.join(runtimeSdkDir(nodeMajor), 'node_modules');
}

export class RuntimeSdkError extends Error {
  override readonly name = 'RuntimeSdkError';
}

const installed = (dir: string, name: string) => fs.existsSync(path.join(dir, name, 'package.json'));

/** Whether `name` resolves from the function's own code (node_modules up from `root`) or a layer. */
export function resolvableFromFunction(name: string, root: string, layerModuleDirs: string[]): boolean {
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (installed(path.join(dir, 'node_modules'), name)) return true;
    if (path.dirname(dir) === dir) break;
  }
  return layerModuleDirs.some((dir) => installed(dir, name));
}

let installing: Promise<void> = Promise.resolve();

/** Installs the packages the runtime's copy lacks (one npm run at a time); throws a
 * RuntimeSdkError saying why and what to do. */
export function installRuntimePackages(
  names: string[],
  progress: (message: string) => void,
  nodeMajor?: number,
): Promise<void> {
  const run = installing.then(() => install(names, progress, nodeMajor));
  installing = run.catch(() => undefined);
  return run;
}

async function install(names: string[], progress: (message: string) => void, nodeMajor?: number): Promise<void> {
  const dir = runtimeSdkDir(nodeMajor);
  const missing = names.filter((name) => !installed(runtimeModulesDir(nodeMajor), name));
  const before = nodeMajor !== undefined ? FROZEN_SDK[nodeMajor] : undefined;
  if (missing.length === 0) return;
  fs.mkdirSync(dir, { recursive: true });
  const manifest = path.join(dir, 'package.json');
  if (!fs.existsSync(manifest)) {
    fs.writeFileSync(manifest, JSON.stringify({ name: 'lambda-runtime-sdk', private: true }, null, 2));
  }
  progress(`Installing the runtime's AWS SDK packages from the npm registry: ${missing.join(', ')}…`);
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await new Promise<void>((resolve, reject) => {
    execFile(
      npm,
      [
        'install',
        '--save',
        '--no-audit',
        '--no-fund',
        '--no-update-notifier',
        '--loglevel=error',
        ...(before ? [`--before=${before}`] : []),
        ...missing,
      ],
      { cwd: dir, timeout: 300_000, shell: process.platform === 'win32', maxBuffer: 10 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT'
            ? 'npm is not on PATH'
            : (stderr.split('\n').find((line) => /ERR!/.test(line)) ?? error.message).trim();
        reject(
          new RuntimeSdkError(
            `Lambda's runtime provides ${missing.join(', ')}; installing ${missing.length > 1 ? 'them' : 'it'} ` +
              `into ${dir} failed (${why}). Connect to the npm registry once (npm must be on PATH), ` +
              `or add ${missing.length > 1 ? 'them' : 'it'} to the function's own dependencies (npm install ${missing.join(' ')}).`,
          ),
        );
      },
    );
  });
  progress(`The runtime's AWS SDK packages are ready (${((Date.now() - started) / 1000).toFixed(1)} s).`);
}
