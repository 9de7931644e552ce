// `npm start`: until the debugger lands, runs the example Orders function through the CLI:
// one cold invocation followed by warm ones in the same execution environment, frozen
// in between, so the module state, the /tmp cache and the timer left pending show.
import { execSync } from 'node:child_process';

execSync('node scripts/ensure-deps.mjs', { stdio: 'inherit' });
execSync('node esbuild.mjs', { stdio: 'inherit' });
execSync(
  'node dist/cli.js invoke --template examples/template.yaml --function OrdersFunction --event examples/events/order.json --times 3 --idle-ms 500',
  { stdio: 'inherit' },
);
