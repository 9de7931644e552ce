// CLI tests: the exact contract of `invoke` (JSON lines, exit codes, messages saying what
// to fix) and clean-up on Ctrl-C, run against dist/cli.js as other tools run it.

import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeRoot } from '../support/engine';

const CLI = path.join(__dirname, '../../dist/cli.js');
const run = (args: string[], input?: string, env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, env, timeout: 60_000 });

describe('lambda-lifecycle invoke', () => {
  const root = codeRoot({
    'app.js':
      'let n = 0; exports.handler = async (e) => { n++; console.log("got", e.x); if (e.fail) throw new Error("nope"); return { n, x: e.x }; };',
    'event.json': '{ "x": 7 }',
    'bad.json': '{\n  "x": 7,\n}',
  });

  it('prints one JSON line per invocation with the contract fields, warm after the first', () => {
    const r = run([
      'invoke',
      'app.handler',
      '--root',
      root,
      '--event',
      path.join(root, 'event.json'),
      '--times',
      '3',
      '--json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 3);
    for (const key of [
      'requestId',
      'environmentId',
      'cold',
      'initDurationMs',
      'durationMs',
      'billedDurationMs',
      'memorySizeMB',
      'maxMemoryUsedMB',
      'status',
      'result',
      'error',
      'logs',
    ]) {
      assert.ok(key in lines[0], key);
    }
    assert.deepEqual(
      lines.map((l) => l.cold),
      [true, false, false],
    );
    assert.deepEqual(
      lines.map((l) => l.result.n),
      [1, 2, 3],
    );
    assert.equal(typeof lines[0].initDurationMs, 'number');
    assert.equal(lines[1].initDurationMs, null);
    // Init in its three parts on the cold one, summing to its Init Duration; null when warm.
    const phases = lines[0].initPhases;
    assert.deepEqual(Object.keys(phases), ['extensionMs', 'runtimeMs', 'functionMs']);
    const sum = phases.extensionMs + phases.runtimeMs + phases.functionMs;
    assert.ok(Math.abs(sum - lines[0].initDurationMs) < 1, `${sum} vs ${lines[0].initDurationMs}`);
    assert.equal(lines[1].initPhases, null);
    assert.ok(!('initProfile' in lines[0]), 'no profile unless asked');
    assert.equal(lines[0].status, 'success');
    assert.match(lines[0].logs, /^START RequestId: .*\n.*\tINFO\tgot 7\nEND RequestId: .*\nREPORT RequestId: /);
    assert.match(r.stderr, /REPORT RequestId/);
  });

  it('with --init-profile, carries the modules Function init loaded, in load order, with Lambda paths', () => {
    const profiled = codeRoot({
      'app.js': "const util = require('./util'); exports.handler = async () => util;",
      'util.js': 'module.exports = 1;',
    });
    const r = run(['invoke', 'app.handler', '--root', profiled, '--times', '2', '--json', '--init-profile']);
    assert.equal(r.status, 0, r.stderr);
    const [cold, warm] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      cold.initProfile.map((e: { specifier: string; resolved: string; depth: number }) => [
        e.specifier,
        e.resolved,
        e.depth,
      ]),
      [
        ['./app.js', '/var/task/app.js', 0],
        ['./util', '/var/task/util.js', 1],
      ],
    );
    for (const entry of cold.initProfile) assert.ok(entry.totalMs >= entry.selfMs && entry.selfMs >= 0);
    assert.equal(warm.initProfile, null);
  });

  it('reads the event from stdin and runs concurrent invocations in separate environments', () => {
    const r = run(
      ['invoke', 'app.handler', '--root', root, '--event', '-', '--concurrency', '2', '--json'],
      '{"x": 1}',
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(new Set(lines.map((l) => l.environmentId)).size, 2);
  });

  it('exits 1 when an invocation fails', () => {
    const r = run(['invoke', 'app.handler', '--root', root, '--event', '-', '--json'], '{"fail": true}');
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(r.stdout).error.errorMessage, 'nope');
  });

  for (const [label, args, message] of [
    [
      'malformed event JSON',
      ['invoke', 'app.handler', '--root', root, '--event', path.join(root, 'bad.json')],
      /Malformed event JSON in .*bad\.json at line 3, column 1/,
    ],
    [
      'an unknown runtime',
      ['invoke', 'app.handler', '--root', root, '--runtime', 'nodejs8.10'],
      /Unknown runtime 'nodejs8.10'/,
    ],
    ['a missing template', ['invoke', '--template', path.join(root, 'nope.yaml')], /Template .* does not exist/],
    ['a handler with ..', ['invoke', '../app.handler', '--root', root], /is not a valid handler name/],
    [
      'a missing function',
      ['invoke', '--template', path.join(__dirname, '../../examples/template.yaml'), '--function', 'Nope'],
      /No function 'Nope'/,
    ],
  ] as const) {
    it(`exits 2 on ${label}, saying what to fix`, () => {
      const r = run([...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }

  it('runs each Node runtime on its own major, says which Node ran, and warns once with --node host', () => {
    const versions = codeRoot({ 'app.js': 'exports.handler = async () => process.version;' });
    const r = run(['invoke', 'app.handler', '--root', versions, '--runtime', 'nodejs24.x', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const line = JSON.parse(r.stdout);
    assert.match(line.result, /^v24\./);
    assert.equal(line.nodeVersion, line.result);

    const host = run([
      'invoke',
      'app.handler',
      '--root',
      versions,
      '--runtime',
      'nodejs24.x',
      '--node',
      'host',
      '--json',
    ]);
    assert.equal(host.status, 0, host.stderr);
    assert.equal(JSON.parse(host.stdout).result, process.version);
    if (!process.version.startsWith('v24.')) {
      assert.equal(host.stderr.match(/runs on Node.js 24 on Lambda; this session runs it on/g)?.length, 1, host.stderr);
    }
  });

  it("says what to do when the runtime's Node can be neither found nor fetched", () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-cli-cache-'));
    // No version manager's folders nor PATH to find a Node 18 in: it has to be fetched, and cannot.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LLD_CACHE_DIR: cache,
      HOME: cache,
      PATH: cache,
      NVM_DIR: cache,
      npm_config_registry: 'http://127.0.0.1:9/',
    };
    const r = run(['invoke', 'app.handler', '--root', root, '--runtime', 'nodejs18.x'], undefined, env);
    fs.rmSync(cache, { recursive: true, force: true });
    if (process.version.startsWith('v18.')) return;
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /Node.js 18 is needed for nodejs18.x.*--node PATH.*--node host/);
  });

  it('ends every process and removes its temp folders on Ctrl-C', async () => {
    const slow = codeRoot({
      'app.js':
        'exports.handler = async () => { console.log("started"); await new Promise(r => setTimeout(r, 60000)); };',
    });
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-cli-base-'));
    const child = spawn(process.execPath, [CLI, 'invoke', 'app.handler', '--root', slow, '--timeout', '60'], {
      env: { ...process.env, TMPDIR: base },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => d.toString().includes('started') && resolve()),
    );
    assert.equal(fs.readdirSync(base).length, 1, 'the engine folder exists while running');
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 130);
    assert.deepEqual(fs.readdirSync(base), []);
    fs.rmSync(base, { recursive: true, force: true });
  });
});
