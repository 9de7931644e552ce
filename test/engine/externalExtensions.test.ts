// External extensions' registration wait, on its own: it ends when every extension has
// registered (told by `changed()`, as the Extensions API server tells it) or exited, and
// at the limit otherwise; nothing is polled.

import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { codeRoot } from '../support/engine';
import { discoverExtensions, exitOf, ExternalExtensions } from '../../src/engine/externalExtensions';

describe('external extensions', () => {
  const layer = () =>
    codeRoot(
      {
        'extensions/quits': '#!/bin/sh\nexit 0\n',
        'extensions/stays': '#!/bin/sh\nexec sleep 30\n',
        'extensions/notes.txt/inside': 'a folder is no extension',
      },
      ['extensions/quits', 'extensions/stays'],
    );

  it('are the files in the layers’ extensions/ folders', () => {
    const found = discoverExtensions([layer()]).map((file) => file.split('/').pop());
    assert.deepEqual(found.sort(), ['quits', 'stays']);
  });

  it('are waited for until each has registered or exited, as soon as the last one does', async () => {
    const extensions = new ExternalExtensions();
    extensions.start(discoverExtensions([layer()]), { cwd: '/', env: {}, onOutput: () => undefined });
    let registered = 0;
    const started = performance.now();
    const waited = extensions.registered(() => registered, 20_000);
    // One exits on its own; the other registers.
    registered = 1;
    extensions.changed();
    await waited;
    assert.ok(performance.now() - started < 5000, 'ended by the registration, not the limit');
    const children = extensions.takeAll();
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map(exitOf));
  });

  it('are waited for no longer than the limit', async () => {
    const extensions = new ExternalExtensions();
    extensions.start(discoverExtensions([layer()]), { cwd: '/', env: {}, onOutput: () => undefined });
    const started = performance.now();
    await extensions.registered(() => 0, 300);
    assert.ok(performance.now() - started >= 290);
    const children = extensions.takeAll();
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map(exitOf));
  });
});
