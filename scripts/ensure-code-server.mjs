// Makes a real VS Code available for the extension-host and end-to-end tests and for
// `npm start`: code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20,
// with the built-in JavaScript debugger) and playwright-core, in .vscode-test/code-server,
// plus Debian's chromium. Follows ../shared/REAL-VSCODE.md: these machines reach only
// the npm registry and Debian, so code-server's own downloads are replaced by Debian's
// ripgrep. Idempotent; prints a JSON line with the paths at the end.

import { execSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '4.100.3';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, '.vscode-test', 'code-server');
const marker = path.join(dir, '.ready');
const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const playwright = path.join(dir, 'node_modules', 'playwright-core');
const chromium = '/usr/bin/chromium';

const log = (text) => process.stderr.write(`[code-server] ${text}\n`);
const run = (command, cwd, env = {}) => {
  log(`${command}  (in ${path.relative(root, cwd) || '.'})`);
  execSync(command, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
};

function aptInstall(packages) {
  const missing = packages.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0)
    throw new Error(
      `Missing Debian packages: ${missing.join(' ')}. Install them: sudo apt-get install -y ${missing.join(' ')}`,
    );
  try {
    run(`apt-get install -y --no-install-recommends ${missing.join(' ')}`, root, { DEBIAN_FRONTEND: 'noninteractive' });
  } catch {
    run('apt-get update', root);
    run(`apt-get install -y --no-install-recommends ${missing.join(' ')}`, root, { DEBIAN_FRONTEND: 'noninteractive' });
  }
}

function install() {
  aptInstall(['libkrb5-dev', 'ripgrep', 'chromium']);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'lld-code-server', private: true }, null, 2));
  run(`npm install --no-audit --no-fund --ignore-scripts code-server@${VERSION} playwright-core@1.49.1`, dir);
  const vscodeDir = path.join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  run('npm install --omit=dev --ignore-scripts --no-audit --no-fund', vscodeDir);
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
  run('sh ./postinstall.sh', path.join(dir, 'node_modules', 'code-server'), {
    npm_config_user_agent: `npm/10 node/${process.version}`,
    npm_config_unsafe_perm: 'true',
  });
  // code-server's own argon2 would download a prebuilt binary; build it here instead.
  run('npm rebuild argon2 --build-from-source', dir);
  try {
    run('npm rebuild', vscodeDir);
  } catch {
    log('npm rebuild reported an error (node-pty compile_commands fails offline); checking the native modules');
  }
  for (const native of ['@vscode/spdlog', 'node-pty', 'native-watchdog', '@parcel/watcher']) {
    const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(native)})`], {
      cwd: vscodeDir,
      encoding: 'utf8',
    });
    if (probe.status !== 0)
      throw new Error(
        `code-server's native module ${native} did not build: ${probe.stderr.split('\n').slice(0, 3).join(' ')}`,
      );
  }
  const argon2 = spawnSync(process.execPath, ['-e', 'require("argon2")'], { cwd: dir, encoding: 'utf8' });
  if (argon2.status !== 0)
    throw new Error(`code-server's argon2 did not build: ${argon2.stderr.split('\n').slice(0, 3).join(' ')}`);
  fs.writeFileSync(marker, VERSION);
}

if (!(fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === VERSION && fs.existsSync(entry))) {
  const started = Date.now();
  try {
    install();
  } catch (error) {
    log(`failed: ${error.message}`);
    process.exit(1);
  }
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
} else {
  aptInstall(['chromium']);
}
process.stdout.write(JSON.stringify({ entry, playwright, chromium }) + '\n');
