// A representative set of the engine's behaviour suites (lifecycle, handlers, module state,
// faults, logging, long-lived work, listener errors, the Node runtime) run again with
// LLD_TEST_SANDBOX=auto: in the kernel's sandbox (a mount namespace with Lambda's
// filesystem and a cgroup) where the machine allows it (Linux, root), so both sandbox
// backends pass the same behaviour. Elsewhere the engine falls back to the portable one.
import { execFileSync } from 'node:child_process';

const suites = [
  'lifecycle',
  'handlers',
  'moduleState',
  'faults',
  'logging',
  'longLived',
  'listenerErrors',
  'runtimeNode',
].map((name) => `test/engine/${name}.test.ts`);

execFileSync('npx', ['mocha', '--config', 'test/.mocharc.json', ...suites], {
  stdio: 'inherit',
  env: { ...process.env, LLD_TEST_SANDBOX: 'auto' },
  shell: process.platform === 'win32',
});
