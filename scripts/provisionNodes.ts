// Setup step: puts a Node.js of each given major into the per-user cache, and the AWS SDK
// packages the tests import into the runtime's copy of the SDK there, so that no test
// downloads anything. A progress line per download on stderr; what is already on the
// machine or in the cache is reused.
//
//   node --import tsx scripts/provisionNodes.ts 22 24

import { resolveNode } from '../src/provision/nodeBinary';
import { installRuntimePackages } from '../src/provision/runtimeSdk';

/** The SDK packages test/engine/runtimeSdk.test.ts imports without bundling them. */
const SDK_PACKAGES = ['@aws-sdk/client-s3', '@aws-sdk/client-dynamodb'];

async function main(): Promise<void> {
  const majors = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['18', '20', '22', '24'];
  for (const major of majors) {
    const node = await resolveNode(`nodejs${major}.x`, {
      progress: (message) => process.stderr.write(`[setup]   ${message}\n`),
    });
    process.stderr.write(`[setup]   nodejs${major}.x: Node.js ${node.version} (${node.source}, ${node.path})\n`);
  }
  // The runtimes' SDK copies: nodejs18.x's is its own (frozen; provision/runtimeSdk.ts).
  const sdkMajors = new Set(majors.map((major) => (Number(major) <= 18 ? Number(major) : undefined)));
  for (const major of sdkMajors) {
    await installRuntimePackages(SDK_PACKAGES, (message) => process.stderr.write(`[setup]   ${message}\n`), major);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[setup]   ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
