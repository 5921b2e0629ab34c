// `node scripts/run-tool.mjs set-up-runtimes`: builds the zip when stale and fetches Node 22/24 and
// builds the runtime client into .cache/ when missing (tools/local/lambda-runtimes.ts), then ends.
// `npm test` runs it beside the type check and lint, so that a first run's set-up (about 2 minutes,
// most of it waiting on the network and curl's configure script) overlaps them instead of
// following them; the tests' global setup then finds everything in place.
import { runTool } from './cli.js';
import { setUpLambdaRuntimes } from './local/lambda-runtimes.js';

await runTool('set-up-runtimes', async () => {
  await setUpLambdaRuntimes();
  return 0;
});
