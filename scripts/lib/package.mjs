// Packages the extension as one .vsix per platform (`vsce package --target`): esbuild's
// binary, which the Node runtime uses to transpile TypeScript handlers, is platform
// specific, so each package carries only its own. Each package is staged in
// out/package/TARGET with only what a user needs: the minified bundles (no source maps),
// media/, the manifest, README, CHANGELOG, LICENSE, esbuild's JavaScript API with the
// target's binary, and the codicon font. Other targets' binaries come from the npm registry.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** vsce's targets and the esbuild binary package each one needs. */
export const TARGETS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'linux-armhf': 'linux-arm',
  'alpine-x64': 'linux-x64',
  'alpine-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};

/** The vsce target of this machine. */
export function hostTarget() {
  const arch = process.arch === 'arm' ? 'armhf' : process.arch;
  return `${process.platform}-${arch}`;
}

const copy = (from, to) => fs.cpSync(path.join(projectRoot, from), to, { recursive: true, dereference: true });

/** The esbuild binary package for `target`: this machine's copy, or the registry's. */
function esbuildBinaryPackage(target, version, into) {
  const name = `@esbuild/${TARGETS[target]}`;
  const local = path.join(projectRoot, 'node_modules', name);
  if (
    fs.existsSync(path.join(local, 'package.json')) &&
    JSON.parse(fs.readFileSync(path.join(local, 'package.json'), 'utf8')).version === version
  ) {
    fs.cpSync(local, into, { recursive: true, dereference: true });
    return;
  }
  const download = fs.mkdtempSync(path.join(projectRoot, 'out', 'esbuild-'));
  try {
    const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', download], {
      encoding: 'utf8',
    }).trim();
    fs.mkdirSync(into, { recursive: true });
    execFileSync('tar', ['xzf', path.join(download, tarball), '-C', into, '--strip-components=1']);
  } finally {
    fs.rmSync(download, { recursive: true, force: true });
  }
}

/** Stages and packages the extension for `target`; returns the .vsix path and its sizes. */
export function packageExtension({ target = hostTarget() } = {}) {
  if (!TARGETS[target]) throw new Error(`Unknown target ${target}; one of: ${Object.keys(TARGETS).join(', ')}`);
  const stage = path.join(projectRoot, 'out', 'package', target);
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(stage, { recursive: true });
  execFileSync(process.execPath, ['esbuild.mjs', '--production', '--outdir', path.join(stage, 'dist')], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  for (const key of ['devDependencies', 'scripts', 'allowScripts']) delete manifest[key];
  // The rest is bundled into dist/: what stays a dependency is what ships in node_modules.
  manifest.dependencies = Object.fromEntries(
    Object.entries(manifest.dependencies).filter(([name]) => ['esbuild', '@vscode/codicons'].includes(name)),
  );
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media'])
    copy(file, path.join(stage, file));
  const modules = path.join(stage, 'node_modules');
  const esbuild = JSON.parse(
    fs.readFileSync(path.join(projectRoot, 'node_modules', 'esbuild', 'package.json'), 'utf8'),
  );
  copy('node_modules/esbuild/package.json', path.join(modules, 'esbuild', 'package.json'));
  copy('node_modules/esbuild/lib', path.join(modules, 'esbuild', 'lib'));
  esbuildBinaryPackage(target, esbuild.version, path.join(modules, '@esbuild', TARGETS[target]));
  for (const file of ['package.json', 'dist/codicon.css', 'dist/codicon.ttf']) {
    copy(`node_modules/@vscode/codicons/${file}`, path.join(modules, '@vscode', 'codicons', file));
  }
  const vsix = path.join(projectRoot, 'out', `lambda-lifecycle-debugger-${target}.vsix`);
  fs.rmSync(vsix, { force: true });
  execFileSync(
    path.join(projectRoot, 'node_modules', '.bin', 'vsce'),
    [
      'package',
      '--dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--target',
      target,
      '-o',
      vsix,
    ],
    { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // The listing's last line: the total size of the files once installed.
  const listing = execFileSync('unzip', ['-l', vsix], { encoding: 'utf8' }).trim().split('\n');
  const unpackedBytes = Number(listing.at(-1).trim().split(/\s+/)[0]);
  return { vsix, target, packedBytes: fs.statSync(vsix).size, unpackedBytes };
}
