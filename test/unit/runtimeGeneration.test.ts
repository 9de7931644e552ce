// Unit tests of the runtime client generation a runtime follows (src/runtimes/node/generation.ts):
// nodejs18.x–22.x the official client's 3.x rules, nodejs24.x and later its 4.x rules.

import { strict as assert } from 'node:assert';
import { generationOf } from '../../src/runtimes/node/generation';

describe('runtime client generation', () => {
  it('maps runtimes and AWS_EXECUTION_ENV values to 3.x or 4.x', () => {
    assert.equal(generationOf('nodejs18.x'), '3.x');
    assert.equal(generationOf('AWS_Lambda_nodejs22.x'), '3.x');
    assert.equal(generationOf('nodejs24.x'), '4.x');
    assert.equal(generationOf('AWS_Lambda_nodejs24.x'), '4.x');
    assert.equal(generationOf('AWS_Lambda_nodejs26.x'), '4.x');
    assert.equal(generationOf(undefined), '3.x');
  });
});
