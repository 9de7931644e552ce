// Installs the project's npm dependencies when any is missing (a fresh clone, or a
// dependency added since the last install), so that `npm start` and `npm test` work as
// the first command on a new machine.
import { existsSync, readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const wanted = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
const missing = wanted.filter((name) => !existsSync(`node_modules/${name}/package.json`));
if (missing.length > 0 || !existsSync('node_modules/esbuild/bin/esbuild')) {
  console.log(
    `Installing dependencies (npm ci)${missing.length ? `: ${missing.slice(0, 5).join(', ')} missing` : ''}…`,
  );
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
