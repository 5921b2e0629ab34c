import { ensureBuilt } from '../scripts/ensure-build.mjs';
import { ensureRuntimeClient, nodeBinaryFor } from '../tools/local/lambda-runtimes.js';

/**
 * Before any test: the zip is built when it is missing or stale, and what runs it as Lambda does is
 * in place in .cache/ — Node 22 and 24 from npm, and the runtime client from npm, built once per
 * machine (about a minute, with progress lines on stderr).
 */
export default async function setup(): Promise<void> {
  await ensureBuilt();
  await Promise.all([nodeBinaryFor('24'), ensureRuntimeClient()]);
}
