// The differential suite: every handler of the corpus runs through our engine twice per
// generation, once with our Node runtime (nodejs22.x → the 3.x rules, nodejs24.x → 4.x) and
// once with the official AWS runtime interface client (npm aws-lambda-ric 3.x / 4.x, built
// by scripts/setup.mjs) started as a provided.al2023 bootstrap, both on the same Node major.
// Compared: status, response, errorType, errorMessage of the first invocation, whether
// the next one is cold, and the log of both (Init's and each invocation's lines, request ids,
// times, durations and pids masked, the code root as <root>, the runtime client's own stack
// frames as one `at <runtime client>`). Every difference is listed in a table; the suite fails on any that
// is not in the documented allow-list. The rules encoded in the corpus (`expect`) are checked
// against ours always and against the official client when it runs; without the oracle the
// comparison says why and skips.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { strict as assert } from 'node:assert';
import { codeRoot, fn, withEngine } from '../support/engine';
import { resolveNode } from '../../src/provision/nodeBinary';
import { cacheDirectory } from '../../src/provision/cache';
import type { NodeRuntimeId } from '../../src/config/functionConfig';
import type { Engine } from '../../src/engine/engine';
import { CORPUS, type DifferentialCase, type Outcome } from './corpus';

type Generation = '3.x' | '4.x';

const GENERATIONS: Array<{ generation: Generation; runtime: NodeRuntimeId; version: string }> = [
  { generation: '3.x', runtime: 'nodejs22.x', version: '3.3.0' },
  { generation: '4.x', runtime: 'nodejs24.x', version: '4.0.2' },
];

/** Differences that are known and why; anything else fails the suite. */
const ALLOWED: Array<{ generation: Generation; name: string; field: keyof Outcome; reason: string }> = [
  {
    generation: '3.x',
    name: 'never-settling promise',
    field: 'status',
    reason:
      'npm aws-lambda-ric 3.3.0 answers null; the repository (main, after 3.3.0, as Lambda runs it) reports Runtime.NodeJsExit, which we follow',
  },
  { generation: '3.x', name: 'never-settling promise', field: 'response', reason: 'as above' },
  { generation: '3.x', name: 'never-settling promise', field: 'errorType', reason: 'as above' },
  { generation: '3.x', name: 'never-settling promise', field: 'errorMessage', reason: 'as above' },
  { generation: '3.x', name: 'never-settling promise', field: 'logs', reason: 'as above (our Invoke Error line)' },
  ...(
    [
      'callback handler',
      'callback handler error',
      'callback called twice',
      'callback with a circular response',
    ] as const
  ).map((name) => ({
    generation: '3.x' as const,
    name,
    field: 'logs' as const,
    reason:
      "our Init WARN for callback handlers: the repository's main (after npm 3.3.0, as Lambda runs it) logs it, " +
      'WarningForCallbackHandlers.js',
  })),
  ...(['context.fail with no error', 'context.succeed with a circular response'] as const).map((name) => ({
    generation: '3.x' as const,
    name,
    field: 'logs' as const,
    reason:
      "the logged error's stack: the official client makes and logs it inside context.fail/succeed (the handler's " +
      'frame on it); ours once the invocation has settled',
  })),
  ...(['3.x', '4.x'] as const).map((generation) => ({
    generation,
    name: 'streaming handler that throws',
    field: 'logs' as const,
    reason:
      "V8 names the anonymous streaming handler after the official client's property it is called through " +
      '(Runtime.handler, StreamingInvokeProcessor.handler); ours calls it through a local',
  })),
  ...(['status', 'response', 'errorType', 'errorMessage', 'nextCold', 'logs'] as const).map((field) => ({
    generation: '3.x' as const,
    name: 'uncaught exception in a timer during init',
    field,
    reason:
      'open (timing): a timer armed during Init fires once the environment is thawed; the official client has its next event ' +
      'in flight (native worker) and answers it first, its late /init/error is never acknowledged; ours reports the ' +
      'exception and exits 129',
  })),
  ...(['unhandled rejection during init', 'uncaught exception in a timer during init'] as const).flatMap((name) =>
    (['status', 'errorMessage', 'logs'] as const).map((field) => ({
      generation: '4.x' as const,
      name,
      field,
      reason:
        "open (timing): the process ends (exit status 1) right after Init; the official client's native next has already " +
        'reached the Runtime API, so the exit counts against the first invocation; ours has not asked yet: an Init failure',
    })),
  ),
  // The timer's exception races the official client's first event: sometimes the event is
  // answered (success, response 1, a warm next) before the exception ends the process.
  ...(['response', 'errorType', 'nextCold'] as const).map((field) => ({
    generation: '4.x' as const,
    name: 'uncaught exception in a timer during init',
    field,
    reason:
      "open (timing): the official client's first event can be answered before the Init timer's exception ends its " +
      'process (seen once on a fresh clone: success, response 1); ours exits with the exception first, every run',
  })),
  // The streamed errors ('streaming handler that is not async', '… that throws') differed under
  // load because the official 4.x client asks for the next event once its streamed error is
  // written, before our Runtime API had read its end: that `next` ended the invocation as an
  // empty success, whether or not our server had begun to read the response. Fixed
  // (runtimeApiServer.ts; test/engine/handlers.test.ts shows it). The streamed success, once
  // seen differing on a loaded machine, agreed in every run since (also under two busy loops).
];

/** DIFFERENTIAL_CASE=<part of a case name> runs those cases only and prints both outcomes. */
const ONLY = process.env.DIFFERENTIAL_CASE ?? '';

/** Our CLI and engine refuse a handler string that is not `file.export` or holds `..` before an
 * environment starts; the official client gets it and reports Runtime.MalformedHandlerName. */
const REFUSED = 'refused by our configuration';

interface Oracle {
  entry: string | null;
  why: string;
}

function oracleFor(version: string): Oracle {
  const folder = path.join(cacheDirectory(), 'ric-oracle');
  const ready = path.join(folder, version, 'ready.json');
  if (fs.existsSync(ready)) {
    const { entry } = JSON.parse(fs.readFileSync(ready, 'utf8')) as { entry: string };
    if (fs.existsSync(entry)) return { entry, why: '' };
  }
  const unavailable = path.join(folder, 'unavailable.txt');
  const why = fs.existsSync(unavailable)
    ? fs.readFileSync(unavailable, 'utf8').trim()
    : `aws-lambda-ric ${version} is not built (node scripts/setup.mjs builds it)`;
  return { entry: null, why };
}

/** The official client started as Lambda's own entry starts it: 3.x's `run(taskRoot, handler)`
 * called from a file of our own, not through the npm package's command-line wrapper
 * (bin/index.mjs), which logs an `Executing '…' in function directory '…'` line that Lambda's
 * runtime does not. (`node -e` would leave `module` and `require` on globalThis.) */
function bootstrapScript(node: string, entry: string, runtime: string): string {
  const wrapper = path.join('bin', 'index.mjs');
  let script = entry;
  if (entry.endsWith(wrapper)) {
    const run = pathToFileURL(path.join(path.dirname(path.dirname(entry)), 'dist', 'index.mjs')).href;
    const folder = codeRoot({
      [ENTRY_FILE]: `import { run } from ${JSON.stringify(run)};\nawait run(process.cwd(), process.argv[2]);\n`,
    });
    script = path.join(folder, ENTRY_FILE);
  }
  return [
    '#!/bin/sh',
    `export AWS_EXECUTION_ENV=AWS_Lambda_${runtime}`,
    `exec ${JSON.stringify(node)} ${JSON.stringify(script)} "$_HANDLER"`,
    '',
  ].join('\n');
}

const ENTRY_FILE = 'lambda-runtime-entry.mjs';

function normalise(text: string, root: string): string {
  return (
    text
      .split(fs.realpathSync(root))
      .join('<root>')
      .split(root)
      .join('<root>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
      // A require stack ends in the runtime client's own file (/var/runtime/index.mjs on Lambda).
      .replace(/^- (?!<root>).*$/gm, '- <runtime client>')
  );
}

/** Where each client's own code is: frames there are the runtime client's, not the function's. */
const RUNTIME_FRAME =
  /^(?:node:|\/var\/runtime\/|file:\/\/\/var\/runtime\/)|\/ric-oracle\/|\/dist\/runtime\/|\/lambda-runtime-entry\.mjs$/;

/** One stack frame, as a log line or as an element of a JSON `stack` array (util.inspect
 * ends the last one with ` {` when the error has fields of its own). */
const FRAME = /^( +at )(?:(.*?) \(|async )?((?:file:\/\/)?[^\s()]+?|native|<anonymous>)(?::\d+:\d+)?\)?( \{)?$/;

/** The function's log as both clients can be compared on it: ids, times and durations
 * masked, the code root (or Lambda's /var/task) as <root>, and each run of frames in the
 * runtime client's own code (which differs by nature) as one `at <runtime client>`. */
function normaliseLog(text: string, root: string): string {
  const masked = normalise(text.replace(/\/var\/task(?=[/:)"'\s])/g, '<root>'), root)
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
    .replace(/\b(Duration|Billed Duration|Max Memory Used|Init Duration): [\d.]+/g, '$1: <n>')
    .replace(/\(node:\d+\)/g, '(node:<pid>)');
  // A require stack's last entry is the runtime client's own file, in messages too.
  const requireStack = (text: string) => text.replace(/^- (?!<root>).*$/gm, '- <runtime client>');
  const isRuntimeFrame = (line: string) => /^ +at <runtime client>( \{)?$/.test(line);
  const frames = (lines: string[]) => {
    const out: string[] = [];
    for (const line of lines) {
      const match = FRAME.exec(line);
      const text = match && RUNTIME_FRAME.test(match[3]) ? `${match[1]}<runtime client>${match[4] ?? ''}` : line;
      if (isRuntimeFrame(text) && out.length > 0 && isRuntimeFrame(out[out.length - 1])) out[out.length - 1] = text;
      else out.push(text);
    }
    return out;
  };
  // Frames on their own lines (console output) and in the `stack` of a logged error's JSON.
  return frames(masked.split('\n'))
    .map((line) =>
      line.replace(/(?<=^|\t)(\{.*\})$/, (whole, json: string) => {
        try {
          return JSON.stringify(JSON.parse(json), (key, value: unknown) =>
            (key === 'stack' || key === 'stackTrace') && Array.isArray(value)
              ? frames(value.map((line) => requireStack(String(line))))
              : typeof value === 'string'
                ? frames(requireStack(value).split('\n')).join('\n')
                : value,
          );
        } catch {
          return whole;
        }
      }),
    )
    .join('\n');
}

async function run(engine: Engine, root: string, testCase: DifferentialCase, runtime: string, name: string) {
  let pool: ReturnType<Engine['pool']>;
  try {
    pool = engine.pool(
      fn(root, testCase.handler, { runtime: runtime as NodeRuntimeId, name, environment: testCase.environment ?? {} }),
    );
  } catch (error) {
    // Our configuration refuses some input before anything runs (documented; see REFUSED).
    const refused = `${REFUSED}: ${error instanceof Error ? error.message : String(error)}`;
    return { status: refused, response: '', errorType: '', errorMessage: '', nextCold: '', logs: '' };
  }
  const payload = JSON.stringify(testCase.event ?? {});
  const first = await pool.invoke(payload);
  const second = await pool.invoke(payload);
  const outcome: Outcome = {
    status: first.status,
    response: first.status === 'success' ? JSON.stringify(first.result) : '',
    errorType: first.error?.errorType ?? '',
    errorMessage: first.error?.errorMessage ?? '',
    nextCold: String(second.cold),
    logs: [first.initLogs ?? '', first.logs, second.initLogs ?? '', second.logs].join(''),
  };
  for (const key of Object.keys(outcome) as Array<keyof Outcome>) {
    outcome[key] = key === 'logs' ? normaliseLog(outcome[key], root) : normalise(outcome[key], root);
  }
  return outcome;
}

/** The expected fields an outcome does not have, one line each. */
function unmet(name: string, expected: Partial<Outcome>, actual: Outcome): string[] {
  return (Object.keys(expected) as Array<keyof Outcome>)
    .filter((field) => expected[field] !== actual[field])
    .map(
      (field) => `${name} ${field}: expected ${JSON.stringify(expected[field])}, got ${JSON.stringify(actual[field])}`,
    );
}

/** Logs: the first line where the two differ (line number and text of each). */
function firstDifferentLine(ours: string, theirs: string): [string, string] {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return [`${at + 1}: ${a[at] ?? '(end)'}`, `${at + 1}: ${b[at] ?? '(end)'}`];
}

const clip = (text: string, width: number) =>
  process.env.DIFFERENTIAL_WIDE ? text : text.length > width ? text.slice(0, width - 1) + '…' : text;

describe('differential: our Node runtime against the official runtime interface client', function () {
  this.timeout(900_000);

  for (const { generation, runtime, version } of GENERATIONS) {
    it(`${runtime} follows the ${generation} rules encoded from the official client's source`, async function () {
      const node = await resolveNode(runtime, { searchMachine: false });
      const failures: string[] = [];
      await withEngine({ nodeExecutable: node.path }, async ({ engine }) => {
        for (const [index, testCase] of CORPUS.entries()) {
          const expected = testCase.expect?.[generation];
          if (!expected || (ONLY && !testCase.name.includes(ONLY))) continue;
          const mine = await run(engine, codeRoot(testCase.files), testCase, runtime, `rules-${index}`);
          failures.push(...unmet(testCase.name, expected, mine));
        }
      });
      assert.deepEqual(failures, [], `${runtime}: rules not followed`);
    });

    it(`${runtime} behaves as aws-lambda-ric ${version} (${generation}) on every handler of the corpus`, async function () {
      const oracle = oracleFor(version);
      if (!oracle.entry) {
        console.log(`    oracle not available: ${oracle.why}`);
        this.skip();
      }
      const node = await resolveNode(runtime, { searchMachine: false });
      const rows: string[][] = [];
      const unexplained: string[] = [];
      const wrongExpectations: string[] = [];
      let compared = 0;
      await withEngine({ nodeExecutable: node.path }, async ({ engine }) => {
        for (const [index, testCase] of CORPUS.entries()) {
          if (ONLY && !testCase.name.includes(ONLY)) continue;
          compared++;
          const ours = codeRoot(testCase.files);
          const theirs = codeRoot(
            { ...testCase.files, bootstrap: bootstrapScript(node.path, oracle.entry!, runtime) },
            ['bootstrap'],
          );
          const [mine, official] = await Promise.all([
            run(engine, ours, testCase, runtime, `ours-${index}`),
            run(engine, theirs, testCase, 'provided.al2023', `official-${index}`),
          ]);
          if (ONLY) console.log(JSON.stringify({ case: testCase.name, ours: mine, official }, null, 2));
          // The encoded expectations must hold for the official client itself.
          const expected = testCase.expect?.[generation];
          if (expected) wrongExpectations.push(...unmet(testCase.name, expected, official));
          for (const field of Object.keys(mine) as Array<keyof Outcome>) {
            if (mine[field] === official[field]) continue;
            const allowed = mine.status.startsWith(REFUSED)
              ? { reason: 'refused before it runs (documented)' }
              : ALLOWED.find((a) => a.generation === generation && a.name === testCase.name && a.field === field);
            const [ourText, theirText] =
              field === 'logs' ? firstDifferentLine(mine.logs, official.logs) : [mine[field], official[field]];
            rows.push([testCase.name, field, ourText, theirText, allowed ? `allowed: ${allowed.reason}` : '']);
            if (!allowed) unexplained.push(`${testCase.name} ${field}`);
          }
        }
      });
      console.log(
        `    ${runtime} (Node ${node.version}) vs aws-lambda-ric ${version}: ${compared} handlers, ${rows.length} differences`,
      );
      if (rows.length) {
        console.log(['case', 'field', 'ours', 'official', 'note'].join(' | '));
        for (const row of rows) console.log(row.map((cell, i) => clip(cell, i === 4 ? 60 : 70)).join(' | '));
      }
      assert.deepEqual(wrongExpectations, [], 'expectations in corpus.ts that the official client does not meet');
      assert.deepEqual(unexplained, [], 'differences from the official client');
    });
  }
});
