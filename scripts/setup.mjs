// Installs everything `npm start`, `npm test` and `npm run bench` need, before anything
// runs, with a line of progress per step: the npm packages, the Debian packages (chromium,
// ripgrep, libkrb5-dev, awscli: the AWS CLI v2 the Invoke API tests call), a real VS Code (code-server 4.100.3, the newest that runs on
// Node 20, with its built-in JavaScript debugger) and playwright-core in .vscode-test/,
// then the build, and Node.js 18, 22 and 24 (the runtimes' own majors) and the runtimes' AWS SDK
// packages the tests import, in the per-user cache (scripts/provisionNodes.ts).
// Idempotent: a step whose result is already there says so and goes on.
// These machines reach only the npm registry and Debian (../shared/REAL-VSCODE.md), so
// code-server's own downloads are replaced by Debian's ripgrep and local builds.
//
//   node scripts/setup.mjs              everything
//   node scripts/setup.mjs --no-vscode  no code-server nor Chromium (the bench, the CLI)
//
// Optional last step: the official runtime interface clients the differential suite compares
// with (scripts/lib/ricOracle.mjs); when they cannot be built, the reason is kept and that
// suite says so and skips.
//
// It imports no dependency of the project: it runs before they are installed.

import { execSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER, PLAYWRIGHT, codeServerDir, codeServerReady } from './lib/tools.mjs';
import { installRicOracles, oracleRoot } from './lib/ricOracle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const withVsCode = !process.argv.includes('--no-vscode');

const steps = [
  ['npm packages', installNpmPackages],
  ...(withVsCode
    ? [
        [
          'Debian packages (chromium, ripgrep, libkrb5-dev, awscli)',
          () => installDebianPackages(['chromium', 'ripgrep', 'libkrb5-dev', 'awscli']),
        ],
        [`code-server ${CODE_SERVER} and playwright-core ${PLAYWRIGHT}`, installCodeServer],
      ]
    : []),
  ['build (esbuild)', build],
  ["Node.js 18, 22 and 24 and the runtimes' AWS SDK packages the tests use (per-user cache)", provisionNodes],
  ...(withVsCode
    ? [['the official runtime interface clients (aws-lambda-ric 3.x, 4.x), optional', installOracles]]
    : []),
];

const say = (text) => process.stderr.write(`[setup] ${text}\n`);
function run(command, cwd, env = {}) {
  execSync(command, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
}

function build() {
  run('node esbuild.mjs', root);
  return 'built';
}

function provisionNodes() {
  // Functions run on a Node of their runtime's major; fetched here so that no test downloads.
  run(`"${process.execPath}" --import tsx scripts/provisionNodes.ts 18 22 24`, root);
  return 'ready';
}

function installOracles() {
  const unavailable = path.join(oracleRoot(), 'unavailable.txt');
  try {
    installDebianPackages(['cmake', 'g++', 'make', 'autoconf', 'automake', 'libtool', 'libuv1-dev']);
    const lines = installRicOracles();
    fs.rmSync(unavailable, { force: true });
    return lines.join('; ');
  } catch (error) {
    fs.mkdirSync(oracleRoot(), { recursive: true });
    fs.writeFileSync(unavailable, error.message + '\n');
    return `skipped (the differential suite will say so): ${error.message}`;
  }
}

function installNpmPackages() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const wanted = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
  const missing = wanted.filter((name) => !fs.existsSync(path.join(root, 'node_modules', name, 'package.json')));
  if (missing.length === 0 && fs.existsSync(path.join(root, 'node_modules', 'esbuild', 'bin', 'esbuild'))) {
    return 'already installed';
  }
  say(
    `  npm ci (${missing.length} of ${wanted.length} missing${missing.length ? `: ${missing.slice(0, 3).join(', ')}…` : ''})`,
  );
  run('npm ci --no-audit --no-fund', root, { npm_config_update_notifier: 'false' });
  return 'installed';
}

function installDebianPackages(packages) {
  const missing = packages.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return 'already installed';
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Missing Debian packages: ${missing.join(' ')}. Install them: sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  const install = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  say(`  ${install}`);
  try {
    run(install, root, { DEBIAN_FRONTEND: 'noninteractive' });
  } catch {
    say('  apt-get update');
    run('apt-get update', root);
    run(install, root, { DEBIAN_FRONTEND: 'noninteractive' });
  }
  return `installed ${missing.join(', ')}`;
}

function installCodeServer() {
  if (codeServerReady()) return 'already installed';
  const dir = codeServerDir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'lld-code-server', private: true }, null, 2));
  const step = (text, command, cwd, env) => {
    say(`  ${text}`);
    run(command, cwd, env);
  };
  step(
    'npm install code-server (scripts off: its own downloads fail offline)',
    `npm install --no-audit --no-fund --ignore-scripts code-server@${CODE_SERVER} playwright-core@${PLAYWRIGHT}`,
    dir,
  );
  const vscodeDir = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  step("npm install VS Code's own packages", 'npm install --omit=dev --ignore-scripts --no-audit --no-fund', vscodeDir);
  // @vscode/ripgrep's postinstall downloads rg from GitHub unless bin/ exists: use Debian's.
  for (const ripgrep of [
    path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep'),
    path.join(dir, 'node_modules', '@vscode', 'ripgrep'),
  ]) {
    if (!fs.existsSync(ripgrep)) continue;
    fs.mkdirSync(path.join(ripgrep, 'bin'), { recursive: true });
    const rg = path.join(ripgrep, 'bin', 'rg');
    if (!fs.existsSync(rg)) fs.symlinkSync('/usr/bin/rg', rg);
  }
  step("code-server's postinstall", 'sh ./postinstall.sh', path.join(dir, 'node_modules', 'code-server'), {
    npm_config_user_agent: `npm/10 node/${process.version}`,
    npm_config_unsafe_perm: 'true',
  });
  // code-server's own argon2 would download a prebuilt binary; build it here instead.
  step('build argon2 from source', 'npm rebuild argon2 --build-from-source', dir);
  try {
    step("build VS Code's native modules", 'npm rebuild', vscodeDir);
  } catch {
    say('  npm rebuild reported an error (node-pty compile_commands fails offline); checking the native modules');
  }
  for (const [cwd, native] of [
    [vscodeDir, '@vscode/spdlog'],
    [vscodeDir, 'node-pty'],
    [vscodeDir, 'native-watchdog'],
    [vscodeDir, '@parcel/watcher'],
    [dir, 'argon2'],
  ]) {
    const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(native)})`], { cwd, encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(
        `code-server's native module ${native} did not build: ${probe.stderr.split('\n').slice(0, 3).join(' ')}`,
      );
    }
  }
  fs.writeFileSync(path.join(dir, '.ready'), CODE_SERVER);
  return 'installed';
}

const started = Date.now();
for (const [index, [name, action]] of steps.entries()) {
  const t0 = Date.now();
  say(`${index + 1}/${steps.length} ${name}…`);
  try {
    const outcome = action();
    say(`${index + 1}/${steps.length} ${name}: ${outcome} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (error) {
    say(`${index + 1}/${steps.length} ${name} FAILED: ${error.message}`);
    process.exit(1);
  }
}
say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
