// The adapter's launch resolution (src/adapter/launchResolution.ts) without DAP: which
// function a launch configuration names, its event payload, and the Node it runs with,
// checked through a fake probe (no process is started), plus the adapter's frame ids.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  eventPayload,
  launchCwd,
  nodeExecutableFor,
  resolveLaunch,
  resolveLaunchConfig,
  type NodeProbe,
} from '../../src/adapter/launchResolution';
import { FrameHandles } from '../../src/adapter/frameHandles';
import { ErrorCodes, AdapterError, errorCodeOf } from '../../src/adapter/errors';
import { ConfigError } from '../../src/config/functionConfig';

const nodeVersion =
  (version: string): NodeProbe =>
  async () => ({ version });
const nodeMissing: NodeProbe = async () => ({ failure: 'ENOENT' });

describe('launch resolution', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-launch-'));
    fs.writeFileSync(path.join(root, 'app.js'), 'exports.handler = async () => 1;');
    fs.mkdirSync(path.join(root, 'events'));
    fs.writeFileSync(path.join(root, 'events', 'hello.json'), '{"name": "file"}');
    fs.writeFileSync(path.join(root, 'events', 'bad.json'), '{"name": }');
    fs.writeFileSync(
      path.join(root, 'template.yaml'),
      'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: .\n      Handler: app.handler\n      Runtime: nodejs20.x\n      MemorySize: 256\n',
    );
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('resolves a handler or a template function relative to cwd, with overrides', () => {
    const direct = resolveLaunchConfig({ handler: 'app.handler', root: '.', runtime: 'nodejs20.x', timeout: 9 }, root);
    assert.equal(direct.root, root);
    assert.equal(direct.timeoutSeconds, 9);
    const fromTemplate = resolveLaunchConfig({ template: 'template.yaml', function: 'Fn' }, root);
    assert.equal(fromTemplate.memorySizeMB, 256);
    assert.equal(launchCwd({ cwd: root }, '/elsewhere'), root);
    assert.equal(launchCwd({}, '/elsewhere'), '/elsewhere');
  });

  it('says what to fix in launch.json terms when the configuration names no function or a missing file', () => {
    assert.throws(
      () => resolveLaunchConfig({}, root),
      (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /names no function: set "handler"/);
        return true;
      },
    );
    assert.throws(
      () => resolveLaunchConfig({ handler: 'missing.handler', root: '.' }, root),
      /No file for the handler/,
    );
    assert.throws(
      () => resolveLaunchConfig({ function: 'Fn', handler: 'app.handler' }, root),
      /"function" needs "template"/,
    );
  });

  it('takes the event as nothing, JSON text, a file, or a value, and points at bad JSON', () => {
    assert.equal(eventPayload(undefined, root), '{}');
    assert.equal(eventPayload(null, root), '{}');
    assert.equal(eventPayload(' {"a": 1}', root), '{"a": 1}');
    assert.equal(JSON.parse(eventPayload('events/hello.json', root)).name, 'file');
    assert.equal(eventPayload({ b: [1] }, root), '{"b":[1]}');
    assert.equal(eventPayload(3, root), '3');
    assert.throws(() => eventPayload('events/none.json', root), /event file events\/none.json does not exist/);
    assert.throws(() => eventPayload('events/bad.json', root), /Malformed event JSON.*line 1/);
  });

  it('checks a given Node executable runs, and leaves the choice to the engine otherwise', async () => {
    // No runtimeExecutable: the engine finds or fetches a Node of the runtime's major.
    assert.equal(await nodeExecutableFor('nodejs24.x', undefined, nodeVersion('v20.11.1')), undefined);
    // A given Node of another major is used as asked (the engine logs a warning), not refused.
    assert.equal(await nodeExecutableFor('nodejs20.x', '/opt/node', nodeVersion('v18.0.0')), '/opt/node');
    assert.equal(await nodeExecutableFor('nodejs22.x', 'host', nodeMissing), 'host');
    await assert.rejects(
      nodeExecutableFor('nodejs20.x', '/nonexistent/node', nodeMissing),
      /Cannot run Node.js as "\/nonexistent\/node" \(ENOENT\).*runtimeExecutable/,
    );
    let probed = false;
    const probe: NodeProbe = async () => {
      probed = true;
      return { version: 'v1.0.0' };
    };
    assert.equal(await nodeExecutableFor('provided.al2023', undefined, probe), undefined);
    assert.equal(probed, false, 'a custom runtime runs no Node');
  });

  it('resolves a whole launch: cwd, function, payload and Node together', async () => {
    const resolved = await resolveLaunch(
      { handler: 'app.handler', runtime: 'nodejs20.x', cwd: root, event: 'events/hello.json' },
      nodeVersion('v20.1.0'),
    );
    assert.equal(resolved.cwd, root);
    assert.equal(resolved.config.handler, 'app.handler');
    assert.equal(JSON.parse(resolved.payload).name, 'file');
    assert.equal(resolved.nodeExecutable, undefined);
  });
});

describe('adapter ids', () => {
  it('gives frames distinct ids past 1,000 lifecycle entries, across environments', () => {
    const handles = new FrameHandles();
    const ids = new Map<number, string>();
    for (const environmentId of ['env-1', 'env-2']) {
      for (let index = 0; index < 1500; index++) {
        const id = handles.create({ environmentId, index });
        assert.ok(!ids.has(id), `frame id ${id} given twice`);
        ids.set(id, `${environmentId}/${index}`);
      }
    }
    for (const [id, key] of ids) {
      const ref = handles.get(id)!;
      assert.equal(`${ref.environmentId}/${ref.index}`, key);
    }
    assert.equal(handles.get(999_999), undefined);
  });

  it('maps errors to stable error ids', () => {
    assert.equal(errorCodeOf(new ConfigError('x'), ErrorCodes.InvalidLaunch), ErrorCodes.InvalidLaunch);
    assert.equal(errorCodeOf(new AdapterError(ErrorCodes.NoEnvironment, 'x'), ErrorCodes.InvalidRequest), 1005);
    assert.equal(errorCodeOf(new TypeError('bug'), ErrorCodes.InvalidRequest), ErrorCodes.InternalError);
  });
});
