// The Init profile's marks in an ES module's source (runtimes/node/profileHooks.ts): the enter
// mark on the first line and the exit mark after the last, so that no line moves; a source
// map back to the file only when something reads it (a debugger, Node's source maps), and a
// module's own inline map shifted on its first line.

import { strict as assert } from 'node:assert';
import { ENTER_MARK, markSource, syncHooks } from '../../src/runtimes/node/profileHooks';

const SOURCE = "import x from './x.js';\nexport const handler = async () => x;\n";
const marked = (source: string) =>
  markSource('file:///var/task/app.mjs', { format: 'module', source }).source as string;

describe('the Init profile marks in ES module sources', () => {
  after(() => syncHooks('file:///nothing/', true));

  it('keeps every line where it was, and makes no source map when nothing reads one', () => {
    syncHooks('file:///nothing/', false);
    const out = marked(SOURCE);
    assert.ok(out.startsWith(ENTER_MARK + "import x from './x.js';\n"), out);
    assert.deepEqual(out.split('\n').slice(1, 2), SOURCE.split('\n').slice(1, 2));
    assert.doesNotMatch(out, /sourceMappingURL/);
    assert.match(out, /\?\.exit\(import\.meta\.url,null\);\n$/);
  });

  it('maps back to the file as written when a debugger or source maps read it', () => {
    syncHooks('file:///nothing/', true);
    const out = marked(SOURCE);
    const map = JSON.parse(
      Buffer.from(/sourceMappingURL=data:application\/json;base64,(\S+)/.exec(out)![1], 'base64').toString('utf8'),
    ) as { sourcesContent: string[]; mappings: string };
    assert.equal(map.sourcesContent[0], SOURCE);
    // Line 1 starts past the enter mark; the other lines map to themselves.
    assert.ok(map.mappings.startsWith(`${vlq(ENTER_MARK.length)}AAA;AACA`), map.mappings);
  });

  it('leaves CommonJS and our own files alone', () => {
    syncHooks('file:///runtime/', false);
    assert.equal(markSource('file:///var/task/a.js', { format: 'commonjs', source: 'x' }).source, 'x');
    assert.equal(markSource('file:///runtime/b.mjs', { format: 'module', source: 'x' }).source, 'x');
  });
});

function vlq(value: number): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let rest = value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += chars[digit];
  } while (rest > 0);
  return out;
}
