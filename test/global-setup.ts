import { ensureBuilt } from '../scripts/ensure-build.mjs';
import { ensureRuntimeClient, nodeBinaryFor } from '../tools/local/lambda-runtimes.js';

/**
 * Before any test: the zip is built when it is missing or stale, and what runs it as Lambda does is
 * in place — Node 22 and 24 from npm, and the runtime client's native part (built once after each
 * `npm ci`, about a minute).
 */
export default async function setup(): Promise<void> {
  await ensureBuilt();
  await Promise.all([nodeBinaryFor('22'), nodeBinaryFor('24')]);
  await ensureRuntimeClient();
}
