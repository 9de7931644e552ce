// Tune Memory's Apply into a template: one property of one SAM function written, every
// other character of the template as it was (comments, quoting, tags, order), in YAML and
// in JSON templates; the result read back by the template reader.

import { strict as assert } from 'node:assert';
import { setFunctionProperty } from '../../src/config/settingsEdit';
import { parseSamTemplate } from '../../src/config/sam';
import { findFunction, readFunctions } from '../../src/config';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const YAML = `# Orders service
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    MemorySize: 256 # everyone
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler   # keep me
      Runtime: nodejs22.x
      MemorySize: 128 # was small
      Environment:
        Variables:
          TABLE: !Ref Table
  Report:
    Type: AWS::Serverless::Function
    Properties:
        CodeUri: "report/"
        Handler: index.handler
        MemorySize: !Ref ReportMemory
  Quiet:
    Type: AWS::Serverless::Function
    Properties: { Handler: quiet.handler, Runtime: nodejs22.x }
`;

/** The lines that differ between two texts (same line count assumed unless inserted). */
function changedLines(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((line) => !old.has(line));
}

describe("Tune Memory's Apply into a template", () => {
  it('replaces the value of an existing MemorySize, its comment kept', () => {
    const next = setFunctionProperty(YAML, 'template.yaml', 'Orders', 'MemorySize', 512);
    assert.deepEqual(changedLines(YAML, next), ['      MemorySize: 512 # was small']);
    assert.equal(next.split('\n').length, YAML.split('\n').length);
  });

  it('replaces a tagged value (!Ref) with the number', () => {
    const next = setFunctionProperty(YAML, 'template.yaml', 'Report', 'MemorySize', 1769);
    assert.deepEqual(changedLines(YAML, next), ['        MemorySize: 1769']);
  });

  it("adds the property under Properties with its indentation where the function had none (over Globals')", () => {
    const noMemory = YAML.replace('      MemorySize: 128 # was small\n', '');
    const next = setFunctionProperty(noMemory, 'template.yaml', 'Orders', 'MemorySize', 1024);
    assert.equal(
      next,
      noMemory.replace('      Handler: app.handler', '      MemorySize: 1024\n      Handler: app.handler'),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-template-'));
    try {
      fs.writeFileSync(path.join(dir, 'template.yaml'), next);
      const orders = findFunction(readFunctions(path.join(dir, 'template.yaml')), 'Orders');
      assert.equal(orders.config.memorySizeMB, 1024);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds the property to a flow-style Properties', () => {
    const next = setFunctionProperty(YAML, 'template.yaml', 'Quiet', 'MemorySize', 256);
    assert.equal(findFunction(parseSamTemplate(next, 'template.yaml'), 'Quiet').config.memorySizeMB, 256);
    assert.match(next, /Quiet:[\s\S]*MemorySize: 256/);
    assert.deepEqual(changedLines(YAML, next), [
      '    Properties: { Handler: quiet.handler, Runtime: nodejs22.x, MemorySize: 256 }',
    ]);
    const empty = YAML.replace('{ Handler: quiet.handler, Runtime: nodejs22.x }', '{}');
    assert.match(
      setFunctionProperty(empty, 'template.yaml', 'Quiet', 'MemorySize', 256),
      /Properties: \{MemorySize: 256\}/,
    );
  });

  it('edits a JSON template as JSON, keeping its indentation', () => {
    const json = JSON.stringify(
      { Resources: { Orders: { Type: 'AWS::Serverless::Function', Properties: { Handler: 'app.handler' } } } },
      null,
      4,
    );
    const added = setFunctionProperty(json, 'template.json', 'Orders', 'MemorySize', 512);
    assert.deepEqual(JSON.parse(added).Resources.Orders.Properties, { Handler: 'app.handler', MemorySize: 512 });
    assert.match(added, /\n {16}"MemorySize": 512/);
    const replaced = setFunctionProperty(added, 'template.json', 'Orders', 'MemorySize', 2048);
    assert.deepEqual(changedLines(added, replaced), ['                "MemorySize": 2048']);
  });

  it('says what is wrong with a template it cannot edit', () => {
    assert.throws(
      () => setFunctionProperty(YAML, 'template.yaml', 'Missing', 'MemorySize', 512),
      /No Resources\.Missing\.Properties/,
    );
    assert.throws(() => setFunctionProperty('a: [', 'template.yaml', 'Orders', 'MemorySize', 512), /does not parse/);
  });
});
