// `npm test`: first installs everything the suites need (scripts/setup.mjs: npm packages,
// Debian packages, code-server and playwright-core, the build), so no test installs
// anything; then type-checks, lints, and runs the unit, engine and CLI suites, the DAP and
// LSP suites, the webviews in Chromium, the extension-host suite in a real VS Code
// (code-server) and the end-to-end run; a representative set of the engine's behaviour
// suites runs twice, in the portable sandbox and in the kernel's. Each step stops the run on failure.
import { execSync } from 'node:child_process';

const steps = [
  ['setup: what the suites need, installed once', 'node scripts/setup.mjs'],
  ['type check', 'npm run -s typecheck'],
  ['lint and format check', 'npm run -s lint'],
  ['unit tests', "npx mocha --config test/.mocharc.json 'test/unit/**/*.test.ts'"],
  ['engine and CLI tests', "npx mocha --config test/.mocharc.json 'test/engine/**/*.test.ts' 'test/cli/**/*.test.ts'"],
  [
    "behaviour suites again in the kernel's sandbox (mount namespace + cgroup; the portable one where the machine has no rights for it)",
    'npm run -s test:engine:kernel',
  ],
  [
    'fronts: the Invoke API (AWS SDK, AWS CLI), API Gateway and function URLs, serve, generate-event',
    "npx mocha --config test/.mocharc.json --exit 'test/fronts/**/*.test.ts'",
  ],
  [
    'differential: our Node runtime vs the official aws-lambda-ric (3.x on Node 22, 4.x on Node 24)',
    "npx mocha --config test/.mocharc.json 'test/differential/**/*.test.ts'",
  ],
  ['debug adapter tests (DAP)', "npx mocha --config test/.mocharc.json --exit 'test/adapter/**/*.test.ts'"],
  [
    'language server tests (LSP over stdio)',
    "npx mocha --config test/.mocharc.json --exit 'test/language-server/**/*.test.ts'",
  ],
  ['webview tests in headless Chromium', "npx mocha --config test/.mocharc.json --exit 'test/webview/**/*.test.ts'"],
  ['extension-host tests in a real VS Code (code-server)', 'node scripts/vscode-tests.mjs'],
  ['end to end: F5, phase stops, F11, breakpoints, toolbar Invoke in code-server + Chromium', 'node scripts/e2e.mjs'],
];
const started = Date.now();
for (const [name, command] of steps) {
  console.log(`\n== ${name}: ${command}`);
  execSync(command, { stdio: 'inherit', env: { ...process.env, npm_config_update_notifier: 'false' } });
}
console.log(`\nnpm test: every step passed in ${Math.round((Date.now() - started) / 1000)} s`);
