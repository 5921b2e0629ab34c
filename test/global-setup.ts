import { ensureBuilt } from '../scripts/ensure-build.mjs';

/** `npm test` builds the zip itself when it is missing or stale: the zip and e2e tests run it. */
export default async function setup(): Promise<void> {
  await ensureBuilt();
}
