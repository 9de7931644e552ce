// Reads a JavaScript or TypeScript file with the TypeScript parser (syntax only, no type
// checking: fast and tolerant of broken code) and finds what matters on Lambda: the
// exported functions (handlers), and inside a handler's body the mistakes that a warm,
// frozen execution environment turns into bugs.

import ts from 'typescript';

export interface Span {
  start: number;
  end: number;
}

export interface ExportedFunction {
  name: string;
  /** The export's name where it is declared (for CodeLens). */
  nameSpan: Span;
  isAsync: boolean;
  parameterCount: number;
  /** Wrapped by awslambda.streamifyResponse: (event, responseStream, context) is its shape. */
  streaming: boolean;
  body: ts.Node | null;
  /** The top-level statement that holds the handler (a quick fix inserts before it). */
  statement: ts.Statement;
}

export type FindingCode = 'client-in-handler' | 'pending-work-at-return' | 'write-outside-tmp';

export interface Finding {
  code: FindingCode;
  span: Span;
  message: string;
  /** client-in-handler: the statement to move to module scope. */
  move?: { statement: Span; before: Span };
}

export interface EnvRead {
  name: string;
  span: Span;
  /** Read with a fallback (\`?? x\`, \`|| x\`) or tested: undefined is expected. */
  guarded: boolean;
}

export interface FileAnalysis {
  source: ts.SourceFile;
  exports: ExportedFunction[];
  /** Exports that cannot be listed from the syntax (\`module.exports = factory()\`, \`export * from\`). */
  opaqueExports: boolean;
  findings: Finding[];
  envReads: EnvRead[];
}

const CLIENT_CONSTRUCTORS = /^(?:[A-Z]\w*Client|Pool|PrismaClient|Sequelize|MongoClient|Redis|Client|Kafka|Knex)$/;
const CONNECTION_CALLS = new Set(['createConnection', 'createPool', 'createClient', 'knex', 'postgres', 'mysql']);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);
const WRITES = new Set([
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'mkdir',
  'mkdirSync',
  'createWriteStream',
  'copyFile',
  'copyFileSync',
  'rename',
  'renameSync',
  'rm',
  'rmSync',
  'unlink',
  'unlinkSync',
  'mkdtemp',
  'mkdtempSync',
]);

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

const span = (node: ts.Node, source: ts.SourceFile): Span => ({ start: node.getStart(source), end: node.getEnd() });

function functionOf(node: ts.Node | undefined): ts.FunctionLikeDeclaration | null {
  if (!node) return null;
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isFunctionDeclaration(node)) return node;
  if (ts.isParenthesizedExpression(node)) return functionOf(node.expression);
  // Wrapped handlers (middy(fn), awslambda.streamifyResponse(fn)): the first function argument.
  if (ts.isCallExpression(node))
    return functionOf(node.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a)));
  return null;
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return !!fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** `exports.x = …`, `module.exports.x = …`, `module.exports = { x }` and ES `export`s. */
function findExports(source: ts.SourceFile): ExportedFunction[] {
  const found: ExportedFunction[] = [];
  const add = (name: string, nameNode: ts.Node, value: ts.Node | undefined, statement: ts.Statement) => {
    const fn = functionOf(value);
    found.push({
      name,
      nameSpan: span(nameNode, source),
      isAsync: fn ? isAsync(fn) : false,
      parameterCount: fn ? fn.parameters.length : 0,
      streaming: !!value && ts.isCallExpression(value) && /streamifyResponse$/.test(value.expression.getText(source)),
      body: fn?.body ?? null,
      statement,
    });
  };
  const localFunctions = new Map<string, ts.Node>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) localFunctions.set(statement.name.text, statement);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer) localFunctions.set(d.name.text, d.initializer);
    }
  }
  for (const statement of source.statements) {
    const exported =
      ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isFunctionDeclaration(statement) && statement.name)
      add(statement.name.text, statement.name, statement, statement);
    if (exported && ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name)) add(d.name.text, d.name, d.initializer, statement);
    }
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const e of statement.exportClause.elements)
        add(e.name.text, e.name, localFunctions.get((e.propertyName ?? e.name).text), statement);
    }
    if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken
    ) {
      const { left, right } = statement.expression;
      const target = left.getText(source).replace(/\s/g, '');
      const member = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(target);
      if (member && ts.isPropertyAccessExpression(left)) {
        const value = ts.isIdentifier(right) ? localFunctions.get(right.text) : right;
        add(member[1], left.name, value, statement);
      } else if (target === 'module.exports' && ts.isObjectLiteralExpression(right)) {
        for (const p of right.properties) {
          if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) add(p.name.text, p.name, p.initializer, statement);
          if (ts.isShorthandPropertyAssignment(p)) add(p.name.text, p.name, localFunctions.get(p.name.text), statement);
          if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name))
            add(p.name.text, p.name, p as unknown as ts.Node, statement);
        }
      }
    }
  }
  return found;
}

const calleeName = (call: ts.CallExpression | ts.NewExpression): string | null => {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return null;
};

/** A path argument that surely lies outside /tmp: a literal not under /tmp and not from os.tmpdir(). */
function literalOutsideTmp(node: ts.Expression | undefined): boolean {
  if (!node) return false;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return !(node.text === '/tmp' || node.text.startsWith('/tmp/') || node.text.startsWith('/dev/'));
  }
  return false;
}

/** A call whose promise nobody takes: a statement of its own (or `void`ed). In a chain
 * (`fetch().then()`), only the outermost call counts. */
function isFloating(call: ts.CallExpression): boolean {
  const parent = call.parent;
  return ts.isExpressionStatement(parent) || (ts.isVoidExpression(parent) && ts.isExpressionStatement(parent.parent));
}

/** The checks that apply inside a handler's body. `inner`: inside a function defined in
 * the handler, whose code runs later or elsewhere (its timers are not the handler's). */
function checkInHandler(
  node: ts.Node,
  fn: ExportedFunction,
  inner: boolean,
  source: ts.SourceFile,
  asyncFunctions: Set<string>,
  findings: Finding[],
): void {
  if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return;
  const name = calleeName(node);
  if (!name) return;
  if (
    (ts.isNewExpression(node) && CLIENT_CONSTRUCTORS.test(name)) ||
    (ts.isCallExpression(node) && CONNECTION_CALLS.has(name))
  ) {
    const statement = enclosingStatement(node, fn.body!);
    findings.push({
      code: 'client-in-handler',
      span: span(node, source),
      message: `\`${name}\` is created on every invocation. A warm environment could reuse it: create it once at module scope, where Init runs it, and every warm invocation keeps the connection.`,
      move:
        statement && isMovable(statement)
          ? { statement: span(statement, source), before: span(fn.statement, source) }
          : undefined,
    });
  }
  if (inner || !ts.isCallExpression(node)) return;
  if (TIMERS.has(name) && ts.isIdentifier(node.expression) && !insideAwaitedPromise(node, fn.body!)) {
    findings.push({
      code: 'pending-work-at-return',
      span: span(node, source),
      message: `\`${name}\` in a handler: if it has not run when the handler returns, Lambda freezes it with the environment and it runs during a later invocation (or never). Await the work, or clear the timer before returning.`,
    });
  }
  if (isFloating(node) && isPromiseCall(node, asyncFunctions)) {
    findings.push({
      code: 'pending-work-at-return',
      span: span(node, source),
      message:
        'This promise is not awaited: whatever has not finished when the handler returns is frozen with the environment and runs during a later invocation (or never). Await it, or collect it and await Promise.all before returning.',
    });
  }
}

const isFunctionLike = (node: ts.Node) =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node);

function isPromiseCall(call: ts.CallExpression, asyncFunctions: Set<string>): boolean {
  const name = calleeName(call);
  if (!name) return false;
  if (name === 'then' || name === 'catch' || name === 'finally' || name === 'fetch' || name === 'promise') return true;
  return ts.isIdentifier(call.expression) && asyncFunctions.has(name);
}

function insideAwaitedPromise(node: ts.Node, stop: ts.Node): boolean {
  for (let n = node.parent; n && n !== stop; n = n.parent) {
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'Promise') {
      const parent = n.parent;
      return ts.isAwaitExpression(parent) || ts.isReturnStatement(parent) || ts.isVariableDeclaration(parent);
    }
  }
  return false;
}

function enclosingStatement(node: ts.Node, body: ts.Node): ts.Statement | null {
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    if (n.parent === body && ts.isStatement(n)) return n;
  }
  return null;
}

/** A `const x = new Client(…)` whose initializer uses nothing of the handler's own scope. */
function isMovable(statement: ts.Statement): boolean {
  if (!ts.isVariableStatement(statement)) return false;
  let usesLocals = false;
  const visit = (n: ts.Node) => {
    if (ts.isIdentifier(n) && ['event', 'context', 'callback'].includes(n.text)) usesLocals = true;
    if (ts.isAwaitExpression(n)) usesLocals = true;
    ts.forEachChild(n, visit);
  };
  visit(statement);
  return !usesLocals;
}

function checkWrite(node: ts.Node, source: ts.SourceFile, findings: Finding[]): void {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
  const name = node.expression.name.text;
  if (!WRITES.has(name)) return;
  const target = name.startsWith('rename') || name.startsWith('copyFile') ? node.arguments[1] : node.arguments[0];
  if (!literalOutsideTmp(target)) return;
  findings.push({
    code: 'write-outside-tmp',
    span: span(target!, source),
    message: `On Lambda only /tmp is writable: writing to ${target!.getText(source)} fails with EROFS (read-only file system). Write under /tmp (os.tmpdir()).`,
  });
}

/** `process.env.X ?? fallback`, `process.env.X || fallback`, `if (process.env.X)`, `process.env.X ? a : b`. */
function isGuarded(read: ts.Expression): boolean {
  const parent = read.parent;
  if (ts.isBinaryExpression(parent) && parent.left === read) {
    const op = parent.operatorToken.kind;
    return op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken;
  }
  if (ts.isIfStatement(parent) && parent.expression === read) return true;
  if (ts.isConditionalExpression(parent) && parent.condition === read) return true;
  if (ts.isPrefixUnaryExpression(parent) || ts.isTypeOfExpression(parent)) return true;
  return false;
}

const isProcessEnv = (n: ts.Expression) =>
  ts.isPropertyAccessExpression(n) &&
  n.name.text === 'env' &&
  ts.isIdentifier(n.expression) &&
  n.expression.text === 'process';

function collectEnvRead(node: ts.Node, source: ts.SourceFile, reads: EnvRead[]): void {
  if (ts.isPropertyAccessExpression(node) && isProcessEnv(node.expression))
    reads.push({ name: node.name.text, span: span(node, source), guarded: isGuarded(node) });
  if (
    ts.isElementAccessExpression(node) &&
    isProcessEnv(node.expression) &&
    ts.isStringLiteral(node.argumentExpression)
  ) {
    reads.push({ name: node.argumentExpression.text, span: span(node, source), guarded: isGuarded(node) });
  }
  // Destructuring: const { A, B } = process.env
  if (
    ts.isVariableDeclaration(node) &&
    node.initializer &&
    isProcessEnv(node.initializer) &&
    ts.isObjectBindingPattern(node.name)
  ) {
    for (const element of node.name.elements) {
      const key = element.propertyName ?? element.name;
      if (ts.isIdentifier(key))
        reads.push({ name: key.text, span: span(key, source), guarded: element.initializer !== undefined });
    }
  }
}

/** The names of functions declared async at module scope (their calls return promises). */
function asyncFunctionNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && isAsync(statement)) names.add(statement.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        const fn = functionOf(d.initializer);
        if (ts.isIdentifier(d.name) && fn && isAsync(fn)) names.add(d.name.text);
      }
    }
  }
  return names;
}

/** The last syntax tree of each file: an edit re-parses only what changed (TypeScript's
 * incremental parser), and a request on unchanged text parses nothing. */
const trees = new Map<string, ts.SourceFile>();
const MAX_TREES = 50;

function parse(fileName: string, text: string): ts.SourceFile {
  const old = trees.get(fileName);
  let tree: ts.SourceFile;
  if (old && old.text === text) tree = old;
  else if (old) {
    let start = 0;
    const limit = Math.min(old.text.length, text.length);
    while (start < limit && old.text.charCodeAt(start) === text.charCodeAt(start)) start++;
    let oldEnd = old.text.length;
    let newEnd = text.length;
    while (oldEnd > start && newEnd > start && old.text.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
      oldEnd--;
      newEnd--;
    }
    tree = ts.updateSourceFile(old, text, { span: { start, length: oldEnd - start }, newLength: newEnd - start });
  } else {
    tree = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKindOf(fileName));
  }
  trees.delete(fileName);
  trees.set(fileName, tree);
  if (trees.size > MAX_TREES) trees.delete(trees.keys().next().value!);
  return tree;
}

/** Analyses a file. `handlerNames`: the exports that are handlers of configured functions
 * (all exported functions when null). */
export function analyseFile(fileName: string, text: string, handlerNames: Set<string> | null): FileAnalysis {
  const source = parse(fileName, text);
  const exports = findExports(source);
  const opaqueExports = source.statements.some(
    (st) =>
      (ts.isExportDeclaration(st) && !st.exportClause) ||
      (ts.isExpressionStatement(st) &&
        ts.isBinaryExpression(st.expression) &&
        st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        st.expression.left.getText(source).replace(/\s/g, '') === 'module.exports' &&
        !ts.isObjectLiteralExpression(st.expression.right)),
  );
  const findings: Finding[] = [];
  const envReads: EnvRead[] = [];
  const asyncFunctions = asyncFunctionNames(source);
  const handlerBodies = new Map<ts.Node, ExportedFunction>();
  for (const fn of exports) {
    if (fn.body && (handlerNames === null || handlerNames.has(fn.name))) handlerBodies.set(fn.body, fn);
  }
  // One walk over the tree for every check.
  const visit = (node: ts.Node, handler: ExportedFunction | null, inner: boolean): void => {
    const entered = handlerBodies.get(node);
    if (entered) {
      handler = entered;
      inner = false;
    } else if (handler && isFunctionLike(node)) {
      inner = true;
    }
    if (handler) checkInHandler(node, handler, inner, source, asyncFunctions, findings);
    checkWrite(node, source, findings);
    collectEnvRead(node, source, envReads);
    ts.forEachChild(node, (child) => visit(child, handler, inner));
  };
  visit(source, null, false);
  return { source, exports, opaqueExports, findings, envReads };
}
