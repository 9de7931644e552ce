// Setup step: puts a Node.js of each given major (default: the runtimes' majors the host
// does not have) into the per-user cache, so that no test downloads anything. A progress
// line per download on stderr; a Node already on the machine or in the cache is reused.
//
//   node --import tsx scripts/provisionNodes.ts 22 24

import { resolveNode } from '../src/provision/nodeBinary';

async function main(): Promise<void> {
  const majors = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['18', '20', '22', '24'];
  for (const major of majors) {
    const node = await resolveNode(`nodejs${major}.x`, {
      progress: (message) => process.stderr.write(`[setup]   ${message}\n`),
    });
    process.stderr.write(`[setup]   nodejs${major}.x: Node.js ${node.version} (${node.source}, ${node.path})\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`[setup]   ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
