// What a launch configuration or the CLI gives, resolved to a function: the handler file
// checked before anything starts, event JSON errors with their line and column.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkEventJson, resolveFunction, CLI_NAMES } from '../../src/config/resolve';
import { findHandlerFile } from '../../src/config/handlerFile';

const LAUNCH = { template: '"template"', function: '"function"', handler: '"handler"', root: '"root"' };

describe('launch configuration', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-unit-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'app.ts'), 'export const handler = async () => 1;');
    fs.writeFileSync(path.join(root, 'index.mjs'), 'export const handler = async () => 1;');
    fs.writeFileSync(
      path.join(root, 'template.yaml'),
      'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: .\n      Handler: index.handler\n      Runtime: nodejs20.x\n      Timeout: 7\n',
    );
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds the handler file as the runtime will, and says what to fix when there is none', () => {
    assert.equal(findHandlerFile(root, 'src/app.handler'), path.join(root, 'src', 'app.ts'));
    assert.equal(findHandlerFile(root, 'index.handler'), path.join(root, 'index.mjs'));
    assert.throws(
      () => findHandlerFile(root, 'missing.handler'),
      /No file for the handler "missing.handler".*missing\.js, \.mjs/,
    );
    assert.throws(() => findHandlerFile(root, '../up.handler'), /contains "\.\."/);
    assert.throws(() => findHandlerFile(root, 'index'), /must be FILE\.EXPORT/);
  });

  it("resolves a template function with overrides, in the caller's own terms on error", () => {
    const config = resolveFunction(
      { template: 'template.yaml', function: 'Fn', memorySizeMB: 512, environment: { A: '1' } },
      root,
      LAUNCH,
    );
    assert.equal(config.timeoutSeconds, 7);
    assert.equal(config.memorySizeMB, 512);
    assert.equal(config.environment.A, '1');
    assert.throws(
      () => resolveFunction({ template: 'template.yaml', function: 'Nope' }, root, LAUNCH),
      /No function 'Nope'.*Use "function"/,
    );
    assert.throws(() => resolveFunction({ function: 'Fn' }, root, LAUNCH), /"function" needs "template"/);
    assert.throws(() => resolveFunction({}, root, CLI_NAMES), /Missing HANDLER/);
    assert.throws(() => resolveFunction({ handler: 'index.handler', memorySizeMB: 64 }, root, LAUNCH), /128/);
  });

  it('points at the line and column where event JSON goes wrong', () => {
    assert.equal(checkEventJson('  ', 'e.json'), '{}');
    assert.equal(checkEventJson('{"a": [1, 2]}', 'e.json'), '{"a": [1, 2]}');
    assert.throws(
      () => checkEventJson('{\n  "a": 1,\n  "b": }', 'e.json'),
      /Malformed event JSON in e\.json at line 3, column 8/,
    );
    assert.throws(() => checkEventJson('{"a": "x', 'e.json'), /at the end of the input/);
    assert.throws(() => checkEventJson('[1] [2]', 'e.json'), /at line 1, column 5/);
  });
});
