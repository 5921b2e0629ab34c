import { ensureBuilt } from '../scripts/ensure-build.mjs';
import { setUpLambdaRuntimes } from '../tools/local/lambda-runtimes.js';

/**
 * Before any test: the zip is built when it is missing or stale, and what runs it as Lambda does is
 * in place in .cache/ — Node 22 and 24 from npm, and the runtime client from npm, built once per
 * machine. On that first run it says what it fetches and builds and about how long it takes, checks
 * for cmake, make and g++ before fetching anything, and reports how far it is on stderr. Under
 * `npm test`, which sets them up beside the tests (LAMBDA_RUNTIMES_SET_UP_BY), the files that need
 * them wait for that instead (test/setup-runtimes.ts), and the others run meanwhile.
 */
export default async function setup(): Promise<void> {
  await ensureBuilt();
  if (process.env.LAMBDA_RUNTIMES_SET_UP_BY === undefined) await setUpLambdaRuntimes();
}
