// The one rule for a host folder's place in Lambda's filesystem (engine/lambdaLayout.ts),
// used for TypeScript transpiled ahead, the Init profile's paths and the import CodeLens.

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { lambdaPath } from '../../src/engine/lambdaLayout';

describe('lambdaPath', () => {
  const home = path.resolve('/home/me');
  const folders = {
    root: path.join(home, 'app'),
    layers: [path.join(home, 'layers', 'one'), path.join(home, 'layers', 'two')],
    runtimeModulesDir: path.join(home, '.cache', 'aws-sdk', 'node_modules'),
  };

  it('names the code at /var/task, each layer at /opt and the runtime SDK at /var/runtime/node_modules', () => {
    assert.equal(lambdaPath(path.join(home, 'app', 'src', 'a.ts'), folders), '/var/task/src/a.ts');
    assert.equal(lambdaPath(path.join(home, 'app'), folders), '/var/task');
    assert.equal(lambdaPath(path.join(home, 'app', '..data', 'd.json'), folders), '/var/task/..data/d.json');
    assert.equal(
      lambdaPath(path.join(home, 'layers', 'two', 'nodejs', 'node_modules', 'x', 'index.js'), folders),
      '/opt/nodejs/node_modules/x/index.js',
    );
    assert.equal(
      lambdaPath(path.join(folders.runtimeModulesDir, '@aws-sdk', 'client-s3', 'index.js'), folders),
      '/var/runtime/node_modules/@aws-sdk/client-s3/index.js',
    );
  });

  it('leaves a path outside them, or a sibling that only starts with the same letters', () => {
    const outside = path.join(home, 'other', 'b.js');
    assert.equal(lambdaPath(outside, folders), outside);
    const sibling = path.join(home, 'app2', 'c.js');
    assert.equal(lambdaPath(sibling, folders), sibling);
    assert.equal(lambdaPath(sibling, { ...folders, runtimeModulesDir: null }), sibling);
  });
});
