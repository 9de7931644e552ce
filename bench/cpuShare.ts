// `npm run bench -- cpu` (also part of the full bench): CPU follows memory. A CPU-bound
// handler (a fixed loop) runs warm at 128, 512 and 1,769 MB, under each CPU-share
// mechanism this machine has (a cgroup quota, the portable duty cycle); each size's median
// Duration is compared with 1,769 MB's in the same run. Lambda's ratios: 1,769 / 128 ≈ 13.8,
// 1,769 / 512 ≈ 3.5. On a loaded machine a full core is rarely free, so the 1,769 MB
// baseline is slowed too and the ratios come out lower; so each size also prints the CPU
// time the handler obtained per ms of Duration (process.cpuUsage inside the handler), the
// vCPUs it really had, against Lambda's memory / 1,769.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../src/engine/engine';
import { withDefaults } from '../src/config/functionConfig';
import { MB_PER_VCPU } from '../src/engine/sandbox/cpuShare';

const SIZES = [128, 512, 1769];
const ROUNDS = 5;
/** The loop, and the CPU time it took (user + system, ms) as its result. */
const LOOP = `exports.handler = async () => {
  const start = process.cpuUsage();
  let x = 0;
  for (let i = 0; i < 60_000_000; i++) x = (x + i * 7) % 1_000_003;
  const used = process.cpuUsage(start);
  return { x, cpuMs: (used.user + used.system) / 1000 };
};`;

const pctOff = (value: number, goal: number) => `${value >= goal ? '+' : ''}${((value / goal - 1) * 100).toFixed(0)} %`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median warm Duration per memory size, and which mechanism held the share. */
async function durations(sandbox: 'auto' | 'portable', root: string) {
  const byMemory = new Map<number, number>();
  /** CPU time obtained per ms of Duration: the vCPUs the environment really had. */
  const vcpus = new Map<number, number>();
  let enforcedBy = 'none';
  for (const memorySizeMB of SIZES) {
    const engine = new Engine({ prestart: false, cpu: 'share', sandbox });
    engine.on((event) => {
      if (event.type === 'environmentCreated' && memorySizeMB < MB_PER_VCPU && event.cpu)
        enforcedBy = event.cpu.enforcedBy;
    });
    try {
      const pool = engine.pool(withDefaults({ root, handler: 'index.handler', memorySizeMB, timeoutSeconds: 120 }));
      await pool.invoke('{}');
      const runs: number[] = [];
      const shares: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const { report, result } = await pool.invoke('{}');
        runs.push(report.durationMs);
        shares.push((result as { cpuMs: number }).cpuMs / report.durationMs);
      }
      byMemory.set(memorySizeMB, median(runs));
      vcpus.set(memorySizeMB, median(shares));
    } finally {
      await engine.close();
    }
  }
  return { byMemory, vcpus, enforcedBy };
}

export async function cpuShareBench(): Promise<string[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-bench-cpu-'));
  fs.writeFileSync(path.join(root, 'index.js'), LOOP);
  const lines: string[] = [];
  try {
    for (const sandbox of ['auto', 'portable'] as const) {
      const { byMemory, vcpus, enforcedBy } = await durations(sandbox, root);
      const full = byMemory.get(1769)!;
      const parts = SIZES.map(
        (mb) => `${mb} MB p50 ${byMemory.get(mb)!.toFixed(0)} ms (${vcpus.get(mb)!.toFixed(3)} vCPU obtained)`,
      );
      lines.push(`cpu share (${enforcedBy})  ${parts.join(', ')}`);
      for (const mb of [128, 512]) {
        const ratio = byMemory.get(mb)! / full;
        const goal = MB_PER_VCPU / mb;
        lines.push(
          `  ${mb} MB / 1769 MB duration ratio ${ratio.toFixed(2)}x (Lambda ${goal.toFixed(2)}x, ${pctOff(ratio, goal)}); ` +
            `CPU obtained ${vcpus.get(mb)!.toFixed(3)} vCPU (Lambda ${(1 / goal).toFixed(3)}, ${pctOff(vcpus.get(mb)!, 1 / goal)})`,
        );
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return lines;
}
