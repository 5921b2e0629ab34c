import path from 'node:path';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../paths.mjs';
import { waitForLambdaRuntimes } from '../tools/local/lambda-runtimes.js';
import { USES_LAMBDA_RUNTIMES } from './helpers/runtime-users.js';

// `npm test` starts vitest while Node 22/24 and the runtime client may still be fetched and built
// beside it (scripts/npm-script.mjs), in the process LAMBDA_RUNTIMES_SET_UP_BY names. A file that
// runs them waits here, before its own hooks, with none of their time limits; the rest go ahead.
const setUpBy = process.env.LAMBDA_RUNTIMES_SET_UP_BY;
const file = path.relative(PROJECT_ROOT, expect.getState().testPath ?? '');
// The runtime projects set LAMBDA_NODE: every file of theirs runs the zip.
if (setUpBy !== undefined && (process.env.LAMBDA_NODE !== undefined || USES_LAMBDA_RUNTIMES.includes(file))) {
  await waitForLambdaRuntimes(Number(setUpBy));
}
