// The typed ids of src/ui/contributions.ts against package.json: every command, setting
// and view the code names is contributed, and every contributed one is named in the code.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, ContextKeys, Settings, Views } from '../../src/ui/contributions';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('contributed ids', () => {
  it('names exactly the commands package.json contributes', () => {
    const contributed = (manifest.contributes.commands as Array<{ command: string }>).map((c) => c.command).sort();
    assert.deepEqual(Object.values(Commands).sort(), contributed);
  });

  it('names exactly the settings package.json contributes, the trace setting with its levels', () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.values(Settings).sort(), Object.keys(properties).sort());
    assert.deepEqual(properties[Settings.trace].enum, ['off', 'messages', 'verbose']);
  });

  it('names the views, and the context key the toolbar menus use', () => {
    const views = (manifest.contributes.views.lambdaLifecycle as Array<{ id: string }>).map((v) => v.id).sort();
    assert.deepEqual(Object.values(Views).sort(), views);
    const whens = (manifest.contributes.menus['debug/toolBar'] as Array<{ when: string }>).map((m) => m.when);
    assert.ok(whens.every((w) => w === ContextKeys.active));
  });

  it('runs where the workspace is (the engine starts processes there)', () => {
    assert.deepEqual(manifest.extensionKind, ['workspace']);
  });
});
