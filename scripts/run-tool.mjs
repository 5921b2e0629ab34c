// `node scripts/run-tool.mjs <tool> [args…]`: builds when stale, then runs dist/tools/<tool>.mjs
// with the remaining arguments, so `npm run invoke` never runs an outdated bundle.
import { ensureBuilt } from './ensure-build.mjs';

const [tool] = process.argv.splice(2, 1);
await ensureBuilt();
await import(new URL(`../dist/tools/${tool}.mjs`, import.meta.url).href);
