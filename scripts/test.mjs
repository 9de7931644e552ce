// `npm test`: installs what is missing, builds, type-checks, then runs the unit, engine
// and CLI suites, the DAP and LSP suites, the webviews in Chromium, the extension-host
// suite in a real VS Code (code-server, installed on first use) and the end-to-end run. Each step stops the run on failure.
import { execSync } from 'node:child_process';

const steps = [
  ['dependencies', 'node scripts/ensure-deps.mjs'],
  ['build', 'node esbuild.mjs'],
  ['type check', 'npx tsc -p . --noEmit && npx tsc -p language-server --noEmit'],
  ['unit tests', "npx mocha --config test/.mocharc.json 'test/unit/**/*.test.ts'"],
  ['engine and CLI tests', "npx mocha --config test/.mocharc.json 'test/engine/**/*.test.ts' 'test/cli/**/*.test.ts'"],
  ['debug adapter tests (DAP)', "npx mocha --config test/.mocharc.json --exit 'test/adapter/**/*.test.ts'"],
  [
    'language server tests (LSP over stdio)',
    "npx mocha --config test/.mocharc.json --exit 'test/language-server/**/*.test.ts'",
  ],
  // Installs code-server and Chromium when missing (scripts/ensure-code-server.mjs).
  ['webview tests in headless Chromium', "npx mocha --config test/.mocharc.json --exit 'test/webview/**/*.test.ts'"],
  ['extension-host tests in a real VS Code (code-server)', 'node scripts/vscode-tests.mjs'],
  ['end to end: F5, phase stops, F11, breakpoints, toolbar Invoke in code-server + Chromium', 'node scripts/e2e.mjs'],
];
for (const [name, command] of steps) {
  console.log(`\n== ${name}: ${command}`);
  execSync(command, { stdio: 'inherit', env: { ...process.env, npm_config_update_notifier: 'false' } });
}
