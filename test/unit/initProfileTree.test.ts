// The Init profile as a tree (protocol/initProfileTree.ts): packages folded into their entry
// point, the user's files apart, heaviest first, and the hints where the cause is known.

import { strict as assert } from 'node:assert';
import { importLines, importsOf, onePathHint, packageOf, profileTree } from '../../src/protocol/initProfileTree';
import type { InitProfileEntry } from '../../src/protocol/engineEvents';

const e = (
  depth: number,
  specifier: string,
  resolved: string | null,
  selfMs: number,
  totalMs: number,
): InitProfileEntry => ({
  depth,
  specifier,
  resolved,
  selfMs,
  totalMs,
  kind: resolved ? 'commonjs' : 'await',
});

const sdkFiles = Array.from({ length: 25 }, (_, i) =>
  e(2, `./f${i}`, `/var/runtime/node_modules/@aws-sdk/client-dynamodb/dist-cjs/f${i}.js`, 4, 4),
);
const entries: InitProfileEntry[] = [
  e(0, './app.js', '/var/task/app.js', 2, 260),
  e(1, './db', '/var/task/db.js', 1, 141),
  e(2, '@aws-sdk/client-dynamodb', '/var/runtime/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js', 40, 140),
  ...sdkFiles.map((f) => ({ ...f, depth: 3 })),
  e(3, '@smithy/core', '/var/runtime/node_modules/@smithy/core/index.js', 0, 0),
  e(1, 'aws-sdk', '/var/task/node_modules/aws-sdk/lib/aws.js', 100, 110),
  e(2, './lib/core', '/var/task/node_modules/aws-sdk/lib/core.js', 10, 10),
  e(1, 'await (top level)', null, 7, 7),
];

describe('the Init profile tree', () => {
  it('knows the package of a path, scoped or not', () => {
    assert.equal(packageOf('/var/task/node_modules/a/b.js'), 'a');
    assert.equal(packageOf('/var/task/node_modules/x/node_modules/@s/c/i.js'), '@s/c');
    assert.equal(packageOf('/var/task/app.js'), null);
  });

  it('folds each package into its entry point, keeps the user’s files, and sorts the heaviest first', () => {
    const { roots, shownAt } = profileTree(entries);
    assert.equal(roots.length, 1);
    const app = roots[0];
    assert.deepEqual(
      app.children.map((n) => n.specifier),
      ['./db', 'aws-sdk', 'await (top level)'],
    );
    const [db, v2] = app.children;
    const client = db.children[0];
    assert.equal(client.specifier, '@aws-sdk/client-dynamodb');
    assert.equal(client.folded, 26, 'its 25 files and the @smithy package it loaded');
    assert.equal(client.children.length, 0);
    assert.equal(client.selfMs, 140);
    assert.equal(v2.folded, 1);
    // An inner module is shown at its package's entry point.
    assert.equal(shownAt[5], 2);
    assert.equal(shownAt[1], 1);
    assert.match(client.hints.join(), /26|27 files of @aws-sdk\/client-dynamodb/);
    assert.match(v2.hints.join(), /whole AWS SDK v2/);
    assert.deepEqual(db.hints, []);
  });

  it('lists what one file loaded directly, for its CodeLenses', () => {
    assert.deepEqual(
      importsOf(entries, '/var/task/app.js').map(({ index, entry }) => [index, entry.specifier]),
      [
        [1, './db'],
        [29, 'aws-sdk'],
      ],
    );
  });

  it('says when a heavy import is used on one line only', () => {
    const source =
      "const sharp = require('sharp');\nexports.handler = async (e) => {\n  if (e.resize) return sharp(e.image);\n};";
    assert.match(onePathHint(source, 'sharp', 300, 0)!, /line 3 only/);
    assert.equal(onePathHint(source, 'sharp', 10, 0), null, 'not heavy');
    assert.equal(onePathHint(source + '\nsharp.cache(false);', 'sharp', 300, 0), null, 'used twice');
  });

  it('finds the lines that import or require a specifier, and the name they bind', () => {
    const source = [
      "const db = require('./db');",
      "import sharp from 'sharp';",
      "import * as ddb from '@aws-sdk/client-dynamodb';",
      "import './side-effect.js';",
      "const { x } = require('./dbx');",
      "const later = () => import('./db');",
    ].join('\n');
    assert.deepEqual(importLines(source, './db'), [
      { line: 0, binding: 'db' },
      { line: 5, binding: 'later' },
    ]);
    assert.deepEqual(importLines(source, 'sharp'), [{ line: 1, binding: 'sharp' }]);
    assert.deepEqual(importLines(source, '@aws-sdk/client-dynamodb'), [{ line: 2, binding: 'ddb' }]);
    assert.deepEqual(importLines(source, './side-effect.js'), [{ line: 3, binding: null }]);
  });
});
