// The rewriting of host folders into Lambda's layout in stack text (runtimes/node/lambdaPaths.ts).

import { strict as assert } from 'node:assert';
import { lambdaPathRewriter } from '../../src/runtimes/node/lambdaPaths';

describe('lambdaPathRewriter', () => {
  const rewrite = lambdaPathRewriter([
    { real: '/home/me/app', lambda: '/var/task' },
    { real: '/home/me/app/layers/common', lambda: '/opt' },
    { real: '/home/me/my app', lambda: '/var/runtime' },
  ]);

  it('names the deepest folder that holds a path, as a path and as a file: URL', () => {
    assert.equal(
      rewrite(
        'Error: x\n    at f (/home/me/app/src/a.js:1:2)\n    at g (file:///home/me/app/layers/common/nodejs/b.mjs:3:4)',
      ),
      'Error: x\n    at f (/var/task/src/a.js:1:2)\n    at g (file:///opt/nodejs/b.mjs:3:4)',
    );
    assert.equal(
      rewrite('at h (file:///home/me/my%20app/node/bootstrap.js:9:9)'),
      'at h (file:///var/runtime/node/bootstrap.js:9:9)',
    );
    assert.equal(rewrite("open '/home/me/app'"), "open '/var/task'");
  });

  it('leaves a folder that only starts with the same letters', () => {
    assert.equal(rewrite('at f (/home/me/app2/a.js:1:2)'), 'at f (/home/me/app2/a.js:1:2)');
    assert.equal(rewrite('/home/me/application'), '/home/me/application');
  });
});
