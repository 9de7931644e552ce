// The standalone `lambda` debug adapter (dist/debugAdapter.js) driven over DAP by the
// DebugClient of @vscode/debugadapter-testsupport, with real handlers in real processes:
// phase stops (held by the adapter, as with no line debugger), threads as environments,
// warm, cold and concurrent invokes, the clock paused while stopped, bad launch
// configurations, and nothing left behind on disconnect.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { codeRoot } from '../support/engine';
import { parentOf, processesWithVariable } from '../../scripts/lib/processes.mjs';
import { waitFor } from '../support/waitFor';

const ADAPTER = path.resolve(__dirname, '..', '..', 'dist', 'debugAdapter.js');

const HANDLER = `
let count = 0;
exports.handler = async (event, context) => {
  count++;
  require('fs').writeFileSync('/tmp/count.txt', String(count));
  if (event.wait) await new Promise((r) => setTimeout(r, event.wait));
  console.log('invocation', count);
  return { count, name: event.name ?? null, remaining: context.getRemainingTimeInMillis() };
};
process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
`;

/** Processes of environments whose code root is `root`. */
const environmentProcesses = (root: string) => processesWithVariable('LAMBDA_TASK_ROOT', root);

describe('the lambda debug adapter (DAP)', function () {
  this.timeout(60_000);
  let dc: DebugClient;
  let root: string;
  const output: string[] = [];

  beforeEach(async () => {
    root = codeRoot({
      'app.js': HANDLER,
      'events/hello.json': '{"name": "from file"}',
      'events/bad.json': '{"name": }',
    });
    dc = new DebugClient('node', ADAPTER, 'lambda');
    output.length = 0;
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await dc.start();
    await dc.initializeRequest({ adapterID: 'lambda', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  });

  afterEach(async () => {
    await dc.stop();
  });

  /** Launches with the given phase breakpoints set during configuration. */
  async function launch(args: Record<string, unknown>, filters: DebugProtocol.ExceptionFilterOptions[] = []) {
    const launched = dc.launchRequest({
      handler: 'app.handler',
      root,
      cwd: root,
      runtime: 'nodejs20.x',
      // These tests find the environment's processes by their host LAMBDA_TASK_ROOT, which
      // the kernel's sandbox turns into /var/task; kernelSandbox.test.ts covers that one.
      sandbox: 'portable',
      cpu: 'full',
      ...args,
    } as DebugProtocol.LaunchRequestArguments);
    launched.catch(() => undefined); // a refused launch is awaited by the test itself
    await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: filters });
    await dc.configurationDoneRequest();
    return launched;
  }

  const waitForOutput = (pattern: RegExp, timeoutMs = 20_000) =>
    waitFor(() => pattern.test(output.join('')), {
      timeoutMs,
      message: () => `output matching ${pattern} in:\n${output.join('')}`,
    });

  async function stopped(): Promise<DebugProtocol.StoppedEvent> {
    return (await dc.waitForEvent('stopped', 20_000)) as DebugProtocol.StoppedEvent;
  }

  async function frames(threadId: number): Promise<string[]> {
    const trace = await dc.stackTraceRequest({ threadId });
    return trace.body.stackFrames.map((f) => f.name);
  }

  it('stops on the Init and Invoke phases, shows the lifecycle as frames, and logs like CloudWatch', async () => {
    await launch({ event: 'events/hello.json' }, [{ filterId: 'init' }, { filterId: 'invoke' }]);
    const init = await stopped();
    assert.equal(init.body.description, 'Paused on the Init phase');
    const threadId = init.body.threadId!;
    const threads = await dc.threadsRequest();
    assert.deepEqual(
      threads.body.threads.map((t) => t.name),
      ['env 1 · cold · 0 invocations'],
    );
    assert.deepEqual(await frames(threadId), ['Init (cold)']);

    await dc.continueRequest({ threadId });
    const invoke = await stopped();
    assert.equal(invoke.body.description, 'Paused on the Invoke phase');
    const lifecycle = await frames(threadId);
    assert.equal(lifecycle[0], 'Invoke #1 (cold)');
    assert.match(lifecycle[1], /^Init \(cold, \d+ ms\)$/);

    const trace = await dc.stackTraceRequest({ threadId });
    const scopes = await dc.scopesRequest({ frameId: trace.body.stackFrames[0].id });
    assert.deepEqual(
      scopes.body.scopes.map((s) => s.name),
      ['Event', 'Context', 'Module state', '/tmp', 'Pending work', 'Last REPORT'],
    );
    const event = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
    assert.deepEqual(
      event.body.variables.map((v) => [v.name, v.value]),
      [['name', '"from file"']],
    );
    const moduleState = await dc.variablesRequest({ variablesReference: scopes.body.scopes[2].variablesReference });
    assert.deepEqual(
      moduleState.body.variables.map((v) => [v.name, v.value]),
      [['count', '0']],
      'after Init, before the first invocation',
    );

    await dc.continueRequest({ threadId });
    await waitForOutput(/REPORT RequestId: .*Init Duration/);
    // The result line and the REPORT line come from two sources: either may be first.
    await waitForOutput(/Result: /);
    const text = output.join('');
    assert.match(text, /START RequestId: [0-9a-f-]+ Version: \$LATEST/);
    assert.match(text, /\tINFO\tinvocation 1/);
    assert.match(text, /END RequestId/);
    assert.match(text, /Result: \{\n {2}"count": 1,\n {2}"name": "from file"/);
    // One line with Init's three parts after the cold start.
    assert.match(text, /env 1: Init \d+ ms = Extension 0 ms \+ Runtime \d+ ms \+ Function \d+ ms/);
  });

  it('with LogFormat JSON shows each record as its level and message, the record foldable; the banner names the credentials and region', async () => {
    const events: DebugProtocol.OutputEvent[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => events.push(e));
    await launch({ logFormat: 'JSON', credentials: 'none', region: 'eu-north-1' });
    await waitForOutput(/INFO {2}invocation 1/);
    await waitForOutput(/platform\.report \S+ success/);
    assert.match(output.join(''), /AWS credentials: none; region eu-north-1/);
    const line = events.find((e) => /INFO {2}invocation 1/.test(e.body.output))!;
    assert.ok(line.body.variablesReference, 'the record is foldable');
    const { body } = await dc.variablesRequest({ variablesReference: line.body.variablesReference! });
    const fields = Object.fromEntries(body.variables.map((v) => [v.name, v.value]));
    assert.equal(fields.level, '"INFO"');
    assert.equal(fields.message, '"invocation 1"');
    assert.match(fields.requestId, /^"[0-9a-f-]{36}"$/);
    assert.match(fields.timestamp, /^"\d{4}-/);
  });

  it('masks a profile’s credentials in the Variables view, and the banner names the profile and its region', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-adapter-aws-'));
    fs.writeFileSync(path.join(dir, 'config'), '[profile dev]\nregion = eu-south-1\n');
    fs.writeFileSync(
      path.join(dir, 'credentials'),
      '[dev]\naws_access_key_id = AKIADEVKEY000001\naws_secret_access_key = dev-secret-value\n',
    );
    // The adapter resolves credentials in its own process: one started with these files.
    await dc.stop();
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_CONFIG_FILE: path.join(dir, 'config') };
    env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    delete env.AWS_REGION;
    delete env.AWS_PROFILE;
    dc = new DebugClient('node', ADAPTER, 'lambda', { env });
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await dc.start();
    await dc.initializeRequest({ adapterID: 'lambda', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    root = codeRoot({
      'app.js': `const kept = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
exports.handler = async () => kept.id.length;`,
    });
    try {
      await launch({ profile: 'dev' }, [{ filterId: 'invoke' }]);
      const { body } = await stopped();
      const trace = await dc.stackTraceRequest({ threadId: body.threadId! });
      const scopes = await dc.scopesRequest({ frameId: trace.body.stackFrames[0].id });
      const moduleState = scopes.body.scopes.find((s) => s.name === 'Module state')!;
      const kept = (await dc.variablesRequest({ variablesReference: moduleState.variablesReference })).body.variables;
      const keptRef = kept.find((v) => v.name === 'kept')!.variablesReference;
      const fields = (await dc.variablesRequest({ variablesReference: keptRef })).body.variables;
      const shown = Object.fromEntries(fields.map((v) => [v.name, v.value]));
      assert.equal(shown.id, '"AKIA************"');
      assert.equal(shown.secret, '"********"');
      await dc.continueRequest({ threadId: body.threadId! });
      await waitForOutput(/Result: 16/);
      assert.match(output.join(''), /AWS credentials: profile dev; region eu-south-1/);
      assert.doesNotMatch(output.join(''), /dev-secret-value|AKIADEVKEY000001/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('invokes warm in the same environment and cold in a new one (a second thread); conditions pick warm or cold', async () => {
    await launch({}, [{ filterId: 'invoke', condition: 'warm' }]);
    await waitForOutput(/"count": 1/); // the first, cold invocation does not stop
    const stop = stopped();
    await dc.customRequest('lambda/invoke', { event: { name: 'second' } });
    const warm = await stop;
    assert.equal(warm.body.text, 'Invoke phase (warm)');
    assert.equal((await frames(warm.body.threadId!))[0], 'Invoke #2 (warm)');
    await dc.continueRequest({ threadId: warm.body.threadId! });
    await waitForOutput(/"count": 2,\n {2}"name": "second"/);

    await dc.customRequest('lambda/invoke', { cold: true, event: { name: 'cold' } });
    await waitForOutput(/"count": 1,\n {2}"name": "cold"/); // module state starts over in a new environment
    const threads = await dc.threadsRequest();
    assert.deepEqual(threads.body.threads.map((t) => t.name).sort(), [
      'env 1 · warm · 2 invocations',
      'env 2 · warm · 1 invocation',
    ]);
    const snapshot = await dc.customRequest('lambda/snapshot');
    assert.deepEqual(
      snapshot.body.invocations.map((i: { environmentId: string; cold: boolean }) => [i.environmentId, i.cold]),
      [
        ['env-1', true],
        ['env-1', false],
        ['env-2', true],
      ],
    );
  });

  it('runs concurrent invocations in separate environments, shown as threads', async () => {
    await launch({ event: { wait: 400 } });
    await waitForOutput(/"count": 1/);
    await Promise.all([dc.customRequest('lambda/invoke', {}), dc.customRequest('lambda/invoke', {})]);
    await waitForOutput(/Result[\s\S]*Result[\s\S]*Result/);
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.length, 2, JSON.stringify(threads.body.threads));
  });

  it('does not count time stopped at a phase toward the timeout', async () => {
    await launch({ timeout: 1 }, [{ filterId: 'invoke' }]);
    const stop = await stopped();
    await new Promise((r) => setTimeout(r, 1500)); // longer than the 1 s timeout
    await dc.continueRequest({ threadId: stop.body.threadId! });
    await waitForOutput(/Result:/);
    const text = output.join('');
    assert.doesNotMatch(text, /Task timed out/);
    const remaining = Number(/"remaining": (\d+)/.exec(text)![1]);
    assert.ok(remaining > 800, `getRemainingTimeInMillis() was ${remaining}`);
  });

  it('stops on the Shutdown phase when an environment is shut down, then ends it', async () => {
    await launch({}, [{ filterId: 'shutdown' }]);
    await waitForOutput(/"count": 1/);
    const before = environmentProcesses(root).length; // the environment, and a spare process started ahead
    const stopping = stopped();
    await dc.customRequest('lambda/shutdown', {});
    const stop = await stopping;
    assert.equal(stop.body.description, 'Paused on the Shutdown phase');
    // The top frame says what Lambda does: with no extension registered, no SIGTERM.
    assert.match(
      (await frames(stop.body.threadId!))[0],
      /^Shutdown: no SIGTERM listener runs \(with no extension registered, Lambda sends the runtime no SIGTERM/,
    );
    const exited = new Promise<DebugProtocol.ThreadEvent>((resolve) =>
      dc.on('thread', (e: DebugProtocol.ThreadEvent) => e.body.reason === 'exited' && resolve(e)),
    );
    await dc.continueRequest({ threadId: stop.body.threadId! });
    assert.equal((await exited).body.threadId, stop.body.threadId);
    await waitFor(() => environmentProcesses(root).length < before, {
      timeoutMs: 5000,
      message: 'the environment process to end',
    });
    assert.equal(environmentProcesses(root).length, before - 1);
    assert.deepEqual((await dc.threadsRequest()).body.threads, []);
  });

  it('runs the same lifecycle with no stops without debugging (Ctrl+F5)', async () => {
    const stops: unknown[] = [];
    dc.on('stopped', (e) => stops.push(e));
    await launch({ noDebug: true, event: { name: 'no debug' } }, [{ filterId: 'init' }, { filterId: 'invoke' }]);
    await waitForOutput(/"name": "no debug"/);
    await dc.customRequest('lambda/invoke', {});
    await waitForOutput(/"count": 2/);
    assert.deepEqual(stops, []);
    assert.match(output.join(''), /Init Duration/);
  });

  it('shows console.error as an error and a structured (JSON) log line folded under its message', async () => {
    fs.writeFileSync(
      path.join(root, 'logs.js'),
      [
        'exports.handler = async () => {',
        "  console.error('something failed');",
        "  process.stdout.write(JSON.stringify({ timestamp: 't1', level: 'INFO', message: 'structured', orderId: 7 }) + '\\n');",
        "  return 'ok';",
        '};',
      ].join('\n'),
    );
    const events: DebugProtocol.OutputEvent[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => events.push(e));
    await launch({ handler: 'logs.handler', noDebug: true });
    await waitForOutput(/Result: "ok"/);
    const error = events.find((e) => e.body.output.includes('something failed'));
    assert.equal(error?.body.category, 'stderr');
    assert.match(error!.body.output, /\tERROR\tsomething failed/);
    const structured = events.find((e) => e.body.output.includes('structured'));
    assert.equal(structured?.body.output, 'INFO  structured\n');
    assert.ok(structured?.body.variablesReference, 'folded under its message');
    const fields = await dc.variablesRequest({ variablesReference: structured!.body.variablesReference! });
    assert.deepEqual(
      fields.body.variables.map((v) => `${v.name}=${v.value}`),
      ['timestamp="t1"', 'level="INFO"', 'message="structured"', 'orderId=7'],
    );
  });

  it('reports an error from the handler in the Debug Console and stays alive for the next invoke', async () => {
    const failing = codeRoot({
      'app.js': 'exports.handler = async (e) => { if (e.fail) throw new TypeError("bad order"); return "ok"; };',
    });
    await launch({ root: failing, cwd: failing, event: { fail: true } });
    await waitForOutput(/TypeError: bad order/);
    await dc.customRequest('lambda/invoke', { event: {} });
    await waitForOutput(/Result: "ok"/);
  });

  it("runs the function on its runtime's Node (not the host's), and the banner says which", async () => {
    const versions = codeRoot({ 'app.js': 'exports.handler = async () => process.version;' });
    await launch({ root: versions, cwd: versions, runtime: 'nodejs24.x' });
    await waitForOutput(/\(nodejs24\.x on Node\.js v24\.\d+\.\d+, 128 MB/);
    await waitForOutput(/Result: "v24\./);
  });

  it('runs on the host Node when asked, with the warning in the Debug Console and as a provisioning event', async () => {
    const versions = codeRoot({ 'app.js': 'exports.handler = async () => process.version;' });
    const runtime = process.version.startsWith('v24.') ? 'nodejs22.x' : 'nodejs24.x';
    const provisioning = dc.waitForEvent('lambda/provisioning', 20_000);
    await launch({ root: versions, cwd: versions, runtime, runtimeExecutable: 'host' });
    await waitForOutput(new RegExp(`Result: "${process.version.replace(/\./g, '\\.')}"`));
    assert.match(output.join(''), /runs on Node.js \d+ on Lambda; this session runs it on this machine's Node.js/);
    const event = (await provisioning) as DebugProtocol.Event;
    assert.equal(event.body.stage, 'warning');
  });

  const badLaunches: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no handler', { handler: undefined }, /names no function: set "handler"/],
    ['a missing handler file', { handler: 'nothere.handler' }, /No file for the handler "nothere.handler"/],
    [
      'malformed event JSON',
      { event: 'events/bad.json' },
      /Malformed event JSON in events\/bad.json at line 1, column 10/,
    ],
    ['a missing event file', { event: 'events/none.json' }, /The event file events\/none.json does not exist/],
    [
      'a Node that is not installed',
      { runtimeExecutable: '/nonexistent/node' },
      /Cannot run Node.js as "\/nonexistent\/node".*runtimeExecutable/,
    ],
    ['an unknown runtime', { runtime: 'nodejs8.10' }, /nodejs8.10/],
    [
      'a missing template',
      { handler: undefined, template: 'template.yaml', function: 'F' },
      /Template template.yaml does not exist/,
    ],
  ];
  for (const [label, args, message] of badLaunches) {
    it(`refuses a launch with ${label}, saying what to fix, and starts nothing`, async () => {
      const launched = launch(args);
      await assert.rejects(launched, (error: Error) => {
        assert.match(error.message, message);
        return true;
      });
      assert.deepEqual(environmentProcesses(root), []);
    });
  }

  it('ends every environment, process and temp folder on disconnect', async () => {
    await launch({});
    await waitForOutput(/"count": 1/);
    await Promise.all([
      dc.customRequest('lambda/invoke', { event: { wait: 300 } }),
      dc.customRequest('lambda/invoke', { event: { wait: 300 } }),
    ]);
    await waitForOutput(/Result[\s\S]*Result[\s\S]*Result/);
    assert.ok(environmentProcesses(root).length >= 2);
    // This adapter's engine folders, named after its pid (the environments' parent): other
    // test workers on the machine make folders of their own meanwhile.
    const adapters = new Set(environmentProcesses(root).map(parentOf));
    const ours = () =>
      fs.readdirSync(os.tmpdir()).filter((n) => [...adapters].some((pid) => n.startsWith(`lambda-lifecycle-${pid}-`)));
    assert.ok(ours().length > 0, 'the session has its engine folder');
    await dc.disconnectRequest({});
    assert.deepEqual(environmentProcesses(root), []);
    assert.deepEqual(ours(), []);
  });
});
