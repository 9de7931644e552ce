// Installs the project's npm dependencies when they are missing (a fresh clone), so that
// `npm start` and `npm test` work as the first command on a new machine.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const ready = existsSync('node_modules/.package-lock.json') && existsSync('node_modules/esbuild/bin/esbuild');
if (!ready) {
  console.log('Installing dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
