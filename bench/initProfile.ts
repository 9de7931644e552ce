// The Init profile's own cost: cold starts of the examples and of a handler importing
// @aws-sdk/client-dynamodb (the runtime's SDK, from the per-user cache; CommonJS and ES
// module), with the profile and without, interleaved in the same run so that the machine's
// load weighs on both alike. Reports Function init medians and the profile's overhead as a
// share of Function init without it (goal < 10 %), two ways: the median of the back-to-back
// differences, and the difference of the fastest quarters (the 25th percentiles). On these
// shared machines load only ever adds time, and on a 2 ms Init one descheduling outweighs
// the profile; the fastest quarter of each side is where the load weighs least.
// `npm run bench -- init [name]` runs it alone, of the cases whose name contains `name`.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/engine/engine';
import { withDefaults, type FunctionConfig, type RuntimeId } from '../src/config/functionConfig';

const examples = path.join(__dirname, '..', 'examples');

interface Case {
  name: string;
  config: FunctionConfig;
}

function cases(): { cases: Case[]; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-bench-init-'));
  fs.writeFileSync(
    path.join(root, 'dynamo.js'),
    "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');\nconst client = new DynamoDBClient({});\nexports.handler = async () => typeof client.send;\n",
  );
  fs.writeFileSync(
    path.join(root, 'dynamoEsm.mjs'),
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst client = new DynamoDBClient({});\nexport const handler = async () => typeof client.send;\n",
  );
  const config = (dir: string, handler: string, runtime: RuntimeId = 'nodejs22.x') =>
    withDefaults({ root: dir, handler, runtime, memorySizeMB: 1769 });
  return {
    cases: [
      { name: 'examples/orders (CommonJS)', config: config(path.join(examples, 'orders'), 'app.handler') },
      { name: 'examples/greeter (ES module, TLA)', config: config(path.join(examples, 'greeter'), 'index.handler') },
      { name: 'examples/report (TypeScript)', config: config(path.join(examples, 'report'), 'src/report.handler') },
      { name: '@aws-sdk/client-dynamodb (require)', config: config(root, 'dynamo.handler') },
      { name: '@aws-sdk/client-dynamodb (import)', config: config(root, 'dynamoEsm.handler') },
      { name: '@aws-sdk/client-dynamodb (import, Node 20)', config: config(root, 'dynamoEsm.handler', 'nodejs20.x') },
    ],
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** The p-th percentile (0–100), interpolated between the two nearest values. */
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = ((sorted.length - 1) * p) / 100;
  const below = Math.floor(at);
  return sorted[below] + (sorted[Math.min(below + 1, sorted.length - 1)] - sorted[below]) * (at - below);
};
const median = (values: number[]) => percentile(values, 50);

export interface InitProfileFigures {
  name: string;
  withoutMs: number;
  withMs: number;
  /** The median of each round's difference (with − without, the two run back to back). */
  pairedDeltaMs: number;
  /** The 25th percentiles, without and with. */
  fastWithoutMs: number;
  fastWithMs: number;
  entries: number;
}

/** Function init medians with and without the profile, `rounds` cold starts each (of the
 * cases whose name contains `only`, when given). */
export async function initProfileBench(rounds = 31, only?: string): Promise<InitProfileFigures[]> {
  const { cases: every, cleanup } = cases();
  const all = only ? every.filter(({ name }) => name.includes(only)) : every;
  // The machine's full speed and the portable sandbox, so that both sides differ only by the profile.
  const common = { prestart: false, cpu: 'full' as const, sandbox: 'portable' as const };
  const plain = new Engine({ ...common, initProfile: false });
  const profiled = new Engine({ ...common, initProfile: true });
  const figures: InitProfileFigures[] = [];
  try {
    for (const { name, config } of all) {
      const pools = [plain.pool(config), profiled.pool(config)];
      // First starts fill the disk cache and the TypeScript cache.
      for (const pool of pools) {
        const first = await pool.invoke('{}');
        if (first.status !== 'success') throw new Error(`${name}: ${JSON.stringify(first.error)}`);
      }
      const without: number[] = [];
      const withProfile: number[] = [];
      let entries = 0;
      for (let i = 0; i < rounds; i++) {
        // Alternating which goes first.
        const order = i % 2 ? [1, 0] : [0, 1];
        for (const side of order) {
          const result = await pools[side].invoke('{}', { cold: true });
          const functionMs = result.initPhases?.functionMs ?? 0;
          if (side === 0) without.push(functionMs);
          else {
            withProfile.push(functionMs);
            entries = result.initProfile?.length ?? 0;
          }
        }
      }
      const deltas = without.map((ms, i) => withProfile[i] - ms);
      figures.push({
        name,
        withoutMs: median(without),
        withMs: median(withProfile),
        pairedDeltaMs: median(deltas),
        fastWithoutMs: percentile(without, 25),
        fastWithMs: percentile(withProfile, 25),
        entries,
      });
    }
  } finally {
    await Promise.all([plain.close(), profiled.close()]);
    cleanup();
  }
  return figures;
}

export function printInitProfile(figures: InitProfileFigures[]): void {
  const f = (n: number) => n.toFixed(2);
  const share = (ms: number, of: number) => `${((ms / of) * 100).toFixed(1)} %`;
  for (const figure of figures) {
    const { name, withoutMs, withMs, pairedDeltaMs, fastWithoutMs, fastWithMs, entries } = figure;
    const fastDelta = fastWithMs - fastWithoutMs;
    console.log(
      `Init profile, ${name.padEnd(42)} Function init p50 ${f(withoutMs)} without, ${f(withMs)} with (${entries} entries); ` +
        `paired difference p50 ${f(pairedDeltaMs)} = ${share(pairedDeltaMs, withoutMs)}; ` +
        `p25 ${f(fastWithoutMs)} → ${f(fastWithMs)} = ${share(fastDelta, fastWithoutMs)} (goal < 10 %)`,
    );
  }
}
