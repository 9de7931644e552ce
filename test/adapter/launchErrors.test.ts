// A launch the adapter cannot carry out is answered with an error response carrying a
// stable id (src/adapter/errors.ts), never left unanswered: here the engine itself fails
// to start (its temp folder cannot be made), and a configuration is refused.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { codeRoot } from '../support/engine';
import { ErrorCodes } from '../../src/adapter/errors';

const ADAPTER = path.resolve(__dirname, '..', '..', 'dist', 'debugAdapter.js');

/** Sends a request and resolves with the response as it came, success or not. */
function request(dc: DebugClient, command: string, args: object): Promise<DebugProtocol.Response> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No response to ${command} in 15 s`)), 15_000);
    (dc as unknown as { doSend(c: string, a: object, done: (r: DebugProtocol.Response) => void): void }).doSend(
      command,
      args,
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
    );
  });
}

describe('the lambda debug adapter refusing a launch (DAP)', function () {
  this.timeout(30_000);
  let dc: DebugClient;
  let root: string;
  let notAFolder: string;

  async function start(env: NodeJS.ProcessEnv = process.env): Promise<void> {
    dc = new DebugClient('node', ADAPTER, 'lambda', { env });
    await dc.start();
    await dc.initializeRequest({ adapterID: 'lambda', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  }

  beforeEach(() => {
    root = codeRoot({ 'app.js': 'exports.handler = async () => "ok";' });
    notAFolder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lld-notdir-')), 'file');
    fs.writeFileSync(notAFolder, 'not a folder');
  });

  afterEach(async () => {
    await dc.stop();
    fs.rmSync(path.dirname(notAFolder), { recursive: true, force: true });
  });

  it('answers with EngineStartFailed when the engine throws while starting', async () => {
    // The engine makes its temp folder in os.tmpdir(): a file there makes it throw.
    await start({ ...process.env, TMPDIR: notAFolder });
    const response = await request(dc, 'launch', { handler: 'app.handler', root, cwd: root, runtime: 'nodejs20.x' });
    assert.equal(response.success, false);
    assert.match(response.message ?? '', /The Lambda engine could not start: .*(ENOTDIR|EEXIST|ENOENT)/);
    const error = (response as DebugProtocol.ErrorResponse).body.error!;
    assert.equal(error.id, ErrorCodes.EngineStartFailed);
    assert.equal(error.showUser, true);
    // The session is still answering: a custom request needing the function says so.
    const reconfigure = await request(dc, 'lambda/reconfigure', { memorySize: 256 });
    assert.equal((reconfigure as DebugProtocol.ErrorResponse).body.error!.id, ErrorCodes.NotLaunched);
  });

  it('answers a configuration it cannot run with InvalidLaunch', async () => {
    await start();
    const response = await request(dc, 'launch', { root, cwd: root });
    assert.equal(response.success, false);
    assert.equal((response as DebugProtocol.ErrorResponse).body.error!.id, ErrorCodes.InvalidLaunch);
    assert.match(response.message ?? '', /names no function/);
  });
});
