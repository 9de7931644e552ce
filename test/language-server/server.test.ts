// The language server driven over stdio by a real LSP client (vscode-jsonrpc): every
// diagnostic found where it should be and not where it should not, quick fixes applied
// and checked, CodeLens, hover, settings, broken input, and the examples without alarms.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { CodeAction, CodeLens, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient, uri } from '../support/lspClient';

const TEMPLATE = `# Fixture functions: one per check.
Globals:
  Function:
    Runtime: nodejs20.x
    Environment:
      Variables:
        TABLE: orders
Resources:
  Good:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: good.handler
      Environment:
        Variables:
          BUCKET: !Sub 'bucket-\${AWS::Region}'
  Bad:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: bad.handler # keep this comment
  MissingFile:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: nothere.handler
  MissingExport:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: cb.missing
  Callback24:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: cb.handler
      Runtime: nodejs24.x
  Ranges:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: ranges.handler
      MemorySize: 64
      Timeout: 1000
      EphemeralStorage:
        Size: 100
  Budget:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: ranges.handler
      Environment:
        Variables:
          BIG: ${'x'.repeat(4200)}
`;

const GOOD = `const { S3Client } = require('@aws-sdk/client-s3');
const fs = require('fs');
const s3 = new S3Client({});
exports.handler = async (event) => {
  const table = process.env.TABLE;
  const bucket = process.env.BUCKET;
  const region = process.env.AWS_REGION;
  fs.writeFileSync('/tmp/cache.json', '{}');
  await new Promise((resolve) => setTimeout(resolve, 10));
  const results = await Promise.all([fetch('https://example.com')]);
  return { table, bucket, region, results, s3: !!s3 };
};
`;

const BAD = `const fs = require('fs');
async function save() {}
exports.handler = async (event) => {
  const client = new DynamoDBClient({});
  const pool = new Pool({ max: 1 });
  setTimeout(() => console.log('later'), 1000);
  save();
  fetch('https://example.com').then(() => undefined);
  fs.writeFileSync('./out.json', '{}');
  fs.mkdirSync('/var/task/cache');
  return { client, pool, missing: process.env.MISSING_NAME };
};
`;

const CB = 'exports.handler = (event, context, callback) => callback(null, "ok");\n';
const RANGES = 'exports.handler = async () => "ok";\n';

// A callback handler on nodejs22.x is fine; a handler that does not exist is not.
const SERVERLESS = `service: orders
provider:
  name: aws
  runtime: nodejs22.x
  memorySize: 20000
functions:
  ok:
    handler: h.handler
  broken:
    handler: gone.handler
`;

const LAUNCH = `{
  // Launch configurations
  "version": "0.2.0",
  "configurations": [
    { "type": "lambda", "request": "launch", "name": "fine", "handler": "sls/h.handler", "root": "\${workspaceFolder}" },
    { "type": "lambda", "request": "launch", "name": "typo", "handler": "src/goood.handler", "root": "\${workspaceFolder}", },
  ]
}
`;

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code).sort();

/** Applies LSP text edits to a text. */
function apply(text: string, edits: TextEdit[]): string {
  const offset = (line: number, character: number) => {
    const lines = text.split('\n');
    return lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + character;
  };
  const sorted = [...edits].sort(
    (a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character),
  );
  for (const edit of sorted) {
    text =
      text.slice(0, offset(edit.range.start.line, edit.range.start.character)) +
      edit.newText +
      text.slice(offset(edit.range.end.line, edit.range.end.character));
  }
  return text;
}

describe('the Lambda language server (LSP over stdio)', function () {
  this.timeout(30_000);
  let ws: string;
  let client: LspClient;
  const file = (name: string) => path.join(ws, name);

  before(async () => {
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'lld-ls-'));
    fs.mkdirSync(path.join(ws, 'src'));
    fs.writeFileSync(file('template.yaml'), TEMPLATE);
    for (const [name, text] of Object.entries({ 'good.js': GOOD, 'bad.js': BAD, 'cb.js': CB, 'ranges.js': RANGES })) {
      fs.writeFileSync(path.join(ws, 'src', name), text);
    }
    fs.mkdirSync(path.join(ws, 'sls'));
    fs.writeFileSync(
      path.join(ws, 'sls', 'h.js'),
      'exports.handler = (event, context, callback) => callback(null, 1);\n',
    );
    fs.writeFileSync(path.join(ws, 'sls', 'serverless.yml'), SERVERLESS);
    fs.mkdirSync(path.join(ws, 'loose'));
    fs.writeFileSync(path.join(ws, 'loose', 'standalone.mjs'), 'export const handler = async () => 1;\n');
    fs.mkdirSync(path.join(ws, 'node_modules', 'dep'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'node_modules', 'dep', 'index.js'), 'exports.handler = () => 1;\n');
    fs.mkdirSync(path.join(ws, '.vscode'));
    fs.writeFileSync(path.join(ws, '.vscode', 'launch.json'), LAUNCH);
    client = await LspClient.start(ws);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('finds nothing in a handler that does things the Lambda way', async () => {
    assert.deepEqual(await client.open(file('src/good.js'), GOOD), []);
  });

  it('flags clients created in the handler, pending work, writes outside /tmp and unset variables', async () => {
    const diagnostics = await client.open(file('src/bad.js'), BAD);
    assert.deepEqual(codes(diagnostics), [
      'client-in-handler',
      'client-in-handler',
      'env-undefined',
      'pending-work-at-return',
      'pending-work-at-return',
      'pending-work-at-return',
      'write-outside-tmp',
      'write-outside-tmp',
    ]);
    for (const d of diagnostics) assert.equal(d.source, 'lambda');
    const lineOf = (code: string) => diagnostics.filter((d) => d.code === code).map((d) => d.range.start.line + 1);
    assert.deepEqual(lineOf('client-in-handler'), [4, 5]);
    assert.deepEqual(lineOf('pending-work-at-return'), [6, 7, 8]);
    assert.deepEqual(lineOf('write-outside-tmp'), [9, 10]);
    assert.match(
      diagnostics.find((d) => d.code === 'env-undefined')!.message as string,
      /MISSING_NAME is not configured for Bad/,
    );
    assert.match(diagnostics.find((d) => d.code === 'write-outside-tmp')!.message as string, /EROFS/);
  });

  it('flags a callback handler on nodejs24.x only', async () => {
    const diagnostics = await client.open(file('src/cb.js'), CB);
    assert.deepEqual(codes(diagnostics), ['callback-handler-node24']);
    assert.match(
      diagnostics[0].message as string,
      /Callback24 runs on nodejs24\.x.*Runtime\.CallbackHandlerDeprecated/,
    );
  });

  it('flags an async handler with three parameters on nodejs24.x too, but not a streaming handler', async () => {
    const asyncThree = await client.open(
      file('src/cb.js'),
      'exports.handler = async (event, context, callback) => "ok";\n',
    );
    assert.deepEqual(codes(asyncThree), ['callback-handler-node24']);
    const streaming = await client.open(
      file('src/cb.js'),
      'exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => responseStream.end());\n',
    );
    assert.deepEqual(codes(streaming), []);
    await client.open(file('src/cb.js'), CB);
  });

  it('checks the template: missing handler files and exports, ranges, the 4 KB budget', async () => {
    const diagnostics = await client.open(file('template.yaml'), TEMPLATE, 'yaml');
    const byLine = diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`).sort();
    assert.deepEqual(byLine, [
      'env-budget@47',
      'ephemeral-storage-range@46',
      'handler-not-found@26',
      'handler-not-found@31',
      'memory-range@43',
      'timeout-range@44',
    ]);
    assert.match(
      diagnostics.find((d) => d.range.start.line === 25)!.message as string,
      /No file for the handler "nothere.handler"/,
    );
    assert.match(
      diagnostics.find((d) => d.range.start.line === 30)!.message as string,
      /cb.js has no export "missing".*Runtime.HandlerNotFound/,
    );
  });

  it('checks serverless.yml and launch configurations too', async () => {
    const sls = await client.open(file('sls/serverless.yml'), SERVERLESS, 'yaml');
    assert.deepEqual(sls.map((d) => `${d.code}@${d.range.start.line + 1}`).sort(), [
      'handler-not-found@10',
      'memory-range@5',
      'memory-range@5',
    ]);
    assert.deepEqual(
      await client.open(file('sls/h.js'), fs.readFileSync(file('sls/h.js'), 'utf8')),
      [],
      'a callback handler on nodejs22.x is fine',
    );
    const launch = await client.open(file('.vscode/launch.json'), LAUNCH, 'jsonc');
    assert.deepEqual(codes(launch), ['handler-not-found']);
    assert.equal(launch[0].range.start.line, 5);
    assert.match(launch[0].message as string, /No file for the handler "src\/goood.handler"/);
  });

  it('quick fix: moves a client to module scope', async () => {
    const diagnostics = await client.open(file('src/bad.js'), BAD);
    const target = diagnostics.find((d) => d.code === 'client-in-handler')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(file('src/bad.js')) },
      range: target.range,
      context: { diagnostics: [target] },
    });
    assert.equal(actions.length, 1);
    const fixed = apply(BAD, actions[0].edit!.changes![uri(file('src/bad.js'))]);
    const lines = fixed.split('\n');
    const declared = lines.indexOf('const client = new DynamoDBClient({});');
    assert.ok(declared >= 0 && declared < lines.findIndex((l) => l.startsWith('exports.handler')), fixed);
    assert.equal(fixed.match(/new DynamoDBClient/g)!.length, 1);
    // The fixed file no longer has that finding.
    const after = await client.open(file('src/bad.js'), fixed);
    assert.equal(after.filter((d) => d.code === 'client-in-handler').length, 1);
    await client.open(file('src/bad.js'), BAD);
  });

  it('quick fix: adds a variable to the function in the template, keeping its comments', async () => {
    const diagnostics = await client.open(file('src/bad.js'), BAD);
    const target = diagnostics.find((d) => d.code === 'env-undefined')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(file('src/bad.js')) },
      range: target.range,
      context: { diagnostics: [target] },
    });
    assert.equal(actions[0].title, "Add MISSING_NAME to Bad's environment variables in template.yaml");
    const text = fs.readFileSync(file('template.yaml'), 'utf8');
    const fixed = apply(text, actions[0].edit!.changes![uri(file('template.yaml'))]);
    assert.match(fixed, /# Fixture functions: one per check\./);
    assert.match(fixed, /Handler: bad\.handler # keep this comment/);
    assert.match(fixed, /BUCKET: !Sub 'bucket-\$\{AWS::Region\}'/);
    const parsed = parse(fixed, { customTags: ['!Sub'].map((tag) => ({ tag, resolve: (v: string) => v })) as never });
    assert.deepEqual(parsed.Resources.Bad.Properties.Environment, { Variables: { MISSING_NAME: '' } });
  });

  it('puts Invoke, Debug and Tune Memory lenses over handlers, and hovers show variables and handlers', async () => {
    await client.open(file('src/good.js'), GOOD);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', {
      textDocument: { uri: uri(file('src/good.js')) },
    });
    assert.deepEqual(
      lenses.map((l) => [l.command!.title, l.command!.command, l.range.start.line + 1]),
      [
        ['▶ Invoke', 'lambdaLifecycle.invokeFunction', 4],
        ['Debug', 'lambdaLifecycle.debugFunction', 4],
        ['Tune Memory…', 'lambdaLifecycle.tuneMemory', 4],
      ],
    );
    assert.deepEqual(lenses[0].command!.arguments, [{ template: file('template.yaml'), function: 'Good' }]);

    const envHover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri(file('src/good.js')) },
      position: { line: 4, character: 28 },
    });
    assert.match(
      (envHover.contents as { value: string }).value,
      /`TABLE` = `orders` — template.yaml \(Globals\), Good/,
    );
    // A template value shows what sam local resolves it to, and where that came from.
    const subHover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri(file('src/good.js')) },
      position: { line: 5, character: 29 },
    });
    assert.match(
      (subHover.contents as { value: string }).value,
      /`BUCKET` = `bucket-us-east-1` — template.yaml, Good \(from !Sub bucket-\$\{AWS::Region\} → AWS::Region \(sam local's default\)\)/,
    );
    await client.open(file('template.yaml'), TEMPLATE, 'yaml');
    const handlerHover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri: uri(file('template.yaml')) },
      position: { line: 12, character: 16 },
    });
    assert.match(
      (handlerHover.contents as { value: string }).value,
      /\*\*Good\*\* runs `handler` exported by `src\/good\.js`/,
    );
  });

  it('finds exported handlers that no template names (for the Functions view)', async () => {
    const handlers = await client.request<Array<{ file: string; exportName: string; line: number }>>(
      'lambda/workspaceHandlers',
      null,
    );
    assert.deepEqual(
      handlers.map((h) => [path.relative(ws, h.file), h.exportName, h.line]),
      [['loose/standalone.mjs', 'handler', 0]],
    );
  });

  it('survives broken input and still answers', async () => {
    const half = 'exports.handler = async (event) => {\n  const c = new S3Client(\n  if (';
    const diagnostics = await client.open(file('src/half.js'), half);
    assert.ok(Array.isArray(diagnostics));
    assert.deepEqual(await client.open(file('src/binary.js'), 'abc\u0000\u0001\u0002'), []);
    assert.deepEqual(await client.open(file('src/huge.js'), 'x'.repeat(3 * 1024 * 1024)), []);
    const brokenTemplate = await client.open(file('sub/template.yaml'), 'Resources:\n  A: [\n', 'yaml');
    assert.deepEqual(codes(brokenTemplate), ['template-syntax']);
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: uri(file('src/half.js')) },
      position: { line: 0, character: 3 },
    });
    assert.equal(hover, null);
    assert.equal(client.process.exitCode, null, 'the server is still running');
  });

  it('turns a check off by setting', async () => {
    const quiet = await LspClient.start(ws, {
      lambdaLifecycle: { checks: { 'client-in-handler': false, 'pending-work-at-return': false } },
    });
    try {
      assert.deepEqual(codes(await quiet.open(file('src/bad.js'), BAD)), [
        'env-undefined',
        'write-outside-tmp',
        'write-outside-tmp',
      ]);
    } finally {
      await quiet.stop();
    }
  });

  it('raises no false alarm on the examples (only the timer Orders leaves pending on purpose)', async () => {
    const examples = path.resolve(__dirname, '..', '..', 'examples');
    const onExamples = await LspClient.start(examples);
    try {
      const open = (name: string, languageId: string) =>
        onExamples.open(path.join(examples, name), fs.readFileSync(path.join(examples, name), 'utf8'), languageId);
      assert.deepEqual(codes(await open('template.yaml', 'yaml')), []);
      assert.deepEqual(codes(await open('orders/app.js', 'javascript')), ['pending-work-at-return']);
      assert.deepEqual(codes(await open('greeter/index.mjs', 'javascript')), []);
      assert.deepEqual(codes(await open('report/src/report.ts', 'typescript')), []);
    } finally {
      await onExamples.stop();
    }
  });
});
