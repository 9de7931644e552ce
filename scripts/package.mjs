// `npm run package`: builds the .vsix for this machine's platform, or for the targets
// named (`-- --target darwin-arm64 --target win32-x64`), or for every target (`-- --all`),
// into out/, and prints each one's packed and unpacked size.

import { TARGETS, hostTarget, packageExtension, projectRoot } from './lib/package.mjs';
import * as path from 'node:path';

const argv = process.argv.slice(2);
const targets = argv.includes('--all')
  ? Object.keys(TARGETS)
  : argv.flatMap((arg, i) => (arg === '--target' ? [argv[i + 1]] : [])).filter(Boolean);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
for (const target of targets.length > 0 ? targets : [hostTarget()]) {
  const { vsix, packedBytes, unpackedBytes } = packageExtension({ target });
  console.log(
    `${target.padEnd(14)} ${path.relative(projectRoot, vsix)}  ${mb(packedBytes)} packed, ${mb(unpackedBytes)} unpacked`,
  );
}
