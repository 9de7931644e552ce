// The oracle of the differential suite (test/differential): the official AWS Lambda Node.js
// runtime interface client (npm `aws-lambda-ric`), 3.x for nodejs18.x–22.x and 4.x for
// nodejs24.x, installed once into the per-user cache by scripts/setup.mjs. Its Runtime API
// client is a native addon (rapid-client.cc over aws-lambda-cpp and a static curl): the
// package's own preinstall script builds those two from the sources it ships (cmake,
// autotools, g++ from Debian), and the addon is compiled here with g++ against npm's
// `node-addon-api` and the headers of the Node running the setup (<prefix>/include/node;
// node-gyp would download them from nodejs.org, which these machines cannot reach). The
// addon uses N-API only, so it loads in Node 22 and 24 alike. Linux only, as on Lambda.
// Each version's folder gets `ready.json` when complete; the suite runs it from there.

import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The versions the suite compares with, by generation. */
export const RIC_ORACLES = { '3.x': '3.3.0', '4.x': '4.0.2' };
const NODE_ADDON_API = '8.9.2';

/** In the per-user cache, as src/provision/cache.ts places it (LLD_CACHE_DIR moves it). */
export const oracleRoot = () =>
  process.env.LLD_CACHE_DIR
    ? path.join(path.resolve(process.env.LLD_CACHE_DIR), 'ric-oracle')
    : path.join(
        process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
        'lambda-lifecycle-debugger',
        'ric-oracle',
      );

const run = (command, cwd) => execSync(command, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

function unpack(spec, into, work) {
  const tgz = execSync(`npm pack --silent ${spec}`, { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
  fs.mkdirSync(into, { recursive: true });
  run(`tar xzf ${JSON.stringify(path.join(work, tgz))} -C ${JSON.stringify(into)} --strip-components=1`, work);
}

/** Builds both oracles (idempotent); returns a line per version. Throws with the reason. */
export function installRicOracles() {
  if (process.platform !== 'linux') throw new Error('the official client builds on Linux only');
  for (const tool of ['cmake', 'g++', 'make', 'autoreconf', 'libtoolize']) {
    try {
      execSync(`command -v ${tool}`, { stdio: 'ignore', shell: '/bin/sh' });
    } catch {
      throw new Error(`${tool} is missing (apt-get install cmake g++ make autoconf automake libtool libuv1-dev)`);
    }
  }
  const nodeHeaders = path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node');
  if (!fs.existsSync(path.join(nodeHeaders, 'node_api.h'))) throw new Error(`Node's headers are not in ${nodeHeaders}`);
  const root = oracleRoot();
  const lines = [];
  const pending = Object.entries(RIC_ORACLES).filter(
    ([, version]) => !fs.existsSync(path.join(root, version, 'ready.json')),
  );
  if (pending.length === 0) return Object.values(RIC_ORACLES).map((v) => `aws-lambda-ric ${v}: already built`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ric-oracle-'));
  try {
    // The addon's sources and its dependencies are the same in 3.3.0 and 4.0.2: build once,
    // with the newest package's scripts and sources.
    const builder = path.join(work, 'builder');
    unpack(`aws-lambda-ric@${RIC_ORACLES['4.x']}`, builder, work);
    unpack(`node-addon-api@${NODE_ADDON_API}`, path.join(work, 'node-addon-api'), work);
    run('sh scripts/preinstall.sh', builder);
    const artifacts = path.join(builder, 'deps', 'artifacts');
    const addon = path.join(work, 'rapid-client.node');
    run(
      [
        'g++ -std=c++17 -O2 -fPIC -shared',
        `-I${nodeHeaders}`,
        `-I${path.join(work, 'node-addon-api')}`,
        `-I${path.join(artifacts, 'include')}`,
        path.join(builder, 'src', 'native', 'rapid-client.cc'),
        path.join(artifacts, 'lib', 'libaws-lambda-runtime.a'),
        path.join(artifacts, 'lib', 'libcurl.a'),
        `-pthread -o ${addon}`,
      ].join(' '),
      builder,
    );
    for (const [generation, version] of pending) {
      const target = path.join(root, version);
      fs.rmSync(target, { recursive: true, force: true });
      unpack(`aws-lambda-ric@${version}`, target, work);
      fs.rmSync(path.join(target, 'deps'), { recursive: true, force: true });
      // 3.x requires it next to dist/index.mjs, 4.x next to index.mjs; both start from the task root.
      const entry = generation === '3.x' ? path.join(target, 'bin', 'index.mjs') : path.join(target, 'index.mjs');
      const addonDir = generation === '3.x' ? path.join(target, 'dist') : target;
      fs.copyFileSync(addon, path.join(addonDir, 'rapid-client.node'));
      fs.writeFileSync(path.join(target, 'ready.json'), JSON.stringify({ version, generation, entry }) + '\n');
      lines.push(`aws-lambda-ric ${version} (${generation}): built into ${target}`);
    }
    return lines;
  } catch (error) {
    const stderr = error && error.stderr ? String(error.stderr).trim().split('\n').slice(-5).join(' | ') : '';
    throw new Error(`${error instanceof Error ? error.message.split('\n')[0] : String(error)} ${stderr}`.trim(), {
      cause: error,
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
