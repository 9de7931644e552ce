// Architectures: a function configured for the other instruction set runs on the host's,
// the log says so once, and a native module built for another machine fails with a line
// that names the cause.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeRoot, fn, withEngine } from '../support/engine';
import { hostArchitecture } from '../../src/engine/architecture';

const other = hostArchitecture() === 'arm64' ? 'x86_64' : 'arm64';

/** The start of an ELF file of the other word size: dlopen refuses it as a foreign binary. */
function foreignElf(): string {
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header[4] = process.arch === 'x64' || process.arch === 'arm64' ? 1 : 2; // the other ELF class
  header[5] = 1;
  header[6] = 1;
  return header.toString('latin1');
}

describe('Architectures', () => {
  it('runs on the host’s architecture and says so once, in the first Init’s log', async () => {
    const root = codeRoot({ 'app.js': 'exports.handler = async () => process.arch;' });
    await withEngine({}, async ({ engine }) => {
      const pool = engine.pool(fn(root, 'app.handler', { architecture: other }));
      const first = await pool.invoke('{}');
      const cold = await pool.invoke('{}', { cold: true });
      assert.equal(first.result, process.arch);
      assert.match(first.initLogs ?? '', new RegExp(`configured for ${other}; it runs on this machine's`));
      assert.doesNotMatch(cold.initLogs ?? '', /configured for/);
    });
  });

  it('a native module built for another machine fails with a line naming the cause', async () => {
    const root = codeRoot({ 'app.js': "require('./addon.node'); exports.handler = async () => 1;" });
    fs.writeFileSync(path.join(root, 'addon.node'), Buffer.from(foreignElf(), 'latin1'));
    await withEngine({}, async ({ engine }) => {
      const result = await engine.pool(fn(root, 'app.handler', { architecture: other })).invoke('{}');
      assert.equal(result.status, 'error');
      const logs = `${result.initLogs ?? ''}${result.logs}`;
      assert.match(logs, /addon\.node is a native module built for another architecture than this machine's/);
      assert.match(logs, /npm rebuild/);
    });
  });
});
